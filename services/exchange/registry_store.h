// PostgreSQL access for the registry search's log (table registry_searches, append-only): every
// search, who made it, when, about whom (blind index, masked) and what was answered.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/pg.h"

namespace civil::exchange {

struct SearchLogEntry {
  std::string caller, caller_scope, subject_index, subject_masked;
  absl::CivilDay as_of;
  int found = 0;
  std::vector<std::string> answered, unknown;
};

class RegistryStore {
 public:
  // Not owned.
  explicit RegistryStore(PgPool* pool);

  // Writes `entry`; returns the search id. UNAVAILABLE when the database is down (the search is
  // then refused: no answer leaves unlogged).
  absl::StatusOr<std::string> Log(const SearchLogEntry& entry);

 private:
  PgPool* pool_;
};

}  // namespace civil::exchange
