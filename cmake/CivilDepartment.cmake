# civil_department(<name>
#   PROTOS <paths under proto/>          the contract, compiled once into civil_proto_<name>
#   [PROTO_DEPS <proto libraries>]       other departments' contracts it calls
#   DOMAIN <files>                       rules: pure C++ on Abseil → <name>_domain, which links
#                                        only civil_values; checked to include no gRPC, protobuf
#                                        or libpqxx header (test <name>_domain_includes)
#   SOURCES <files>                      stores, adapters, the department spec → <name>_lib
#   [LIBS <libraries>]                   more libraries for <name>_lib
#   [UNIT_TESTS <paths under tests/>]    one binary <name>_unit_test (label unit), domain only
#   [INTEGRATION_TESTS <paths>]          one binary per file (label integration), <name>_lib
#   [E2E_TESTS <paths>]                  one binary per file through the real gateway (label e2e)
#   [E2E_SERVERS <server targets>]       other departments' servers the e2e tests start)
#
# Builds civil_proto_<name>, <name>_domain, <name>_lib, <name>_migrations (from migrations/) and
# <name>_server (main.cc), adds the contract's service protos to the gateway's descriptor set and
# registers the tests. Every file named must exist: a missing one is a configure error.
function(civil_department name)
  cmake_parse_arguments(
    ARG "" "" "PROTOS;PROTO_DEPS;DOMAIN;SOURCES;LIBS;UNIT_TESTS;INTEGRATION_TESTS;E2E_TESTS;E2E_SERVERS"
    ${ARGN})
  foreach(f ${ARG_DOMAIN} ${ARG_SOURCES} main.cc)
    if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${f})
      message(FATAL_ERROR "civil_department(${name}): ${f} does not exist")
    endif()
  endforeach()
  foreach(f ${ARG_UNIT_TESTS} ${ARG_INTEGRATION_TESTS} ${ARG_E2E_TESTS})
    if(NOT EXISTS ${CMAKE_SOURCE_DIR}/tests/${f})
      message(FATAL_ERROR "civil_department(${name}): tests/${f} does not exist")
    endif()
  endforeach()
  if(NOT IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
    message(FATAL_ERROR "civil_department(${name}): migrations/ does not exist")
  endif()

  civil_proto_library(civil_proto_${name} PROTOS ${ARG_PROTOS}
                      DEPS civil_proto_common civil_proto_grievance civil_proto_googleapis
                              ${ARG_PROTO_DEPS})
  set_property(GLOBAL APPEND PROPERTY CIVIL_SERVICE_PROTOS ${ARG_PROTOS})

  civil_migrations(${name}_migrations civil::${name} ${CMAKE_CURRENT_SOURCE_DIR}/migrations)

  add_library(${name}_domain STATIC ${ARG_DOMAIN})
  target_link_libraries(${name}_domain PUBLIC civil_values)
  set(domain_paths)
  foreach(f ${ARG_DOMAIN})
    list(APPEND domain_paths ${CMAKE_CURRENT_SOURCE_DIR}/${f})
    # Each domain file has its header, checked with it (the rules' declarations are API too).
    string(REGEX REPLACE "\\.cc$" ".h" header ${f})
    if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${header})
      message(FATAL_ERROR "civil_department(${name}): domain file ${f} has no ${header}")
    endif()
    list(APPEND domain_paths ${CMAKE_CURRENT_SOURCE_DIR}/${header})
  endforeach()
  add_test(NAME ${name}_domain_includes
           COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_SOURCE_DIR} "-DFILES=${domain_paths}"
                   -P ${CMAKE_SOURCE_DIR}/cmake/CheckDomainIncludes.cmake)
  set_tests_properties(${name}_domain_includes PROPERTIES LABELS unit)

  add_library(${name}_lib STATIC ${ARG_SOURCES})
  target_link_libraries(${name}_lib PUBLIC ${name}_domain civil_common civil_proto_${name}
                                           ${ARG_PROTO_DEPS} ${name}_migrations ${ARG_LIBS})

  add_executable(${name}_server main.cc)
  target_link_libraries(${name}_server PRIVATE ${name}_lib)

  if(ARG_UNIT_TESTS)
    civil_unit_test(${name}_unit_test ${ARG_UNIT_TESTS})
    target_link_libraries(${name}_unit_test PRIVATE ${name}_domain)
  endif()
  foreach(t ${ARG_INTEGRATION_TESTS})
    get_filename_component(test_name ${t} NAME_WE)
    civil_server_test(${test_name} integration ${t})
    target_link_libraries(${test_name} PRIVATE ${name}_lib)
  endforeach()
  foreach(t ${ARG_E2E_TESTS})
    get_filename_component(test_name ${t} NAME_WE)
    civil_e2e_test(${test_name} ${t} ${name}_server ${ARG_E2E_SERVERS})
    target_link_libraries(${test_name} PRIVATE civil_proto_${name})
  endforeach()
endfunction()

# civil_descriptor_set(): one descriptor set of every department's service protos (with imports),
# loaded by the gateway at start-up. Called once, after every department.
function(civil_descriptor_set)
  get_property(protos GLOBAL PROPERTY CIVIL_SERVICE_PROTOS)
  set(proto_files)
  foreach(p ${protos})
    list(APPEND proto_files ${CMAKE_SOURCE_DIR}/proto/${p})
  endforeach()
  file(GLOB_RECURSE all_protos CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/proto/*.proto)
  add_custom_command(
    OUTPUT ${CIVIL_DESCRIPTOR_SET}
    COMMAND protobuf::protoc ${CIVIL_PROTO_INCLUDES} --include_imports --include_source_info
            --descriptor_set_out=${CIVIL_DESCRIPTOR_SET} ${proto_files}
    DEPENDS ${all_protos} protobuf::protoc
    COMMENT "descriptor set of all services"
    VERBATIM)
  add_custom_target(civil_descriptor_set ALL DEPENDS ${CIVIL_DESCRIPTOR_SET})
endfunction()
