// PostgreSQL access for reviews (复审复核) of enrolments.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/enrolment_store.h"
#include "services/assistance/relief_store_util.h"
#include "services/assistance/review.h"
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
  ReviewStore(PgPool* pool, const AssistanceRules& rules);

  // Active enrolments in `region_prefix` of `programme` (0 = all) with review_due before
  // `due_before`, earliest due first; amounts as GetEnrolment shows them on `today`.
  absl::StatusOr<Page<v1::Enrolment>> ListDue(const std::string& region_prefix,
                                              absl::CivilDay due_before, int programme,
                                              int64_t after, int page_size, absl::CivilDay today);
  // Records an INCREASE, DECREASE or UNCHANGED review and carries out its outcome (ReviewStart,
  // DecideReview). NOT_FOUND / PERMISSION_DENIED for the enrolment; FAILED_PRECONDITION when it
  // has ended or the new amount contradicts the outcome.
  absl::StatusOr<std::pair<v1::Review, v1::Enrolment>> Record(const Actor& actor,
                                                              const ReviewDraft& draft,
                                                              absl::CivilDay today);
  // Records a STOP review of `ended`, the enrolment as EnrolmentStore::Exit left it from
  // `effective` (StopEffectiveMonth).
  absl::StatusOr<v1::Review> RecordStop(const Actor& actor, const ReviewDraft& draft,
                                        const v1::Enrolment& ended, absl::CivilMonth effective,
                                        absl::CivilDay today);

 private:
  PgPool* pool_;
  AssistanceRules rules_;
};

}  // namespace civil::assistance
