// Schema migrations: numbered `.sql` files compiled into each service binary
// (cmake/CivilMigrations.cmake) and applied in order at start-up.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace civil {

// One numbered schema change.
struct Migration {
  int version;
  absl::string_view name;  // file name without `.sql`, e.g. "0001_households"
  absl::string_view sql;
};

// Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction,
// in version order. Holds a PostgreSQL advisory lock named after `service` meanwhile, so replicas
// starting together apply each migration once. Waits up to `wait_seconds` for the server to
// accept connections. FAILED_PRECONDITION when a recorded version has another name (the files
// were renumbered); UNAVAILABLE when the server stays unreachable; INTERNAL when a migration fails
// (its SQLSTATE is logged).
absl::Status ApplyMigrations(const std::string& dsn, absl::string_view service,
                             const std::vector<Migration>& migrations, int wait_seconds = 30);

}  // namespace civil
