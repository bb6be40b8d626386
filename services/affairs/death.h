// The deaths the funeral store records, as the department's other aggregates see them: the
// recorded date of death of a person, and the hook through which a cremation closes what the
// person had (subsidies, a marriage) in the same transaction.
#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace civil::affairs {

// The recorded date of death of the person with blind index `id_index` (the cremation record),
// or nullopt.
std::optional<absl::CivilDay> DeathOf(pqxx::transaction_base& txn, const std::string& id_index);

// A death as the funeral store records it, passed to the other aggregates in the same transaction
// so that they close what the person had (subsidies, a marriage) from the right date.
struct Death {
  std::string id_index;
  std::string id_masked;
  absl::CivilDay date_of_death;
  std::string cremation_id;
  std::string actor;
};
using DeathHook = std::function<absl::Status(pqxx::transaction_base&, const Death&)>;

}  // namespace civil::affairs
