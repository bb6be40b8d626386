# Gateway end to end (included by tests/CMakeLists.txt): the real gateway and assistance_server.
if(TARGET gateway AND TARGET gateway_token_helper AND TARGET assistance_server)
  civil_e2e_test(gateway_e2e_test e2e/gateway_e2e_test.cc assistance_server)

  # One household from its 低保 application to its second payment and the summary, through the
  # gateway (tests/e2e/assistance_e2e_test.cc); the service loads the county's seed standards.
  civil_e2e_test(assistance_e2e_test e2e/assistance_e2e_test.cc assistance_server)
  target_link_libraries(assistance_e2e_test PRIVATE absl::str_format)
  target_compile_definitions(assistance_e2e_test PRIVATE
    CIVIL_SEED_STANDARDS="${CMAKE_SOURCE_DIR}/deploy/local/seed/assistance-standards-340722.json")

  # A rejected application, its reconsideration upheld, and the enrolment (issue 18).
  civil_e2e_test(grievance_e2e_test e2e/grievance_e2e_test.cc assistance_server)
  target_link_libraries(grievance_e2e_test PRIVATE absl::str_format)
  target_compile_definitions(grievance_e2e_test PRIVATE
    CIVIL_SEED_STANDARDS="${CMAKE_SOURCE_DIR}/deploy/local/seed/assistance-standards-340722.json")
endif()

# The ID-view audit trail through the gateway, routed to each department by the path's
# `{department}` (tests/e2e/id_views_e2e_test.cc).
if(TARGET gateway AND TARGET gateway_token_helper AND TARGET assistance_server
   AND TARGET governance_server)
  civil_e2e_test(id_views_e2e_test e2e/id_views_e2e_test.cc assistance_server governance_server)
endif()

# Every end-to-end suite through the gateway once more with both fast paths off: JSON through
# protobuf's JSON utilities only, unary calls through gRPC's generic stub (gateway/README.md), so
# that the library paths the fast ones optimise stay tested end to end. Same binaries, an extra
# ctest entry each (<test>_library_paths) whose gateway gets the flags through
# CIVIL_E2E_GATEWAY_FLAGS (tests/support/e2e_stack.h). Deferred to the end of tests/ so that it
# sees the suites registered after this file (platform_e2e_test) too.
function(civil_gateway_library_paths_e2e)
  foreach(suite IN ITEMS gateway_e2e_test platform_e2e_test assistance_e2e_test affairs_e2e_test
                         governance_e2e_test grievance_e2e_test)
    if(TARGET ${suite})
      add_test(NAME ${suite}_library_paths COMMAND ${suite})
      set_tests_properties(${suite}_library_paths PROPERTIES
        LABELS e2e TIMEOUT 600
        ENVIRONMENT "CIVIL_E2E_GATEWAY_FLAGS=--fast-json=false --h2-unary=false")
    endif()
  endforeach()
endfunction()
cmake_language(DEFER CALL civil_gateway_library_paths_e2e)

# The affairs and report suites once more with TLS and client certificates on every gRPC port
# (issue 15): the gateway reaches the services over mTLS through gRPC's own client, affairs asks
# assistance (CheckEnrolment) and the report asks every department over mTLS. Same binary; the stack reads CIVIL_E2E_TLS (tests/support/e2e_stack.h).
function(civil_mtls_e2e)
  if(TARGET affairs_e2e_test)
    add_test(NAME affairs_e2e_test_mtls COMMAND affairs_e2e_test)
    set_tests_properties(affairs_e2e_test_mtls PROPERTIES
      LABELS e2e TIMEOUT 600 ENVIRONMENT "CIVIL_E2E_TLS=1")
  endif()
  # The work summary with every department behind mTLS: the report service's SummarySources
  # reach all six departments with the same ServiceChannelCredentials.
  if(TARGET report_e2e_test)
    add_test(NAME report_e2e_test_mtls COMMAND report_e2e_test)
    set_tests_properties(report_e2e_test_mtls PROPERTIES
      LABELS e2e TIMEOUT 600 ENVIRONMENT "CIVIL_E2E_TLS=1")
  endif()
endfunction()
cmake_language(DEFER CALL civil_mtls_e2e)
