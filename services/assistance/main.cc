// assistance_server: wiring only (config → pools → stores → service → server).
#include <iostream>

#include "services/assistance/household_service.h"
#include "services/assistance/household_store.h"
#include "services/assistance/migrations.h"
#include "services/common/config.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/redis.h"
#include "services/common/server.h"

int main() {
  civil::ServiceRunner runner("assistance");
  absl::StatusOr<civil::ServiceConfig> config = civil::LoadServiceConfig("assistance", 50051, 9101);
  if (!config.ok()) {
    std::cerr << "assistance: " << config.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<civil::PiiProtector> pii = civil::PiiProtector::FromHexKey(config->pii_key_hex);
  if (!pii.ok()) {
    std::cerr << "assistance: " << pii.status().message() << "\n";
    return 2;
  }
  if (absl::Status s =
          civil::ApplyMigrations(config->pg_dsn, "assistance", civil::WithCommonMigrations(civil::assistance::Migrations()));
      !s.ok()) {
    std::cerr << "assistance: " << s.message() << "\n";
    return 1;
  }
  civil::PgPool pool({config->pg_dsn, config->pg_pool_size, config->pg_acquire_timeout},
                     runner.registry());
  civil::RedisClient redis(
      {config->redis_host, config->redis_port, config->redis_pool_size, config->redis_timeout},
      runner.registry());
  civil::ReadThroughCache household_cache(&redis, "civil:assistance:household:v1",
                                          config->cache_ttl, runner.registry(), "household");
  civil::assistance::HouseholdStore households(&pool, &*pii);
  civil::assistance::HouseholdServiceImpl household_service(&households, &household_cache);

  runner.AddService(&household_service,
                    civil::assistance::v1::HouseholdService::service_full_name());
  runner.SetReadinessCheck([&] { return pool.Ping(); });
  runner.OnShutdown([&] {
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
