#include "services/common/enrolment_fact_store.h"

#include <optional>
#include <utility>

#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil {

EnrolmentFactStore::EnrolmentFactStore(PgPool* pool, std::string name, const std::string& sql)
    : pool_(pool), name_(std::move(name)) {
  pool_->Prepare(name_, sql);
}

absl::StatusOr<std::vector<EnrolmentFactRecord>> EnrolmentFactStore::FactsOf(
    const std::string& id_index) {
  std::vector<EnrolmentFactRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& r : txn.exec_prepared(name_, id_index)) {
      EnrolmentFactRecord f;
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

}  // namespace civil
