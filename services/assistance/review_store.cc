#include "services/assistance/review_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::assistance {

namespace {

constexpr char kReviewColumns[] =
    "review_id::text, enrolment_id::text, outcome, previous_amount_fen, new_amount_fen, "
    "effective_month::text, exit_reason, reason, decided_on::text, decided_by, "
    "next_review_due::text, late_entry";

v1::Review ReviewFromRow(const pqxx::row& r) {
  v1::Review v;
  v.set_review_id(r[0].as<std::string>());
  v.set_enrolment_id(r[1].as<std::string>());
  absl::StatusOr<ReviewOutcome> outcome = ReviewOutcomeFromName(r[2].as<std::string>());
  v.set_outcome(static_cast<v1::ReviewOutcome>(outcome.ok() ? static_cast<int>(*outcome) : 0));
  v.set_previous_amount_fen(r[3].as<int64_t>());
  v.set_new_amount_fen(r[4].as<int64_t>());
  v.set_effective_month(MonthTextOf(r[5]));
  absl::StatusOr<ExitReason> reason = ExitReasonFromName(r[6].as<std::string>());
  v.set_exit_reason(static_cast<v1::ExitReason>(reason.ok() ? static_cast<int>(*reason) : 0));
  v.set_reason(r[7].as<std::string>());
  v.set_decided_on(r[8].as<std::string>());
  v.set_decided_by(r[9].as<std::string>());
  v.set_next_review_due(TextOf(r[10]));
  v.set_late_entry(r[11].as<bool>());
  return v;
}

}  // namespace

ReviewStore::ReviewStore(PgPool* pool, const AssistanceRules& rules) : pool_(pool), rules_(rules) {
  pool_->Prepare(
      "review_list_due",
      "SELECT * FROM (SELECT enrolment_id::text, row_number() OVER (ORDER BY review_due, seq) "
      "AS n FROM enrolments WHERE status = 'ACTIVE' AND review_due < $2::date AND region_code "
      "LIKE $1 || '%' AND ($3 = '' OR programme = $3)) s WHERE n > $4 ORDER BY n LIMIT $5");
  pool_->Prepare(
      "review_record_stop",
      absl::StrCat("INSERT INTO enrolment_reviews (enrolment_id, outcome, "
                   "previous_amount_fen, new_amount_fen, effective_month, exit_reason, "
                   "reason, decided_on, decided_by, late_entry) VALUES ($1::uuid, 'STOP', $2, "
                   "0, $3::date, $4, $5, $6::date, $7, $8) RETURNING ",
                   kReviewColumns));
  pool_->Prepare(
      "review_record_select_enrolments",
      "SELECT programme, area, region_code, status, start_month::text FROM enrolments WHERE "
      "enrolment_id = $1::uuid FOR UPDATE");
  pool_->Prepare("review_record_select_payments",
                 "SELECT max(month)::text FROM payments WHERE enrolment_id = $1::uuid AND kind = "
                 "'REGULAR'");
  pool_->Prepare(
      "review_record_select_enrolment_amounts",
      "SELECT amount_fen, persons FROM enrolment_amounts WHERE enrolment_id = $1::uuid AND "
      "from_month <= $2::date ORDER BY from_month DESC LIMIT 1");
  pool_->Prepare("review_record_insert_enrolment_amounts",
                 "INSERT INTO enrolment_amounts VALUES ($1::uuid, $2::date, $3, $4) ON CONFLICT "
                 "(enrolment_id, from_month) DO UPDATE SET amount_fen = excluded.amount_fen");
  pool_->Prepare("review_record_update_enrolments",
                 "UPDATE enrolments SET review_due = $2::date WHERE enrolment_id = $1::uuid");
  pool_->Prepare(
      "review_record_insert_enrolment_reviews",
      absl::StrCat("INSERT INTO enrolment_reviews (enrolment_id, outcome, previous_amount_fen, "
                   "new_amount_fen, effective_month, reason, decided_on, decided_by, "
                   "next_review_due, late_entry) VALUES ($1::uuid, $2, $3, $4, $5::date, $6, "
                   "$7::date, $8, $9::date, $10) RETURNING ",
                   kReviewColumns));
  pool_->Prepare("review_record_insert_enrolment_history",
                 "INSERT INTO enrolment_history (enrolment_id, action, actor, happened_on, note, "
                 "late_entry) VALUES ($1::uuid, 'REVIEWED', $2, $3::date, $4, $5)");
}

absl::StatusOr<Page<v1::Enrolment>> ReviewStore::ListDue(const std::string& region_prefix,
                                                         absl::CivilDay due_before, int programme,
                                                         int64_t after, int page_size,
                                                         absl::CivilDay today) {
  absl::StatusOr<Page<v1::Enrolment>> out = Page<v1::Enrolment>();
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    // Earliest due first: pages walk a row number over (review_due, seq).
    pqxx::result rows = txn.exec_prepared(
        "review_list_due", region_prefix, FormatDay(due_before),
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        after, page_size + 1);
    Page<v1::Enrolment> page;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      absl::StatusOr<v1::Enrolment> e =
          EnrolmentStore::Load(txn, rows[i][0].as<std::string>(), absl::CivilMonth(today));
      if (!e.ok()) return e.status();
      page.items.push_back(*std::move(e));
      page.next_after = rows[i][1].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    out = std::move(page);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Review> ReviewStore::RecordStop(const Actor& actor, const ReviewDraft& draft,
                                                   const v1::Enrolment& ended,
                                                   absl::CivilMonth effective,
                                                   absl::CivilDay today) {
  const bool late = IsLateEntry(rules_, draft.decided_on, today);
  v1::Review out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    out = ReviewFromRow(
        txn.exec_prepared1("review_record_stop", draft.enrolment_id, ended.monthly_amount_fen(),
                           MonthDay(effective), std::string(ExitReasonName(draft.exit_reason)),
                           draft.reason, FormatDay(draft.decided_on), actor.subject, late));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::pair<v1::Review, v1::Enrolment>> ReviewStore::Record(const Actor& actor,
                                                                         const ReviewDraft& draft,
                                                                         absl::CivilDay today) {
  std::pair<v1::Review, v1::Enrolment> out;
  const bool late = IsLateEntry(rules_, draft.decided_on, today);
  if (draft.outcome == ReviewOutcome::kStop) {
    return absl::InternalError("a STOP is recorded with RecordStop after EnrolmentStore::Exit");
  }
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result rows = txn.exec_prepared("review_record_select_enrolments", draft.enrolment_id);
    if (rows.empty()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
    if (absl::Status s = actor.check_region("enrolment_id", rows[0][2].as<std::string>());
        !s.ok()) {
      return s;
    }
    absl::StatusOr<Programme> programme = ProgrammeFromName(rows[0][0].as<std::string>());
    if (!programme.ok()) return programme.status();
    ReviewedEnrolment enrolment;
    enrolment.programme = *programme;
    enrolment.urban = rows[0][1].as<std::string>() == "URBAN";
    enrolment.active = rows[0][3].as<std::string>() == "ACTIVE";
    enrolment.start = MonthOf(rows[0][4]);
    pqxx::result paid = txn.exec_prepared("review_record_select_payments", draft.enrolment_id);
    if (!paid[0][0].is_null()) enrolment.last_paid = MonthOf(paid[0][0]);
    absl::StatusOr<absl::CivilMonth> start = ReviewStart(enrolment, draft.decided_on);
    if (!start.ok()) return start.status();
    const absl::CivilMonth effective = *start;
    pqxx::result amount = txn.exec_prepared("review_record_select_enrolment_amounts",
                                            draft.enrolment_id, MonthDay(effective));
    // The amount the enrolment pays in `effective` as it stands: by the standard in force then
    // (提标), as the disbursement computes it, not the amount decided at approval.
    absl::StatusOr<EnrolmentMonthAmount> in_effect =
        EnrolmentStore::AmountFor(txn, draft.enrolment_id, effective);
    if (!in_effect.ok()) return in_effect.status();
    const Money current = in_effect->payment.amount;
    const int persons = amount.empty() ? 0 : amount[0][1].as<int>();
    absl::StatusOr<ReviewDecision> decided =
        DecideReview(rules_, enrolment, draft.outcome, effective, current, draft.new_amount);
    if (!decided.ok()) return decided.status();
    const Money next_amount = decided->amount;
    if (decided->amount_changes) {
      // A new amount from the effective month; earlier months and their payments stay as they are.
      txn.exec_prepared("review_record_insert_enrolment_amounts", draft.enrolment_id,
                        MonthDay(effective), next_amount.fen(), persons);
    }
    const absl::CivilDay next_due = decided->next_review_due;
    txn.exec_prepared("review_record_update_enrolments", draft.enrolment_id, FormatDay(next_due));
    out.first = ReviewFromRow(
        txn.exec_prepared1("review_record_insert_enrolment_reviews", draft.enrolment_id,
                           std::string(ReviewOutcomeName(draft.outcome)), current.fen(),
                           next_amount.fen(), MonthDay(effective), draft.reason,
                           FormatDay(draft.decided_on), actor.subject, FormatDay(next_due), late));
    txn.exec_prepared(
        "review_record_insert_enrolment_history", draft.enrolment_id, actor.subject,
        FormatDay(draft.decided_on),
        absl::StrCat(ReviewOutcomeName(draft.outcome), " amount_fen=", next_amount.fen(), " from ",
                     FormatMonth(effective), draft.reason.empty() ? "" : ": ", draft.reason),
        late);
    absl::StatusOr<v1::Enrolment> loaded =
        EnrolmentStore::Load(txn, draft.enrolment_id, absl::CivilMonth(today));
    if (!loaded.ok()) return loaded.status();
    out.second = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace civil::assistance
