# Tests of the social affairs department (paths relative to tests/), included from
# tests/CMakeLists.txt.
civil_unit_test(affairs_rules_test affairs/marriage_test.cc)
target_sources(affairs_rules_test PRIVATE affairs/funeral_test.cc affairs/disability_test.cc)
target_link_libraries(affairs_rules_test PRIVATE affairs_lib)

civil_server_test(affairs_integration_test integration affairs/affairs_integration_test.cc)
target_link_libraries(affairs_integration_test PRIVATE affairs_lib)

# End to end through the gateway, with bearer tokens minted by tests/gateway/token_helper.h.
if(TARGET gateway AND TARGET gateway_token_helper AND TARGET assistance_server)
  civil_e2e_test(affairs_e2e_test affairs/affairs_e2e_test.cc affairs_server assistance_server)
endif()

# `make bench` client (tests/affairs/affairs_bench.sh runs it; not a ctest).
add_executable(affairs_bench_client affairs/cremation_bench_client.cc)
target_link_libraries(affairs_bench_client PRIVATE civil_proto_affairs gRPC::grpc++ absl::strings
                                                   absl::time)
