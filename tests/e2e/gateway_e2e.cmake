# Gateway end to end (included by tests/CMakeLists.txt): the real gateway and assistance_server.
if(TARGET gateway AND TARGET assistance_server)
  civil_server_test(gateway_e2e_test e2e e2e/gateway_e2e_test.cc)
  target_link_libraries(gateway_e2e_test PRIVATE gateway_token_helper nlohmann_json::nlohmann_json)
  add_dependencies(gateway_e2e_test assistance_server gateway civil_descriptor_set)
  target_compile_definitions(gateway_e2e_test PRIVATE
    CIVIL_ASSISTANCE_SERVER="$<TARGET_FILE:assistance_server>"
    CIVIL_GATEWAY="$<TARGET_FILE:gateway>"
    CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}")
endif()

# One household from its 低保 application to its second payment and the summary, through the
# gateway (tests/e2e/assistance_e2e_test.cc); the service loads the county's seed standards.
if(TARGET gateway AND TARGET gateway_token_helper AND TARGET assistance_server)
  civil_server_test(assistance_e2e_test e2e e2e/assistance_e2e_test.cc)
  target_link_libraries(assistance_e2e_test PRIVATE gateway_token_helper nlohmann_json::nlohmann_json
                                                    absl::str_format)
  add_dependencies(assistance_e2e_test assistance_server gateway civil_descriptor_set)
  target_compile_definitions(assistance_e2e_test PRIVATE
    CIVIL_ASSISTANCE_SERVER="$<TARGET_FILE:assistance_server>"
    CIVIL_GATEWAY="$<TARGET_FILE:gateway>"
    CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}"
    CIVIL_SEED_STANDARDS="${CMAKE_SOURCE_DIR}/deploy/local/seed/assistance-standards-340722.json")
endif()
