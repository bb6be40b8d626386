# Gateway unit tests (included by tests/CMakeLists.txt; sources relative to tests/).
civil_unit_test(gateway_path_template_test gateway/path_template_test.cc)
target_link_libraries(gateway_path_template_test PRIVATE gateway_lib)

civil_unit_test(gateway_config_test gateway/config_test.cc)
target_link_libraries(gateway_config_test PRIVATE gateway_lib)

civil_unit_test(gateway_router_test gateway/router_test.cc)
target_link_libraries(gateway_router_test PRIVATE gateway_lib)
target_compile_definitions(gateway_router_test PRIVATE CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}")
add_dependencies(gateway_router_test civil_descriptor_set)

civil_unit_test(gateway_transcoder_test gateway/transcoder_test.cc)
target_link_libraries(gateway_transcoder_test PRIVATE gateway_lib civil_proto_assistance)
target_compile_definitions(gateway_transcoder_test PRIVATE
                           CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}")
add_dependencies(gateway_transcoder_test civil_descriptor_set)

# The whole gateway in one process over loopback (HTTP client → gateway → generic gRPC backend on
# ephemeral ports; no database): labelled integration, since it starts servers.
add_executable(gateway_test gateway/gateway_test.cc)
target_link_libraries(gateway_test PRIVATE gateway_lib GTest::gtest_main)
add_test(NAME gateway_test COMMAND gateway_test)
set_tests_properties(gateway_test PROPERTIES LABELS integration TIMEOUT 120)
