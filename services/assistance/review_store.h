// PostgreSQL access for reviews (复审复核) of enrolments.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/programme_store.h"
#include "services/assistance/relief_store_util.h"
#include "services/assistance/review.h"
#include "services/common/caller.h"
#include "services/common/pg.h"

namespace civil::assistance {

// A review, as the adapter validated it.
struct ReviewDraft {
  std::string enrolment_id;
  ReviewOutcome outcome = ReviewOutcome::kUnchanged;
  Money new_amount;
  std::string reason;
  ExitReason exit_reason = ExitReason::kOther;  // kStop
  bool phase_out = false;                       // kStop
  absl::CivilDay decided_on;
};

class ReviewStore {
 public:
  // `enrolments` carries out STOP (EnrolmentStore::Exit); not owned.
  ReviewStore(PgPool* pool, EnrolmentStore* enrolments, const AssistanceRules& rules);

  // Active enrolments in `region_prefix` of `programme` (0 = all) with review_due before
  // `due_before`, earliest due first.
  absl::StatusOr<ResultPage<v1::Enrolment>> ListDue(const std::string& region_prefix,
                                                    absl::CivilDay due_before, int programme,
                                                    int64_t after, int page_size);
  // Records the review and carries out its outcome. NOT_FOUND / PERMISSION_DENIED for the
  // enrolment; FAILED_PRECONDITION when it has ended or the new amount contradicts the outcome.
  absl::StatusOr<std::pair<v1::Review, v1::Enrolment>> Record(const Caller& caller,
                                                              const ReviewDraft& draft,
                                                              absl::CivilDay today);

 private:
  PgPool* pool_;
  EnrolmentStore* enrolments_;
  AssistanceRules rules_;
};

}  // namespace civil::assistance
