// assistance_server: wiring only (config → pools → stores → services → server).
#include <iostream>

#include "services/assistance/assistance_config.h"
#include "services/assistance/event_handlers.h"
#include "services/assistance/household_service.h"
#include "services/assistance/household_store.h"
#include "services/assistance/migrations.h"
#include "services/assistance/programme_service.h"
#include "services/assistance/programme_store.h"
#include "services/assistance/relief.h"
#include "services/assistance/relief_service.h"
#include "services/assistance/relief_store.h"
#include "services/common/config.h"
#include "services/common/event_admin.h"
#include "services/common/events.h"
#include "services/common/log.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/redis.h"
#include "services/common/server.h"

namespace {

int Fail(absl::string_view what) {
  std::cerr << "assistance: " << what << "\n";
  return 2;
}

}  // namespace

int main() {
  namespace a = civil::assistance;
  civil::ServiceRunner runner("assistance");
  absl::StatusOr<civil::ServiceConfig> config = civil::LoadServiceConfig("assistance", 50051, 9101);
  if (!config.ok()) return Fail(config.status().message());
  absl::StatusOr<a::AssistanceRules> rules = a::LoadAssistanceRules();
  if (!rules.ok()) return Fail(rules.status().message());
  absl::StatusOr<a::ReliefRules> relief_rules = a::LoadReliefRules();
  if (!relief_rules.ok()) return Fail(relief_rules.status().message());
  absl::StatusOr<civil::PiiProtector> pii = civil::PiiProtector::FromHexKey(config->pii_key_hex);
  if (!pii.ok()) return Fail(pii.status().message());
  if (absl::Status s = civil::ApplyMigrations(config->pg_dsn, "assistance",
                                              civil::WithCommonMigrations(a::Migrations()));
      !s.ok()) {
    return Fail(s.message());
  }
  civil::PgPool pool({config->pg_dsn, config->pg_pool_size, config->pg_acquire_timeout},
                     runner.registry());
  civil::RedisClient redis(
      {config->redis_host, config->redis_port, config->redis_pool_size, config->redis_timeout},
      runner.registry());
  civil::ReadThroughCache household_cache(&redis, "civil:assistance:household:v1",
                                          config->cache_ttl, runner.registry(), "household");

  a::HouseholdStore households(&pool, &*pii);
  a::StandardStore standards(&pool);
  a::ApplicationStore applications(&pool, &*pii, *rules);
  a::EnrolmentStore enrolments(&pool, *rules);
  a::DisbursementStore disbursements(&pool);
  a::SummaryStore summaries(&pool);
  a::ReliefCaseStore relief_cases(&pool, *relief_rules, *rules);
  a::MutualAidStore mutual_aid(&pool, *rules);
  a::OutreachStore outreach(&pool, *rules);
  a::AuditStore audits(&pool);
  a::ReviewStore reviews(&pool, &enrolments, *rules);
  a::BankFileStore bank_files(&pool, &*pii);
  a::ReliefFiguresStore relief_figures(&pool);

  if (const char* seed = std::getenv("CIVIL_ASSISTANCE_SEED_STANDARDS"); seed && *seed) {
    absl::StatusOr<int> added = a::LoadStandardSeed(seed, &standards);
    if (!added.ok()) return Fail(added.status().message());
    civil::Log(civil::LogLevel::kInfo, "standards seeded", {{"added", int64_t{*added}}});
  }

  a::HouseholdServiceImpl household_service(&households, &household_cache);
  a::StandardServiceImpl standard_service(&standards);
  a::ApplicationServiceImpl application_service(&applications);
  a::EnrolmentServiceImpl enrolment_service(&enrolments);
  a::EnrolmentCheckServiceImpl check_service(&enrolments, &*pii);
  a::DisbursementServiceImpl disbursement_service(&disbursements, runner.registry());
  a::SummaryServiceImpl summary_service(&summaries, &relief_figures);
  a::TemporaryReliefServiceImpl relief_service(&relief_cases);
  a::MutualAidServiceImpl mutual_aid_service(&mutual_aid);
  a::OutreachServiceImpl outreach_service(&outreach);
  a::AuditServiceImpl audit_service(&audits);
  a::ReviewServiceImpl review_service(&reviews);
  a::BankFileServiceImpl bank_file_service(&bank_files);

  // Events: publish this service's outbox; apply other departments' events.
  civil::OutboxRelay relay({.source = "assistance",
                            .pg_dsn = config->pg_dsn,
                            .redis_host = config->redis_host,
                            .redis_port = config->redis_port},
                           runner.registry());
  civil::EventConsumer consumer({.service = "assistance",
                                 .consumer = civil::ConsumerName("assistance"),
                                 .redis_host = config->redis_host,
                                 .redis_port = config->redis_port},
                                &pool, runner.registry());
  a::RegisterEventHandlers(&consumer, &enrolments);
  civil::EventAdminServiceImpl event_admin(&consumer);
  relay.Start();
  consumer.Start();

  runner.AddService(&household_service, a::v1::HouseholdService::service_full_name());
  runner.AddService(&standard_service, a::v1::StandardService::service_full_name());
  runner.AddService(&application_service, a::v1::ApplicationService::service_full_name());
  runner.AddService(&enrolment_service, a::v1::EnrolmentService::service_full_name());
  runner.AddService(&check_service, a::v1::EnrolmentCheckService::service_full_name());
  runner.AddService(&disbursement_service, a::v1::DisbursementService::service_full_name());
  runner.AddService(&summary_service, a::v1::SummaryService::service_full_name());
  runner.AddService(&relief_service, a::v1::TemporaryReliefService::service_full_name());
  runner.AddService(&mutual_aid_service, a::v1::MutualAidService::service_full_name());
  runner.AddService(&outreach_service, a::v1::OutreachService::service_full_name());
  runner.AddService(&audit_service, a::v1::AuditService::service_full_name());
  runner.AddService(&review_service, a::v1::ReviewService::service_full_name());
  runner.AddService(&bank_file_service, a::v1::BankFileService::service_full_name());
  runner.AddService(&event_admin, civil::events::v1::EventAdminService::service_full_name());
  runner.SetReadinessCheck([&] { return pool.Ping(); });
  runner.OnShutdown([&] {
    consumer.Stop();
    relay.Stop();
    pool.Close();
    redis.Close();
  });
  absl::Status status = runner.Run(*config);
  if (!status.ok()) {
    std::cerr << "assistance: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
