// PostgreSQL access for the yearly reviews of 孤儿 / 事实无人抚养儿童 cases: prepared reviews (one
// open per case), decisions (a STOP stops the case in the same transaction) and the worklist of
// cases due. All SQL of child_reviews lives here; the rules are review.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/childwelfare/child_store.h"
#include "services/childwelfare/review.h"
#include "services/common/pg.h"

namespace civil::childwelfare {

struct ReviewRecord {
  std::string review_id;
  std::string child_id;
  ReviewDraft draft;  // the findings as prepared, with grounds_hold
  std::string prepared_by;
  ReviewStatus status = ReviewStatus::kPrepared;
  std::optional<ReviewOutcome> outcome;
  std::string decided_by;
  std::optional<absl::CivilDay> decided_on;
  std::string decision_note;
  int64_t create_time_micros = 0;
};

struct ReviewDecision {
  ReviewRecord review;
  ChildStatus child_status = ChildStatus::kActive;
  std::optional<absl::CivilMonth> end_month;
};

struct ReviewDueRecord {
  std::string child_id;
  std::string name;
  std::string id_masked;
  std::string region_code;
  Category category = Category::kOrphanDispersed;
  absl::CivilDay due_on;
  bool overdue = false;
  std::optional<absl::CivilDay> last_review;
  std::string open_review_id;
};

struct ReviewFigures {
  int continued = 0;
  int stopped = 0;
};

class ReviewStore {
 public:
  // Prepares the statements on `pool` (not owned); `education_max_age` bounds the age stop.
  ReviewStore(PgPool* pool, int education_max_age);

  // Records the township review of `child_id` under a row lock on the case (CheckReviewable,
  // CheckProposal). NOT_FOUND without the case; ALREADY_EXISTS "child_id: …" with an open review.
  absl::StatusOr<ReviewRecord> Prepare(const std::string& child_id, ReviewDraft draft,
                                       const std::string& actor, const RegionGuard& check_region);

  // Decides a review (CheckReviewDecision); STOP stops the case after the month of `on` with
  // ReviewStopReason. NOT_FOUND without the review.
  absl::StatusOr<ReviewDecision> Decide(const std::string& review_id, const std::string& decider,
                                        ReviewOutcome outcome, const std::string& note,
                                        absl::CivilDay on, const RegionGuard& check_region);

  // The reviews of a case, the latest first; NOT_FOUND without the case.
  absl::StatusOr<std::vector<ReviewRecord>> List(const std::string& child_id,
                                                 const RegionGuard& check_region);

  // Active cases within `region_prefix` on `as_of` (approved by then, covering its month, before
  // the age stop) whose review is due or overdue (StandingOn), the earliest due first.
  absl::StatusOr<std::vector<ReviewDueRecord>> Due(const std::string& region_prefix,
                                                   absl::CivilDay as_of);

  // Reviews decided from `start` to `end` of cases within `region_prefix`, by outcome.
  absl::StatusOr<ReviewFigures> Decided(const std::string& region_prefix, absl::CivilDay start,
                                        absl::CivilDay end);

 private:
  PgPool* pool_;
  int education_max_age_;
};

}  // namespace civil::childwelfare
