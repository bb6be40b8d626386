// PostgreSQL access for outreach: visits, the demands they record, contracted health checks.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/outreach.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/pg.h"

namespace civil::assistance {

// A visit, as the adapter validated it.
struct VisitDraft {
  std::string household_id;
  std::string member_id;
  absl::CivilDay visited_on;
  std::string note;
  std::vector<std::string> demands;
};

// A health check, as the adapter validated it.
struct HealthCheckDraft {
  std::string batch_id;
  std::string household_id;
  std::string member_id;
  absl::CivilDay checked_on;
  std::string health_record;
};

class OutreachStore {
 public:
  OutreachStore(PgPool* pool, const AssistanceRules& rules);

  // Records a visit and its demands. NOT_FOUND / PERMISSION_DENIED / FAILED_PRECONDITION for
  // the person as in ReliefCaseStore::Create.
  absl::StatusOr<v1::Visit> RecordVisit(const Actor& actor, const VisitDraft& draft,
                                        absl::CivilDay today);
  absl::StatusOr<Page<v1::Visit>> ListVisits(const std::string& region_prefix, int64_t after,
                                             int page_size);
  // NOT_FOUND for an unknown demand (or one outside the actor's region); FAILED_PRECONDITION
  // when it is resolved already or `resolved_on` is before the visit.
  absl::StatusOr<v1::Demand> ResolveDemand(const Actor& actor, const std::string& demand_id,
                                           absl::CivilDay resolved_on,
                                           const std::string& resolution);
  // ALREADY_EXISTS for a second batch with the same region, provider and name.
  absl::StatusOr<v1::HealthCheckBatch> CreateBatch(const Actor& actor,
                                                   const v1::HealthCheckBatch& batch);
  // Records a check of a person in an active 特困 enrolment with dispersed care on the day.
  // FAILED_PRECONDITION naming the masked ID otherwise, or when the household is outside the
  // batch's region or the check predates the batch; ALREADY_EXISTS when the batch has the
  // person already.
  absl::StatusOr<v1::HealthCheck> RecordHealthCheck(const Actor& actor,
                                                    const HealthCheckDraft& draft);
  // Checks of a batch within `region_prefix`. NOT_FOUND for an unknown batch.
  absl::StatusOr<Page<v1::HealthCheck>> ListHealthChecks(const std::string& batch_id,
                                                         const std::string& region_prefix,
                                                         int64_t after, int page_size);

 private:
  PgPool* pool_;
  AssistanceRules rules_;
};

}  // namespace civil::assistance
