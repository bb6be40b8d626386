# Bearer tokens for any test that calls the gateway (tests/gateway/token_helper.h).
add_library(gateway_token_helper STATIC gateway/token_helper.cc)
target_include_directories(gateway_token_helper PUBLIC ${CMAKE_SOURCE_DIR})
target_link_libraries(gateway_token_helper PUBLIC civil_jwt)

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
target_link_libraries(gateway_test PRIVATE gateway_lib gateway_token_helper civil_test_support
                                           GTest::gtest_main)
add_test(NAME gateway_test COMMAND gateway_test)
set_tests_properties(gateway_test PROPERTIES LABELS integration TIMEOUT 120)

civil_unit_test(gateway_fast_json_test gateway/fast_json_test.cc)
target_link_libraries(gateway_fast_json_test PRIVATE gateway_lib)
target_compile_definitions(gateway_fast_json_test PRIVATE
                           CIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}")
add_dependencies(gateway_fast_json_test civil_descriptor_set)

civil_unit_test(gateway_limits_test gateway/limits_test.cc)
target_link_libraries(gateway_limits_test PRIVATE gateway_lib)

civil_unit_test(gateway_client_ip_test gateway/client_ip_test.cc)
target_link_libraries(gateway_client_ip_test PRIVATE gateway_lib)

# GrpcH2Channel against gRPC C++ servers on loopback ports: labelled integration.
add_executable(gateway_grpc_h2_test gateway/grpc_h2_test.cc)
target_link_libraries(gateway_grpc_h2_test PRIVATE gateway_lib GTest::gtest_main)
add_test(NAME gateway_grpc_h2_test COMMAND gateway_grpc_h2_test)
set_tests_properties(gateway_grpc_h2_test PROPERTIES LABELS integration TIMEOUT 120)

# libFuzzer target over path matching, JSON → proto, proto → JSON and bearer tokens
# (tests/gateway/gateway_fuzz.cc). Built with clang (-fsanitize=fuzzer,address,undefined) by a
# command of its own, whatever compiler builds the rest; run 20 s by ctest and longer by
# `build/tests/gateway_fuzz -max_total_time=600 -timeout=10 build/tests/gateway_fuzz_corpus
# tests/gateway/fuzz_corpus` (make fuzz).
find_program(CIVIL_CLANGXX NAMES clang++ clang++-14)
if(CIVIL_CLANGXX AND NOT DEFINED CIVIL_FUZZ_WORKS)
  # libFuzzer and the sanitizer runtimes come with libclang-rt-14-dev: probe once.
  file(WRITE ${CMAKE_BINARY_DIR}/fuzz_probe.cc
       "#include <cstdint>\n#include <cstddef>\n"
       "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n")
  execute_process(
    COMMAND ${CIVIL_CLANGXX} -fsanitize=fuzzer,address,undefined ${CMAKE_BINARY_DIR}/fuzz_probe.cc
            -o ${CMAKE_BINARY_DIR}/fuzz_probe
    RESULT_VARIABLE civil_fuzz_probe OUTPUT_QUIET ERROR_QUIET)
  if(civil_fuzz_probe EQUAL 0)
    set(CIVIL_FUZZ_WORKS ON CACHE INTERNAL "clang can build libFuzzer targets")
  else()
    set(CIVIL_FUZZ_WORKS OFF CACHE INTERNAL "clang can build libFuzzer targets")
  endif()
endif()
if(CIVIL_CLANGXX AND CIVIL_FUZZ_WORKS)
  execute_process(
    COMMAND pkg-config --libs absl_strings absl_status absl_statusor absl_flat_hash_map
            absl_str_format absl_synchronization absl_hash protobuf libcrypto
    OUTPUT_VARIABLE civil_fuzz_libs OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE civil_fuzz_pc)
  separate_arguments(civil_fuzz_libs UNIX_COMMAND "${civil_fuzz_libs}")
  set(civil_fuzz_sources
    ${CMAKE_SOURCE_DIR}/tests/gateway/gateway_fuzz.cc
    ${CMAKE_SOURCE_DIR}/gateway/descriptor_set.cc
    ${CMAKE_SOURCE_DIR}/gateway/fast_json.cc
    ${CMAKE_SOURCE_DIR}/gateway/field_path.cc
    ${CMAKE_SOURCE_DIR}/services/common/jwt.cc
    ${CMAKE_SOURCE_DIR}/gateway/path_template.cc
    ${CMAKE_SOURCE_DIR}/gateway/router.cc
    ${CMAKE_SOURCE_DIR}/gateway/transcoder.cc
    ${CMAKE_BINARY_DIR}/gen/google/api/http.pb.cc
    ${CMAKE_BINARY_DIR}/gen/google/api/annotations.pb.cc
    ${CMAKE_BINARY_DIR}/gen/civil/common/v1/common.pb.cc)
  set(civil_fuzz_bin ${CMAKE_CURRENT_BINARY_DIR}/gateway_fuzz)
  if(civil_fuzz_pc EQUAL 0)
    add_custom_command(
      OUTPUT ${civil_fuzz_bin}
      COMMAND ${CIVIL_CLANGXX} -std=c++20 -O1 -g -fno-omit-frame-pointer
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
              -DCIVIL_DESCRIPTOR_SET="${CIVIL_DESCRIPTOR_SET}"
              -I${CMAKE_SOURCE_DIR} -I${CMAKE_BINARY_DIR}/gen -isystem /usr/include/nlohmann
              ${civil_fuzz_sources} ${civil_fuzz_libs} -lpthread -o ${civil_fuzz_bin}
      DEPENDS ${civil_fuzz_sources} ${CMAKE_SOURCE_DIR}/tests/gateway/test_contract.h
              civil_proto_googleapis civil_proto_common civil_descriptor_set
      COMMENT "gateway_fuzz (clang, libFuzzer + ASan + UBSan)"
      VERBATIM)
    add_custom_target(gateway_fuzzer ALL DEPENDS ${civil_fuzz_bin})
    # New inputs go to the build's corpus (the first directory), never into the source tree.
    file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/gateway_fuzz_corpus)
    add_test(NAME gateway_fuzz
             COMMAND ${civil_fuzz_bin} -max_total_time=20 -timeout=10 -rss_limit_mb=2048
                     ${CMAKE_CURRENT_BINARY_DIR}/gateway_fuzz_corpus
                     ${CMAKE_SOURCE_DIR}/tests/gateway/fuzz_corpus)
    set_tests_properties(gateway_fuzz PROPERTIES LABELS unit TIMEOUT 120)
  endif()
else()
  message(STATUS "no clang++ with libFuzzer: no gateway_fuzz (apt-get install clang libclang-rt-14-dev)")
endif()

civil_unit_test(gateway_console_test gateway/console_test.cc)
target_link_libraries(gateway_console_test PRIVATE gateway_lib gateway_token_helper)
