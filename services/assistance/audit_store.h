// PostgreSQL access for audits (专项整治): the checks of a run and their findings.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/audit.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/pg.h"

namespace civil::assistance {

class AuditStore {
 public:
  explicit AuditStore(PgPool* pool);

  // Runs every check over `region_prefix` as of `as_of` and stores the findings in one
  // transaction (see AuditService.RunAudit).
  absl::StatusOr<v1::RunAuditResponse> Run(const Actor& actor, const std::string& region_prefix,
                                           absl::CivilDay as_of);
  // Findings in `region_prefix` ("" status / kind = any), oldest first.
  absl::StatusOr<Page<v1::Finding>> List(const std::string& region_prefix,
                                         const std::string& status, const std::string& kind,
                                         int64_t after, int page_size);
  // Confirms or dismisses an open finding (see CheckFindingDecision). NOT_FOUND when there is
  // none in the actor's region.
  absl::StatusOr<v1::Finding> Decide(const Actor& actor, const std::string& finding_id,
                                     FindingStatus to, const std::string& reason,
                                     absl::CivilDay decided_on);

 private:
  PgPool* pool_;
};

}  // namespace civil::assistance
