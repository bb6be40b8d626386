# The deployment (deploy/), checked on this machine (CTest label `deploy`, run by `make test`):
# the compose file and images' scripts, the rendered Kubernetes overlays, Prometheus's rules and
# the Grafana dashboards, the backup and point-in-time restore, and every series the rules and
# dashboards query exported by the running platform. The Python checks use Debian's python3 with
# python3-yaml, and docker-compose for the compose file (deploy/local/deps.sh).
find_program(CIVIL_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT CIVIL_PYTHON3)
  find_program(CIVIL_PYTHON3 python3 REQUIRED)
endif()
set(CIVIL_DEPLOY_TESTS ${CMAKE_SOURCE_DIR}/tests/deploy)
# Debian's tools first (kubectl, promtool, python3 with its yaml module).
set(CIVIL_DEPLOY_ENV "PATH=/usr/bin:/bin:/usr/sbin:/sbin:$ENV{PATH}")

add_test(NAME deploy_compose
         COMMAND ${CIVIL_PYTHON3} ${CIVIL_DEPLOY_TESTS}/check_compose.py ${CMAKE_BINARY_DIR})
# Docker Compose's own reading of the file (Debian's docker-compose 1.29, no engine needed).
add_test(NAME deploy_compose_config COMMAND ${CIVIL_PYTHON3} ${CIVIL_DEPLOY_TESTS}/check_compose_config.py)
add_test(NAME deploy_k8s COMMAND ${CIVIL_PYTHON3} ${CIVIL_DEPLOY_TESTS}/check_k8s.py)
add_test(NAME deploy_prometheus COMMAND ${CIVIL_PYTHON3} ${CIVIL_DEPLOY_TESTS}/check_prometheus.py)
add_test(NAME deploy_backup_pitr COMMAND ${CIVIL_DEPLOY_TESTS}/backup_pitr_test.sh)
set_tests_properties(deploy_compose deploy_compose_config deploy_k8s deploy_prometheus
                     deploy_backup_pitr
                     PROPERTIES LABELS deploy TIMEOUT 300 ENVIRONMENT "${CIVIL_DEPLOY_ENV}")

civil_e2e_test(deploy_metrics_e2e_test deploy/metrics_e2e_test.cc assistance_server
               eldercare_server childwelfare_server governance_server socialorg_server
               affairs_server report_server exchange_server)
add_dependencies(deploy_metrics_e2e_test civilctl)
target_compile_definitions(deploy_metrics_e2e_test PRIVATE
  CIVIL_PYTHON3="${CIVIL_PYTHON3}" CIVIL_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
  CIVIL_CIVILCTL_DIR="$<TARGET_FILE_DIR:civilctl>")
set_property(TEST deploy_metrics_e2e_test APPEND PROPERTY LABELS deploy)

# Two replicas of assistance behind the gateway (one comma-separated CIVIL_ASSISTANCE_ADDR).
civil_e2e_test(deploy_replicas_e2e_test deploy/replicas_e2e_test.cc assistance_server)
target_link_libraries(deploy_replicas_e2e_test PRIVATE civil_proto_assistance)
add_dependencies(deploy_replicas_e2e_test assistance_datagen)
target_compile_definitions(deploy_replicas_e2e_test PRIVATE
  CIVIL_ASSISTANCE_DATAGEN="$<TARGET_FILE:assistance_datagen>")
set_property(TEST deploy_replicas_e2e_test APPEND PROPERTY LABELS deploy)
