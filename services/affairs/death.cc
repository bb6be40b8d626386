#include "services/affairs/death.h"

#include "services/common/store_util.h"

namespace civil::affairs {

std::optional<absl::CivilDay> DeathOf(pqxx::transaction_base& txn, const std::string& id_index) {
  pqxx::result r =
      txn.exec_params("SELECT date_of_death::text FROM cremations WHERE id_index = $1", id_index);
  if (r.empty()) return std::nullopt;
  return DayOf(r[0][0]);
}

}  // namespace civil::affairs
