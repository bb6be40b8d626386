// PostgreSQL access for applications (申请 → 调查 → 公示 → 审批) and their history; approval
// creates the enrolment in the same transaction.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/programme.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/grievance_store.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::assistance {

// One step of an application, as the adapter validated it.
struct ApplicationStep {
  std::string application_id;
  ApplicationAction action;
  absl::CivilDay happened_on;
  std::string note;
  // kInvestigate
  int64_t income_fen = 0;
  bool assets_ok = false;
  std::vector<v1::MemberCircumstance> circumstances;
  // 特困 grounds found (nullopt: none sent).
  std::optional<TekunGrounds> tekun_grounds;
  // 支出型 rigid expenses found (nullopt: none sent).
  std::optional<RigidExpenses> rigid_expenses;
};

class ApplicationStore {
 public:
  ApplicationStore(PgPool* pool, const PiiProtector* pii, const AssistanceRules& rules);

  // Files an application. NOT_FOUND for an unknown household or member; PERMISSION_DENIED when
  // the household is outside the actor's region; FAILED_PRECONDITION when the person (or a
  // member of the household) is already enrolled in the programme's exclusive group.
  absl::StatusOr<v1::Application> Create(const Actor& actor, Programme programme,
                                         const std::string& household_id,
                                         const std::string& member_id, int care_mode,
                                         absl::CivilDay submitted_on, absl::CivilDay today);
  absl::StatusOr<v1::Application> Get(const Actor& actor, const std::string& application_id);
  absl::StatusOr<std::vector<v1::Application>> List(const std::string& region_prefix,
                                                    const std::string& status, int programme,
                                                    int64_t after, int page_size, int64_t* next);
  // Applies a workflow step (investigate, publish, object, reject) with its history row.
  // FAILED_PRECONDITION for a step out of order.
  absl::StatusOr<v1::Application> Step(const Actor& actor, const ApplicationStep& step,
                                       absl::CivilDay today);
  // County approval: checks maker ≠ checker and that the notice is over, computes the monthly
  // amount from the standard in force, and creates the enrolment from the next month, in one
  // transaction.
  absl::StatusOr<std::pair<v1::Application, v1::Enrolment>> Approve(const Actor& actor,
                                                                    const ApplicationStep& step,
                                                                    absl::CivilDay today);

  // An upheld grievance against a rejection (the kit's ReopenHook, in the grievance's
  // transaction): the application goes back to investigation (SUBMITTED, the decision cleared
  // from the row and kept in its history, REOPENED added naming the grievance). NOT_FOUND
  // "case_id"; FAILED_PRECONDITION unless rejected (CheckReopenRejected), or when the household
  // has another open application of the programme.
  static absl::StatusOr<std::string> ReopenRejected(pqxx::transaction_base& txn,
                                                    const ReopenRequest& request);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  AssistanceRules rules_;
};

}  // namespace civil::assistance
