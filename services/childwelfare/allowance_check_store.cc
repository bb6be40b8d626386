#include "services/childwelfare/allowance_check_store.h"

#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {

AllowanceCheckStore::AllowanceCheckStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("child_allowance_facts_of",
                 "SELECT CASE WHEN category = 'DE_FACTO_UNSUPPORTED' THEN "
                 "'DE_FACTO_UNSUPPORTED_ALLOWANCE' ELSE 'ORPHAN_ALLOWANCE' END, child_id::text, "
                 "status, region_code, start_month::text, end_month::text FROM children WHERE "
                 "id_index = $1 AND status <> 'REJECTED' ORDER BY start_month");
}

absl::StatusOr<std::vector<AllowanceFactRecord>> AllowanceCheckStore::FactsOf(
    const std::string& id_index) {
  std::vector<AllowanceFactRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& r : txn.exec_prepared("child_allowance_facts_of", id_index)) {
      AllowanceFactRecord f;
      f.programme = r[0].as<std::string>();
      f.child_id = r[1].as<std::string>();
      f.span.status = r[2].as<std::string>();
      f.region_code = r[3].as<std::string>();
      f.span.start_month = absl::CivilMonth(DayOf(r[4]));
      if (std::optional<absl::CivilDay> end = OptionalDayOf(r[5])) {
        f.span.end_month = absl::CivilMonth(*end);
      }
      out.push_back(std::move(f));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace civil::childwelfare
