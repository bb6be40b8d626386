# Tests of 临时救助, mutual aid, outreach, audits, reviews and the bank file
# (services/assistance/relief*): the rules alone, and the services over real PostgreSQL + Redis.
civil_unit_test(relief_test assistance/relief_test.cc)
target_link_libraries(relief_test PRIVATE assistance_lib)

civil_server_test(relief_integration_test integration assistance/relief_integration_test.cc)
target_link_libraries(relief_integration_test PRIVATE assistance_lib)
