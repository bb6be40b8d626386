// PostgreSQL access for the eldercare check (EldercareCheckService): a person's 高龄津贴
// enrolments and 居家养老服务补贴 subsidies by blind index, for other departments' systems. The
// kit's EnrolmentFactStore reads them; the query is eldercare's.
#pragma once

#include "services/common/enrolment_fact_store.h"
#include "services/common/pg.h"

namespace civil::eldercare {

class CheckStore : public EnrolmentFactStore {
 public:
  // Not owned. Programmes OLD_AGE_ALLOWANCE and HOMECARE_SUBSIDY, refused enrolments left out,
  // oldest first.
  explicit CheckStore(PgPool* pool)
      : EnrolmentFactStore(
            pool, "eldercare_facts_of",
            "SELECT 'OLD_AGE_ALLOWANCE', enrolment_id::text, status, region_code, "
            "start_month::text, end_month::text, created_at FROM allowance_enrolments WHERE "
            "id_index = $1 AND status <> 'REJECTED' UNION ALL SELECT 'HOMECARE_SUBSIDY', "
            "subsidy_id::text, status, region_code, start_month::text, end_month::text, "
            "created_at FROM homecare_subsidies WHERE id_index = $1 ORDER BY 7") {}
};

}  // namespace civil::eldercare
