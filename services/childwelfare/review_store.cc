#include "services/childwelfare/review_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {
namespace {

std::optional<absl::CivilMonth> OptionalMonthOf(const pqxx::field& f) {
  if (std::optional<absl::CivilDay> day = OptionalDayOf(f)) return absl::CivilMonth(*day);
  return std::nullopt;
}
std::string SituationName(ParentSituation s) {
  return std::string(kParentSituationNames.Name(static_cast<int>(s)));
}
ParentSituation SituationOf(const pqxx::field& f) {
  return static_cast<ParentSituation>(kParentSituationNames.Value(f.as<std::string>()));
}

const std::string& ReviewColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "review_id::text, child_id::text, review_date::text, father, mother, guardian_confirmed, "
      "placement_confirmed, in_school, school, findings, proposed, grounds_hold, prepared_by, "
      "status, outcome, decided_by, decided_on::text, decision_note, ",
      MicrosOf("created_at")));
  return *columns;
}

ReviewRecord ReviewFromRow(const pqxx::row& row) {
  ReviewRecord r;
  r.review_id = row[0].as<std::string>();
  r.child_id = row[1].as<std::string>();
  r.draft.on = DayOf(row[2]);
  r.draft.father = SituationOf(row[3]);
  r.draft.mother = SituationOf(row[4]);
  r.draft.guardian_confirmed = row[5].as<bool>();
  r.draft.placement_confirmed = row[6].as<bool>();
  r.draft.in_school = row[7].as<bool>();
  r.draft.school = row[8].as<std::string>();
  r.draft.findings = row[9].as<std::string>();
  r.draft.proposed =
      static_cast<ReviewOutcome>(kReviewOutcomeNames.Value(row[10].as<std::string>()));
  r.draft.grounds_hold = row[11].as<bool>();
  r.prepared_by = row[12].as<std::string>();
  r.status = static_cast<ReviewStatus>(kReviewStatusNames.Value(row[13].as<std::string>()));
  if (const int outcome = kReviewOutcomeNames.Value(row[14].as<std::string>()); outcome != 0) {
    r.outcome = static_cast<ReviewOutcome>(outcome);
  }
  r.decided_by = row[15].as<std::string>();
  r.decided_on = OptionalDayOf(row[16]);
  r.decision_note = row[17].as<std::string>();
  r.create_time_micros = row[18].as<int64_t>();
  return r;
}

// The case columns a review needs.
struct CaseFacts {
  ChildStatus status = ChildStatus::kActive;
  std::optional<absl::CivilDay> approved_on;
  Category category = Category::kOrphanDispersed;
  absl::CivilMonth start_month;
};

absl::StatusOr<CaseFacts> LockCase(pqxx::transaction_base& txn, const std::string& child_id,
                                   const RegionGuard& check_region) {
  const pqxx::result r = txn.exec_prepared("review_case_lock", child_id);
  if (r.empty()) return absl::NotFoundError("child_id: no such case");
  CIVIL_RETURN_IF_ERROR(check_region(r[0][0].as<std::string>()));
  return CaseFacts{static_cast<ChildStatus>(kChildStatusNames.Value(r[0][1].as<std::string>())),
                   OptionalDayOf(r[0][2]),
                   static_cast<Category>(kCategoryNames.Value(r[0][3].as<std::string>())),
                   absl::CivilMonth(DayOf(r[0][4]))};
}

}  // namespace

ReviewStore::ReviewStore(PgPool* pool, int education_max_age)
    : pool_(pool), education_max_age_(education_max_age) {
  pool_->Prepare("review_case_lock",
                 "SELECT region_code, status, approved_on::text, category, start_month::text FROM "
                 "children WHERE child_id = $1::uuid FOR UPDATE");
  pool_->Prepare(
      "review_insert",
      absl::StrCat("INSERT INTO child_reviews (child_id, review_date, father, mother, "
                   "guardian_confirmed, placement_confirmed, in_school, school, findings, "
                   "proposed, grounds_hold, prepared_by, status) VALUES ($1::uuid, $2::date, $3, "
                   "$4, $5, $6, $7, $8, $9, $10, $11, $12, 'PREPARED') RETURNING ",
                   ReviewColumns()));
  pool_->Prepare("review_lock", absl::StrCat("SELECT ", ReviewColumns(),
                                             " FROM child_reviews WHERE review_id = $1::uuid "
                                             "FOR UPDATE"));
  pool_->Prepare("review_decide",
                 absl::StrCat("UPDATE child_reviews SET status = 'DECIDED', outcome = $2, "
                              "decided_by = $3, decided_on = $4::date, decision_note = $5 WHERE "
                              "review_id = $1::uuid RETURNING ",
                              ReviewColumns()));
  pool_->Prepare("review_stop_case",
                 "UPDATE children SET status = 'STOPPED', end_month = $2::date, stop_reason = $3, "
                 "stop_note = $4, stopped_on = $5::date, updated_at = now() WHERE child_id = "
                 "$1::uuid");
  pool_->Prepare("review_list", absl::StrCat("SELECT ", ReviewColumns(),
                                             " FROM child_reviews WHERE child_id = $1::uuid "
                                             "ORDER BY review_date DESC, created_at DESC"));
  pool_->Prepare("review_decided_in",
                 "SELECT count(*) FILTER (WHERE r.outcome = 'CONTINUE'), count(*) FILTER (WHERE "
                 "r.outcome = 'STOP') FROM child_reviews r JOIN children c USING (child_id) "
                 "WHERE r.status = 'DECIDED' AND r.decided_on >= $1::date AND r.decided_on <= "
                 "$2::date AND c.region_code LIKE $3 || '%'");
  // Cases approved by $1 covering the month $2 within $3, with their last review decided by $1 and
  // the open one (the age stop is the domain's).
  pool_->Prepare(
      "review_due",
      "SELECT c.child_id::text, c.name, c.id_masked, c.region_code, c.category, "
      "c.approved_on::text, c.birth_date::text, c.education_until::text, "
      "(SELECT max(r.review_date) FROM child_reviews r WHERE r.child_id = c.child_id AND "
      "r.status = 'DECIDED' AND r.decided_on <= $1::date)::text, "
      "coalesce((SELECT r.review_id::text FROM child_reviews r WHERE r.child_id = c.child_id AND "
      "r.status = 'PREPARED'), '') "
      "FROM children c WHERE c.status = 'ACTIVE' AND c.approved_on <= $1::date AND "
      "c.start_month <= $2::date AND (c.end_month IS NULL OR c.end_month > $2::date) AND "
      "c.region_code LIKE $3 || '%' ORDER BY c.seq");
}

absl::StatusOr<ReviewRecord> ReviewStore::Prepare(const std::string& child_id, ReviewDraft draft,
                                                  const std::string& actor,
                                                  const RegionGuard& check_region) {
  ReviewRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const CaseFacts facts, LockCase(txn, child_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckReviewable(facts.status, facts.approved_on, draft.on));
    CIVIL_RETURN_IF_ERROR(CheckProposal(facts.category, draft));
    try {
      created = ReviewFromRow(txn.exec_prepared1(
          "review_insert", child_id, FormatDay(draft.on), SituationName(draft.father),
          SituationName(draft.mother), draft.guardian_confirmed, draft.placement_confirmed,
          draft.in_school, draft.school, draft.findings,
          std::string(kReviewOutcomeNames.Name(static_cast<int>(draft.proposed))),
          draft.grounds_hold, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "child_id: the case has a review not decided yet; DecideReview first");
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<ReviewDecision> ReviewStore::Decide(const std::string& review_id,
                                                   const std::string& decider,
                                                   ReviewOutcome outcome, const std::string& note,
                                                   absl::CivilDay on,
                                                   const RegionGuard& check_region) {
  ReviewDecision decision;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result r = txn.exec_prepared("review_lock", review_id);
    if (r.empty()) return absl::NotFoundError("review_id: no such review");
    const ReviewRecord current = ReviewFromRow(r[0]);
    CIVIL_ASSIGN_OR_RETURN(const CaseFacts facts, LockCase(txn, current.child_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckReviewDecision(current.status, current.prepared_by, decider,
                                              current.draft.on, current.draft.grounds_hold, outcome,
                                              on));
    decision = ReviewDecision();
    decision.child_status = facts.status;
    if (outcome == ReviewOutcome::kStop) {
      CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth end,
                             StopMonth(facts.status, facts.start_month, on));
      const StopReason reason = ReviewStopReason(current.draft.father, current.draft.mother);
      txn.exec_prepared0("review_stop_case", current.child_id, MonthDay(end),
                         std::string(kStopReasonNames.Name(static_cast<int>(reason))),
                         absl::StrCat("yearly review ", FormatDay(current.draft.on), ": ", note),
                         FormatDay(on));
      decision.child_status = ChildStatus::kStopped;
      decision.end_month = end;
    }
    decision.review = ReviewFromRow(
        txn.exec_prepared1("review_decide", review_id,
                           std::string(kReviewOutcomeNames.Name(static_cast<int>(outcome))),
                           decider, FormatDay(on), note));
    return absl::OkStatus();
  }));
  return decision;
}

absl::StatusOr<std::vector<ReviewRecord>> ReviewStore::List(const std::string& child_id,
                                                            const RegionGuard& check_region) {
  std::vector<ReviewRecord> reviews;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    reviews.clear();
    CIVIL_RETURN_IF_ERROR(LockCase(txn, child_id, check_region).status());
    for (const auto& row : txn.exec_prepared("review_list", child_id)) {
      reviews.push_back(ReviewFromRow(row));
    }
    return absl::OkStatus();
  }));
  return reviews;
}

absl::StatusOr<std::vector<ReviewDueRecord>> ReviewStore::Due(const std::string& region_prefix,
                                                              absl::CivilDay as_of) {
  const absl::CivilMonth month(as_of);
  std::vector<ReviewDueRecord> due;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    due.clear();
    for (const auto& row :
         txn.exec_prepared("review_due", FormatDay(as_of), MonthDay(month), region_prefix)) {
      if (month >= AgeStopMonth(DayOf(row[6]), OptionalMonthOf(row[7]), education_max_age_)) {
        continue;
      }
      const std::optional<absl::CivilDay> last = OptionalDayOf(row[8]);
      const absl::CivilDay due_on = ReviewDueOn(DayOf(row[5]), last);
      const ReviewStanding standing = StandingOn(due_on, as_of);
      if (standing == ReviewStanding::kNotDue) continue;
      due.push_back(ReviewDueRecord{
          row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
          row[3].as<std::string>(),
          static_cast<Category>(kCategoryNames.Value(row[4].as<std::string>())), due_on,
          standing == ReviewStanding::kOverdue, last, row[9].as<std::string>()});
    }
    return absl::OkStatus();
  }));
  std::stable_sort(due.begin(), due.end(), [](const ReviewDueRecord& a, const ReviewDueRecord& b) {
    return a.due_on < b.due_on;
  });
  return due;
}

absl::StatusOr<ReviewFigures> ReviewStore::Decided(const std::string& region_prefix,
                                                   absl::CivilDay start, absl::CivilDay end) {
  ReviewFigures figures;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    const pqxx::row row =
        txn.exec_prepared1("review_decided_in", FormatDay(start), FormatDay(end), region_prefix);
    figures = ReviewFigures{row[0].as<int>(), row[1].as<int>()};
    return absl::OkStatus();
  }));
  return figures;
}

}  // namespace civil::childwelfare
