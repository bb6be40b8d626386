// PostgreSQL access for the allowance check (ChildAllowanceCheckService): a person's child
// allowances by blind index, for other departments' systems. The kit's EnrolmentFactStore reads
// them; the query is childwelfare's.
#pragma once

#include "services/common/enrolment_fact_store.h"
#include "services/common/pg.h"

namespace civil::childwelfare {

class AllowanceCheckStore : public EnrolmentFactStore {
 public:
  // Not owned. Programmes ORPHAN_ALLOWANCE and DE_FACTO_UNSUPPORTED_ALLOWANCE, refused cases
  // left out, oldest first.
  explicit AllowanceCheckStore(PgPool* pool)
      : EnrolmentFactStore(
            pool, "child_allowance_facts_of",
            "SELECT CASE WHEN category = 'DE_FACTO_UNSUPPORTED' THEN "
            "'DE_FACTO_UNSUPPORTED_ALLOWANCE' ELSE 'ORPHAN_ALLOWANCE' END, child_id::text, "
            "status, region_code, start_month::text, end_month::text FROM children WHERE "
            "id_index = $1 AND status <> 'REJECTED' ORDER BY start_month") {}
};

}  // namespace civil::childwelfare
