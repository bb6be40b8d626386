# Gateway end to end (included by tests/CMakeLists.txt): the real gateway and assistance_server.
# Every target named here is defined before tests/ (CMakeLists.txt); a missing one is a configure
# error (civil_require_targets), never a suite silently left out.
civil_require_targets(gateway gateway_token_helper assistance_server governance_server)
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

# The ID-view audit trail through the gateway, routed to each department by the path's
# `{department}` (tests/e2e/id_views_e2e_test.cc).
civil_e2e_test(id_views_e2e_test e2e/id_views_e2e_test.cc assistance_server governance_server)

# Every end-to-end suite through the gateway once more with both fast paths off: JSON through
# protobuf's JSON utilities only, unary calls through gRPC's generic stub (gateway/README.md), so
# that the library paths the fast ones optimise stay tested end to end. Same binaries, an extra
# ctest entry each (<test>_library_paths) whose gateway gets the flags through
# CIVIL_E2E_GATEWAY_FLAGS (tests/support/e2e_stack.h). The suites are every civil_e2e_test
# (cmake/CivilTests.cmake records them), the departments' own included, but the fault suite (it
# kills processes; the gateway's paths are not what it tests), the deploy checks (metrics and
# replicas, label deploy), the browser console, and the demo (the generator through the routes the
# department suites already cover, at ten times their running time). Deferred to
# the end of tests/, after every department (services/) and platform_e2e_test registered theirs.
function(civil_gateway_library_paths_e2e)
  get_property(suites GLOBAL PROPERTY CIVIL_E2E_SUITES)
  list(REMOVE_ITEM suites stack_fault_test console_e2e_test deploy_metrics_e2e_test
              deploy_replicas_e2e_test demo_e2e_test)
  foreach(suite IN LISTS suites)
    add_test(NAME ${suite}_library_paths COMMAND ${suite})
    set_tests_properties(${suite}_library_paths PROPERTIES
      LABELS e2e TIMEOUT 600
      ENVIRONMENT "CIVIL_E2E_GATEWAY_FLAGS=--fast-json=false --h2-unary=false")
  endforeach()
endfunction()
cmake_language(DEFER CALL civil_gateway_library_paths_e2e)

# The affairs and report suites once more with TLS and client certificates on every gRPC port
# (issue 15): the gateway reaches the services over mTLS through gRPC's own client, affairs asks
# assistance (CheckEnrolment) and the report asks every department over mTLS. Same binary; the stack reads CIVIL_E2E_TLS (tests/support/e2e_stack.h).
function(civil_mtls_e2e)
  # The work summary with every department behind mTLS: the report service's SummarySources
  # reach all six departments with the same ServiceChannelCredentials.
  civil_require_targets(affairs_e2e_test report_e2e_test)
  foreach(suite IN ITEMS affairs_e2e_test report_e2e_test)
    add_test(NAME ${suite}_mtls COMMAND ${suite})
    set_tests_properties(${suite}_mtls PROPERTIES
      LABELS e2e TIMEOUT 600 ENVIRONMENT "CIVIL_E2E_TLS=1")
  endforeach()
endfunction()
cmake_language(DEFER CALL civil_mtls_e2e)
