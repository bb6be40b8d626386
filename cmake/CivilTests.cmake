# Test registration, shared by tests/ and by civil_department(). Tests mirror the code
# (tests/<component>/…_test.cc); CTest labels: unit, integration, e2e, fault. Every test binary
# lands in ${CMAKE_BINARY_DIR}/tests. Paths of sources are relative to tests/.
include(GoogleTest)
set(CIVIL_TESTS_DIR ${CMAKE_SOURCE_DIR}/tests)
set(CIVIL_TEST_BIN_DIR ${CMAKE_BINARY_DIR}/tests)

function(civil_test_binary name)
  add_executable(${name} ${ARGN})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CIVIL_TEST_BIN_DIR})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  # A test's own sources at -O1: they are the heaviest files of the tree (GoogleTest, gRPC and
  # libpqxx headers in one unit) and -O1 halves their compile time. What they test, the services'
  # and the kit's libraries, stays at the build type's -O2; benchmarks are not built here.
  if(CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Release)$")
    target_compile_options(${name} PRIVATE -O1)
  endif()
endfunction()

function(civil_test_sources out)
  set(srcs)
  foreach(s ${ARGN})
    list(APPEND srcs ${CIVIL_TESTS_DIR}/${s})
  endforeach()
  set(${out} ${srcs} PARENT_SCOPE)
endfunction()

# civil_unit_test(<name> <sources…>): pure logic, no servers. Links civil_values (the Abseil-only
# value types); add what else it tests with target_link_libraries.
function(civil_unit_test name)
  civil_test_sources(srcs ${ARGN})
  civil_test_binary(${name} ${srcs})
  target_link_libraries(${name} PRIVATE civil_values GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()

# civil_server_test(<name> <label> <sources…>): starts its own PostgreSQL and Redis
# (tests/support/servers.h).
function(civil_server_test name label)
  civil_test_sources(srcs ${ARGN})
  civil_test_binary(${name} ${srcs})
  target_link_libraries(${name} PRIVATE civil_test_support civil_common GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${label} TIMEOUT 600)
endfunction()

# civil_e2e_test(<name> <source> <server target>...): the real gateway in front of real service
# processes, with bearer tokens from tests/gateway/token_helper.h. Each server's path reaches the
# test as CIVIL_<TARGET> (CIVIL_ASSISTANCE_SERVER, …), with CIVIL_GATEWAY and CIVIL_DESCRIPTOR_SET.
# civil_require_targets(<target>...) — a configure error naming each target that is not defined:
# a suite is never silently left out because what it runs was not built.
function(civil_require_targets)
  foreach(t IN LISTS ARGN)
    if(NOT TARGET ${t})
      message(FATAL_ERROR "${CMAKE_CURRENT_LIST_FILE}: target ${t} is not defined")
    endif()
  endforeach()
endfunction()

function(civil_e2e_test name source)
  civil_server_test(${name} e2e ${source})
  target_link_libraries(${name} PRIVATE gateway_token_helper nlohmann_json::nlohmann_json)
  add_dependencies(${name} gateway civil_descriptor_set ${ARGN})
  set(paths CIVIL_GATEWAY="$<TARGET_FILE:gateway>" CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}")
  foreach(server IN LISTS ARGN)
    string(TOUPPER "${server}" upper)
    list(APPEND paths CIVIL_${upper}="$<TARGET_FILE:${server}>")
  endforeach()
  target_compile_definitions(${name} PRIVATE ${paths})
  set_property(GLOBAL APPEND PROPERTY CIVIL_E2E_SUITES ${name})
endfunction()
