# `make bench` clients, included from tests/CMakeLists.txt (built with the tree, not run by ctest).
# assistance_bench_client: gRPC client and direct-SQL baselines timed by
# tests/bench/assistance_bench.sh (disbursement, summary, list enrolments).
add_executable(assistance_bench_client ${CMAKE_CURRENT_LIST_DIR}/assistance_client.cc)
target_link_libraries(assistance_bench_client PRIVATE civil_proto_assistance gRPC::grpc++
                                                      PkgConfig::PQXX absl::strings)

# Events end to end (make bench): tests/bench/events_bench.sh runs it.
add_executable(events_bench ${CMAKE_CURRENT_LIST_DIR}/events_bench.cc)
target_link_libraries(events_bench PRIVATE civil_common)

# tests/affairs/affairs_bench.sh: cremations through RecordCremation from many callers.
add_executable(affairs_bench_client ${CMAKE_CURRENT_LIST_DIR}/../affairs/cremation_bench_client.cc)
target_link_libraries(affairs_bench_client PRIVATE civil_proto_affairs gRPC::grpc++ absl::strings
                                                   absl::time)

# tests/bench/report_bench.sh: the work summary against the six departments' GetSummary.
add_executable(report_bench_client ${CMAKE_CURRENT_LIST_DIR}/report_client.cc)
target_link_libraries(report_bench_client PRIVATE civil_proto_report civil_proto_assistance
                                                  civil_proto_affairs civil_proto_eldercare
                                                  civil_proto_childwelfare civil_proto_socialorg
                                                  civil_proto_governance gRPC::grpc++)
