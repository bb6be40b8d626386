// Deaths as social affairs' aggregates see them: the recorded date of death of a person (from the
// department's death registry, services/common/deaths.h, and its cremation records), and the hooks
// through which a death closes what the person had (subsidies, a marriage) in the transaction
// that records it — a cremation recorded here, or another department's PersonDeceased (a 低保 exit
// for death in assistance, …).
#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "services/common/deaths.h"

namespace civil::affairs {

// The recorded date of death of the person with blind index `id_index` (the earliest of the
// death registry and a cremation record), or nullopt.
std::optional<absl::CivilDay> DeathOf(pqxx::transaction_base& txn, const std::string& id_index);

// A death, passed to the other aggregates in the transaction that records it so that they close
// what the person had (subsidies, a marriage) from the right date.
struct Death {
  std::string id_index;
  std::string id_masked;
  absl::CivilDay date_of_death;
  std::string cremation_id;  // set when the record is a cremation of this department
  std::string actor;
  // The record that reported the death: its department, kind (CREMATION, ENROLMENT_EXIT, …) and
  // id there.
  std::string source = "affairs";
  std::string record_kind = "CREMATION";
  std::string record_id;
};
using DeathHook = std::function<absl::Status(pqxx::transaction_base&, const Death&)>;

// Runs every hook for `death`; the first error aborts (and the transaction with it).
absl::Status RunDeathHooks(pqxx::transaction_base& txn, const std::vector<DeathHook>& hooks,
                           const Death& death);

// The death the registry holds, as the hooks take it; `actor` records who applied it.
Death DeathFromRegistry(const RecordedDeath& recorded, const std::string& actor);

}  // namespace civil::affairs
