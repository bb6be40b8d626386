#include "services/common/migrate.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/log.h"
#include "services/common/pg.h"

namespace civil {

absl::Status ApplyMigrations(const std::string& dsn, absl::string_view service,
                             const std::vector<Migration>& migrations, int wait_seconds) {
  std::unique_ptr<pqxx::connection> connection;
  for (int waited = 0;; ++waited) {
    try {
      connection = std::make_unique<pqxx::connection>(dsn);
      break;
    } catch (const std::exception&) {
      if (waited >= wait_seconds) {
        return absl::UnavailableError("migrations: database unreachable");
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  const std::string lock_name = absl::StrCat("civil.migrations.", service);
  try {
    pqxx::nontransaction session(*connection);
    session.exec_params("SELECT pg_advisory_lock(hashtext($1))", lock_name);
    session.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY,"
        " name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
    std::map<int, std::string> applied;
    for (const auto& row : session.exec("SELECT version, name FROM schema_migrations")) {
      applied[row[0].as<int>()] = row[1].as<std::string>();
    }
    session.commit();
    absl::Status result = absl::OkStatus();
    for (const Migration& m : ordered) {
      auto it = applied.find(m.version);
      if (it != applied.end()) {
        if (it->second != m.name) {
          result = absl::FailedPreconditionError(absl::StrCat(
              "migration ", m.version, " was applied as ", it->second, ", not ", m.name));
          break;
        }
        continue;
      }
      pqxx::work txn(*connection);
      txn.exec(std::string(m.sql));
      txn.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                      std::string(m.name));
      txn.commit();
      Log(LogLevel::kInfo, "migration applied",
          {{"version", static_cast<int64_t>(m.version)}, {"name", m.name}});
    }
    pqxx::nontransaction unlock(*connection);
    unlock.exec_params("SELECT pg_advisory_unlock(hashtext($1))", lock_name);
    return result;
  } catch (const std::exception& error) {
    // The advisory lock is released with the session when the connection closes.
    absl::Status status = DbErrorToStatus(error);
    return absl::Status(status.code(), absl::StrCat("migrations: ", status.message()));
  }
}

}  // namespace civil
