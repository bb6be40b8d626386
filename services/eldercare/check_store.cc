#include "services/eldercare/check_store.h"

#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::eldercare {

CheckStore::CheckStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("eldercare_facts_of",
                 "SELECT 'OLD_AGE_ALLOWANCE', enrolment_id::text, status, region_code, "
                 "start_month::text, end_month::text, created_at FROM allowance_enrolments WHERE "
                 "id_index = $1 AND status <> 'REJECTED' UNION ALL SELECT 'HOMECARE_SUBSIDY', "
                 "subsidy_id::text, status, region_code, start_month::text, end_month::text, "
                 "created_at FROM homecare_subsidies WHERE id_index = $1 ORDER BY 7");
}

absl::StatusOr<std::vector<EldercareFactRecord>> CheckStore::FactsOf(const std::string& id_index) {
  std::vector<EldercareFactRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& r : txn.exec_prepared("eldercare_facts_of", id_index)) {
      EldercareFactRecord f;
      f.programme = r[0].as<std::string>();
      f.id = r[1].as<std::string>();
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

}  // namespace civil::eldercare
