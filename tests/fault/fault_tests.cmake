# The fault suite (CTest label `fault`, run by `make test`): real server processes killed,
# starved and attacked, against real PostgreSQL and Redis (tests/fault/*_test.cc).
civil_server_test(assistance_fault_test fault fault/assistance_fault_test.cc)
target_link_libraries(assistance_fault_test PRIVATE gateway_token_helper civil_proto_assistance
                                                    nlohmann_json::nlohmann_json)
add_dependencies(assistance_fault_test assistance_server assistance_datagen)
target_compile_definitions(assistance_fault_test PRIVATE
  CIVIL_ASSISTANCE_SERVER="$<TARGET_FILE:assistance_server>"
  CIVIL_ASSISTANCE_DATAGEN="$<TARGET_FILE:assistance_datagen>")

# Through the whole stack: SIGTERM under load, overload, PostgreSQL and Redis killed
# (tests/fault/stack_fault_test.cc).
civil_require_targets(gateway gateway_token_helper assistance_server assistance_datagen)
civil_e2e_test(stack_fault_test fault/stack_fault_test.cc assistance_server)
target_link_libraries(stack_fault_test PRIVATE civil_proto_assistance absl::cleanup)
add_dependencies(stack_fault_test assistance_datagen)
target_compile_definitions(stack_fault_test PRIVATE
  CIVIL_ASSISTANCE_DATAGEN="$<TARGET_FILE:assistance_datagen>")
set_tests_properties(stack_fault_test PROPERTIES LABELS fault)
