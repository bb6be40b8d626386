# Tests of the social affairs department (paths relative to tests/), included from
# tests/CMakeLists.txt.
civil_unit_test(affairs_rules_test affairs/marriage_test.cc)
target_sources(affairs_rules_test PRIVATE affairs/funeral_test.cc affairs/disability_test.cc)
target_link_libraries(affairs_rules_test PRIVATE affairs_lib)

civil_server_test(affairs_integration_test integration affairs/affairs_integration_test.cc)
target_link_libraries(affairs_integration_test PRIVATE affairs_lib)

# End to end through the gateway, with bearer tokens minted by tests/gateway/token_helper.h.
if(TARGET gateway AND TARGET gateway_token_helper AND TARGET assistance_server)
  civil_server_test(affairs_e2e_test e2e affairs/affairs_e2e_test.cc)
  target_link_libraries(affairs_e2e_test PRIVATE gateway_token_helper nlohmann_json::nlohmann_json)
  add_dependencies(affairs_e2e_test affairs_server assistance_server gateway civil_descriptor_set)
  target_compile_definitions(affairs_e2e_test PRIVATE
    CIVIL_AFFAIRS_SERVER="$<TARGET_FILE:affairs_server>"
    CIVIL_ASSISTANCE_SERVER="$<TARGET_FILE:assistance_server>"
    CIVIL_GATEWAY="$<TARGET_FILE:gateway>"
    CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}")
endif()

# `make bench` client (tests/affairs/affairs_bench.sh runs it; not a ctest).
add_executable(affairs_bench_client affairs/cremation_bench_client.cc)
target_link_libraries(affairs_bench_client PRIVATE civil_proto_affairs gRPC::grpc++ absl::strings
                                                   absl::time)
