// PostgreSQL access for 临时救助 cases and their history. Speaks the contract's messages (see
// programme_store_util.h for why); the adapter has validated the input.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/relief_case.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/pg.h"

namespace civil::assistance {

// A new 临时救助 case, as the adapter validated it.
struct ReliefCaseDraft {
  std::string household_id;
  std::string member_id;
  std::string reason;
  Money amount;
  absl::CivilDay happened_on;
  bool emergency = false;
};

// A decision or payment of a case, as the adapter validated it.
struct ReliefStep {
  std::string case_id;
  ReliefAction action = ReliefAction::kApprove;
  absl::CivilDay happened_on;
  std::string date_field;  // the request field the date came from, for messages
  std::string note;
  Money amount;  // kPay: amount paid, zero = the amount granted
};

class ReliefCaseStore {
 public:
  ReliefCaseStore(PgPool* pool, ReliefRules relief_rules, const AssistanceRules& rules);

  // Records a case for an active member of the household. NOT_FOUND for an unknown household
  // or member; PERMISSION_DENIED outside the actor's region; FAILED_PRECONDITION when the
  // person is no longer an active member.
  absl::StatusOr<v1::ReliefCase> Create(const Actor& actor, const ReliefCaseDraft& draft,
                                        absl::CivilDay today);
  // NOT_FOUND when there is none in the actor's region.
  absl::StatusOr<v1::ReliefCase> Get(const Actor& actor, const std::string& case_id);
  // Cases in `region_prefix`, in status `status` ("" = any), oldest first.
  absl::StatusOr<Page<v1::ReliefCase>> List(const std::string& region_prefix,
                                            const std::string& status, int64_t after,
                                            int page_size);
  // Approves, rejects or pays a case as DecideReliefStep decides for `actor` deciding at
  // `level`, with its history row (late_entry as IsLateEntry on `today`).
  // NOT_FOUND / PERMISSION_DENIED for a case unknown or outside the actor's region.
  absl::StatusOr<v1::ReliefCase> Step(const Actor& actor, ApprovalLevel level,
                                      const ReliefStep& step, absl::CivilDay today);
  // Emergency cases paid first whose completion was due before `as_of`, most overdue first.
  absl::StatusOr<Page<v1::ReliefCase>> ListOverdue(const std::string& region_prefix,
                                                   absl::CivilDay as_of, int64_t after,
                                                   int page_size);

 private:
  PgPool* pool_;
  ReliefRules relief_rules_;
  AssistanceRules rules_;
};

}  // namespace civil::assistance
