// PostgreSQL access for the allowance check (ChildAllowanceCheckService): a person's child
// allowances by blind index, for other departments' systems.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/enrolment_fact.h"
#include "services/common/pg.h"

namespace civil::childwelfare {

struct AllowanceFactRecord {
  std::string programme;  // ORPHAN_ALLOWANCE, DE_FACTO_UNSUPPORTED_ALLOWANCE
  std::string child_id, region_code;
  PaidSpan span;  // status, start and the first month not paid
};

class AllowanceCheckStore {
 public:
  // Not owned.
  explicit AllowanceCheckStore(PgPool* pool);

  // The person's allowances (refused ones left out), oldest first.
  absl::StatusOr<std::vector<AllowanceFactRecord>> FactsOf(const std::string& id_index);

 private:
  PgPool* pool_;
};

}  // namespace civil::childwelfare
