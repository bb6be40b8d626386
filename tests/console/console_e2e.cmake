# The web console in a real browser (included by tests/CMakeLists.txt): every department's server
# and the gateway serving the built console, driven by Playwright (playwright-core from the
# console's npm packages) in Debian's Chromium. Screenshots of each page land in
# ${CMAKE_BINARY_DIR}/tests/console-screenshots.
if(TARGET gateway_console AND TARGET report_server)
  set(CIVIL_CONSOLE_SERVERS assistance_server affairs_server eldercare_server childwelfare_server
                            socialorg_server governance_server report_server)
  civil_e2e_test(console_e2e_test console/console_e2e_test.cc ${CIVIL_CONSOLE_SERVERS})
  add_dependencies(console_e2e_test gateway_console)
  target_compile_definitions(console_e2e_test PRIVATE
    CIVIL_CONSOLE_PREFIX="${CMAKE_BINARY_DIR}/console"
    CIVIL_CONSOLE_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/console/console_e2e.cjs"
    CIVIL_CONSOLE_ARTIFACTS="${CMAKE_BINARY_DIR}/tests/console-screenshots"
    CIVIL_SEED_STANDARDS="${CMAKE_SOURCE_DIR}/deploy/local/seed/assistance-standards-340722.json")
  set_tests_properties(console_e2e_test PROPERTIES TIMEOUT 300)
endif()

# The console's ID number check against the server's rules (node:test on the module bundled by
# the console's esbuild; no browser, no servers).
if(TARGET gateway_console)
  add_test(NAME console_idnumber_test
           COMMAND sh -c "node '${CMAKE_BINARY_DIR}/console/node_modules/esbuild/bin/esbuild' '${CMAKE_SOURCE_DIR}/console/src/idnumber.ts' --format=esm --outfile='${CMAKE_BINARY_DIR}/tests/console-idnumber.mjs' --log-level=warning && CONSOLE_IDNUMBER_MODULE='${CMAKE_BINARY_DIR}/tests/console-idnumber.mjs' node --test '${CMAKE_CURRENT_SOURCE_DIR}/console/idnumber_test.mjs'")
  set_tests_properties(console_idnumber_test PROPERTIES LABELS unit TIMEOUT 60)
endif()
