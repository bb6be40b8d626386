// PostgreSQL access for the eldercare check (EldercareCheckService): a person's 高龄津贴
// enrolments and 居家养老服务补贴 subsidies by blind index, for other departments' systems.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/enrolment_fact.h"
#include "services/common/pg.h"

namespace civil::eldercare {

struct EldercareFactRecord {
  std::string programme;  // OLD_AGE_ALLOWANCE, HOMECARE_SUBSIDY
  std::string id, region_code;
  PaidSpan span;  // status, start and the first month not paid
};

class CheckStore {
 public:
  // Not owned.
  explicit CheckStore(PgPool* pool);

  // The person's allowances and subsidies (refused ones left out), oldest first.
  absl::StatusOr<std::vector<EldercareFactRecord>> FactsOf(const std::string& id_index);

 private:
  PgPool* pool_;
};

}  // namespace civil::eldercare
