# civil_migrations(<target> <namespace> <dir>)
#
# Compiles the numbered `NNNN_name.sql` files of <dir> into a static library exposing
# `<namespace>::Migrations()` (see services/common/migrate.h), so that a service binary carries
# its schema and applies it at start-up.
function(civil_migrations target ns dir)
  file(GLOB sqls CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sqls)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} "-DSQLS=${sqls}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${sqls} ${CMAKE_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    COMMENT "embedding migrations of ${dir}"
    VERBATIM)
  add_library(${target} STATIC ${out})
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE absl::strings)
endfunction()
