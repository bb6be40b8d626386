#include "services/affairs/death.h"

#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::affairs {

std::optional<absl::CivilDay> DeathOf(pqxx::transaction_base& txn, const std::string& id_index) {
  // least() skips NULLs: a death reported by another department, a cremation here, or both.
  pqxx::result r = txn.exec_params(
      "SELECT least((SELECT date_of_death FROM death_registry WHERE subject_index = $1), "
      "(SELECT date_of_death FROM cremations WHERE id_index = $1))::text",
      id_index);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return DayOf(r[0][0]);
}

absl::Status RunDeathHooks(pqxx::transaction_base& txn, const std::vector<DeathHook>& hooks,
                           const Death& death) {
  for (const DeathHook& hook : hooks) CIVIL_RETURN_IF_ERROR(hook(txn, death));
  return absl::OkStatus();
}

Death DeathFromRegistry(const RecordedDeath& recorded, const std::string& actor) {
  Death death;
  death.id_index = recorded.subject_index;
  death.id_masked = recorded.subject_masked;
  death.date_of_death = recorded.date.day;
  if (recorded.record_kind == "CREMATION" && recorded.source == "affairs") {
    death.cremation_id = recorded.record_id;
  }
  death.actor = actor;
  death.source = recorded.source;
  death.record_kind = recorded.record_kind;
  death.record_id = recorded.record_id;
  return death;
}

}  // namespace civil::affairs
