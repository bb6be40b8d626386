// affairs_server: wiring only (config → pools → stores → services → server).
#include <iostream>

#include "services/affairs/affairs_config.h"
#include "services/affairs/disability_service.h"
#include "services/affairs/event_handlers.h"
#include "services/affairs/funeral_service.h"
#include "services/affairs/marriage_service.h"
#include "services/affairs/migrations.h"
#include "services/affairs/relief_service.h"
#include "services/affairs/summary_service.h"
#include "services/common/config.h"
#include "services/common/event_admin.h"
#include "services/common/events.h"
#include "services/common/id_number.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/server.h"

int main() {
  civil::ServiceRunner runner("affairs");
  absl::StatusOr<civil::ServiceConfig> config = civil::LoadServiceConfig("affairs", 50056, 9106);
  if (!config.ok()) {
    std::cerr << "affairs: " << config.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<civil::affairs::AffairsConfig> affairs = civil::affairs::LoadAffairsConfig();
  if (!affairs.ok()) {
    std::cerr << "affairs: " << affairs.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<civil::PiiProtector> pii = civil::PiiProtector::FromHexKey(config->pii_key_hex);
  if (!pii.ok()) {
    std::cerr << "affairs: " << pii.status().message() << "\n";
    return 2;
  }
  if (absl::Status s = civil::ApplyMigrations(
          config->pg_dsn, "affairs", civil::WithCommonMigrations(civil::affairs::Migrations()));
      !s.ok()) {
    std::cerr << "affairs: " << s.message() << "\n";
    return 1;
  }
  civil::PgPool pool({config->pg_dsn, config->pg_pool_size, config->pg_acquire_timeout},
                     runner.registry());
  civil::affairs::EnrolmentClient enrolments(affairs->assistance_addr,
                                             affairs->assistance_deadline);
  civil::affairs::MarriageStore marriages(&pool, &*pii);
  civil::affairs::DisabilityStore disability(&pool, &*pii);
  // A cremation ends the person's marriage and stops their subsidies in its own transaction.
  civil::affairs::FuneralStore funeral(
      &pool, &*pii,
      {[&](pqxx::transaction_base& txn, const civil::affairs::Death& death) {
         return marriages.OnDeath(txn, death);
       },
       [&](pqxx::transaction_base& txn, const civil::affairs::Death& death) {
         return disability.OnDeath(txn, death);
       }});
  civil::affairs::ProjectStore projects(&pool);
  civil::affairs::ReliefStore relief(&pool, &*pii);
  civil::affairs::SummaryStore summary(&pool);

  const civil::affairs::Clock today = [] { return civil::Today(); };
  civil::affairs::FuneralServiceImpl funeral_service(&funeral, &projects, today);
  civil::affairs::MarriageServiceImpl marriage_service(&marriages, today);
  civil::affairs::DisabilityServiceImpl disability_service(&disability, &projects, &enrolments,
                                                           today);
  civil::affairs::ReliefServiceImpl relief_service(&relief, today);
  civil::affairs::SummaryServiceImpl summary_service(&summary, today);
  runner.AddService(&funeral_service, civil::affairs::v1::FuneralService::service_full_name());
  runner.AddService(&marriage_service, civil::affairs::v1::MarriageService::service_full_name());
  runner.AddService(&disability_service,
                    civil::affairs::v1::DisabilityService::service_full_name());
  runner.AddService(&relief_service, civil::affairs::v1::VagrantReliefService::service_full_name());
  runner.AddService(&summary_service,
                    civil::affairs::v1::AffairsSummaryService::service_full_name());
  // Events: publish this service's outbox (PersonDeceased, marriages, subsidy stops) and apply
  // assistance's 低保 exits to the living subsidy.
  civil::OutboxRelay relay({.source = "affairs",
                            .pg_dsn = config->pg_dsn,
                            .redis_host = config->redis_host,
                            .redis_port = config->redis_port},
                           runner.registry());
  civil::EventConsumer consumer({.service = "affairs",
                                 .consumer = civil::ConsumerName("affairs"),
                                 .redis_host = config->redis_host,
                                 .redis_port = config->redis_port},
                                &pool, runner.registry());
  civil::affairs::RegisterEventHandlers(&consumer, &disability);
  civil::EventAdminServiceImpl event_admin(&consumer);
  runner.AddService(&event_admin, civil::events::v1::EventAdminService::service_full_name());
  relay.Start();
  consumer.Start();
  runner.SetReadinessCheck([&] { return pool.Ping(); });
  runner.OnShutdown([&] {
    consumer.Stop();
    relay.Stop();
    pool.Close();
  });
  absl::Status status = runner.Run(*config);
  if (!status.ok()) {
    std::cerr << "affairs: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
