# Gateway end to end (included by tests/CMakeLists.txt): the real gateway and assistance_server.
if(TARGET gateway AND TARGET gateway_token_helper AND TARGET assistance_server)
  civil_e2e_test(gateway_e2e_test e2e/gateway_e2e_test.cc assistance_server)

  # One household from its 低保 application to its second payment and the summary, through the
  # gateway (tests/e2e/assistance_e2e_test.cc); the service loads the county's seed standards.
  civil_e2e_test(assistance_e2e_test e2e/assistance_e2e_test.cc assistance_server)
  target_link_libraries(assistance_e2e_test PRIVATE absl::str_format)
  target_compile_definitions(assistance_e2e_test PRIVATE
    CIVIL_SEED_STANDARDS="${CMAKE_SOURCE_DIR}/deploy/local/seed/assistance-standards-340722.json")
endif()
