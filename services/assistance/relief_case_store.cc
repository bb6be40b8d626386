#include "services/assistance/relief_case_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"

namespace civil::assistance {

namespace {

constexpr char kReliefColumns[] =
    "c.case_id::text, c.household_id::text, c.member_id::text, hm.name, hm.id_masked, "
    "c.region_code, c.reason, c.amount_fen, c.happened_on::text, c.emergency, c.status, "
    "c.approval_level, c.decided_by, c.decided_on::text, c.decision_note, c.paid_on::text, "
    "coalesce(c.paid_fen, 0), c.completion_due::text, c.submitted_by, c.seq";
constexpr char kReliefFrom[] =
    " FROM relief_cases c JOIN household_members hm ON hm.member_id = c.member_id";
constexpr int kReliefSeq = 19;

v1::ReliefCase ReliefFromRow(const pqxx::row& r) {
  v1::ReliefCase c;
  c.set_case_id(r[0].as<std::string>());
  c.set_household_id(r[1].as<std::string>());
  c.set_member_id(r[2].as<std::string>());
  c.set_name(r[3].as<std::string>());
  c.set_id_number_masked(r[4].as<std::string>());
  c.set_region_code(r[5].as<std::string>());
  c.set_reason(r[6].as<std::string>());
  c.set_amount_fen(r[7].as<int64_t>());
  c.set_happened_on(r[8].as<std::string>());
  c.set_emergency(r[9].as<bool>());
  absl::StatusOr<ReliefStatus> status = ReliefStatusFromName(r[10].as<std::string>());
  c.set_status(static_cast<v1::ReliefCaseStatus>(status.ok() ? static_cast<int>(*status) : 0));
  const std::string level = r[11].as<std::string>();
  c.set_approval_level(level == "COUNTY"     ? v1::APPROVAL_LEVEL_COUNTY
                       : level == "TOWNSHIP" ? v1::APPROVAL_LEVEL_TOWNSHIP
                                             : v1::APPROVAL_LEVEL_UNSPECIFIED);
  c.set_decided_by(r[12].as<std::string>());
  c.set_decided_on(TextOf(r[13]));
  c.set_decision_note(r[14].as<std::string>());
  c.set_paid_on(TextOf(r[15]));
  c.set_paid_fen(r[16].as<int64_t>());
  c.set_completion_due(TextOf(r[17]));
  c.set_submitted_by(r[18].as<std::string>());
  return c;
}

absl::StatusOr<v1::ReliefCase> LoadReliefCase(pqxx::transaction_base& txn, const std::string& id,
                                              bool for_update) {
  pqxx::result rows =
      txn.exec_prepared(for_update ? "relief_case_get_for_update" : "relief_case_get", id);
  if (rows.empty()) return absl::NotFoundError(NotFound("case_id", "relief case"));
  v1::ReliefCase c = ReliefFromRow(rows[0]);
  for (const auto& r : txn.exec_prepared("relief_case_get_history", id)) {
    auto* h = c.add_history();
    h->set_action(r[0].as<std::string>());
    h->set_actor(r[1].as<std::string>());
    h->set_happened_on(r[2].as<std::string>());
    *h->mutable_recorded_at() = Micros(r[3]);
    h->set_note(r[4].as<std::string>());
    h->set_late_entry(r[5].as<bool>());
  }
  return c;
}

void AppendReliefHistory(pqxx::transaction_base& txn, const std::string& id,
                         absl::string_view action, const Actor& actor, absl::CivilDay happened,
                         const std::string& note, bool late) {
  txn.exec_prepared("relief_case_append_relief_history", id, std::string(action), actor.subject,
                    FormatDay(happened), note, late);
}

}  // namespace

ReliefCaseStore::ReliefCaseStore(PgPool* pool, ReliefRules relief_rules,
                                 const AssistanceRules& rules)
    : pool_(pool), relief_rules_(relief_rules), rules_(rules) {
  PrepareLoadPerson(pool_);
  pool_->Prepare("relief_case_get", absl::StrCat("SELECT ", kReliefColumns, kReliefFrom,
                                                 " WHERE c.case_id = $1::uuid"));
  pool_->Prepare("relief_case_get_for_update",
                 absl::StrCat("SELECT ", kReliefColumns, kReliefFrom,
                              " WHERE c.case_id = $1::uuid FOR UPDATE OF c"));
  pool_->Prepare(
      "relief_case_get_history",
      "SELECT action, actor, happened_on::text, (extract(epoch from recorded_at) * "
      "1000000)::bigint, note, late_entry FROM relief_case_history WHERE case_id = $1::uuid "
      "ORDER BY history_id");
  pool_->Prepare(
      "relief_case_append_relief_history",
      "INSERT INTO relief_case_history (case_id, action, actor, happened_on, note, late_entry) "
      "VALUES ($1::uuid, $2, $3, $4::date, $5, $6)");
  pool_->Prepare(
      "relief_case_create",
      "INSERT INTO relief_cases (household_id, member_id, id_index, region_code, reason, "
      "amount_fen, happened_on, emergency, status, submitted_by) VALUES ($1::uuid, "
      "$2::uuid, $3, $4, $5, $6, $7::date, $8, 'SUBMITTED', $9) RETURNING case_id::text");
  pool_->Prepare(
      "relief_case_list",
      absl::StrCat("SELECT ", kReliefColumns, kReliefFrom,
                   " WHERE c.region_code LIKE $1 || '%' AND ($2 = '' OR c.status = $2) AND "
                   "c.seq > $3 ORDER BY c.seq LIMIT $4"));
  pool_->Prepare(
      "relief_case_step_update_relief_cases",
      "UPDATE relief_cases SET status = $2, paid_on = $3::date, paid_fen = $4, paid_by = $5, "
      "completion_due = NULLIF($6, '')::date WHERE case_id = $1::uuid");
  pool_->Prepare("relief_case_step_update_relief_cases_2",
                 "UPDATE relief_cases SET status = $2, approval_level = $3, decided_by = $4, "
                 "decided_on = $5::date, decision_note = $6 WHERE case_id = $1::uuid");
  pool_->Prepare(
      "relief_case_list_overdue",
      absl::StrCat("SELECT * FROM (SELECT ", kReliefColumns,
                   ", row_number() OVER (ORDER BY c.completion_due, c.seq) AS n", kReliefFrom,
                   " WHERE c.status = 'PAID_PENDING_COMPLETION' AND c.completion_due < $2::date "
                   "AND c.region_code LIKE $1 || '%') s WHERE n > $3 ORDER BY n LIMIT $4"));
}

absl::StatusOr<v1::ReliefCase> ReliefCaseStore::Create(const Actor& actor,
                                                       const ReliefCaseDraft& draft,
                                                       absl::CivilDay today) {
  v1::ReliefCase out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<Person> person = LoadPerson(txn, actor, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    const std::string id =
        txn.exec_prepared1("relief_case_create", draft.household_id, draft.member_id,
                           person->id_index, person->region_code, draft.reason, draft.amount.fen(),
                           FormatDay(draft.happened_on), draft.emergency, actor.subject)[0]
            .as<std::string>();
    AppendReliefHistory(txn, id, "SUBMITTED", actor, draft.happened_on,
                        draft.emergency ? "emergency" : "",
                        IsLateEntry(rules_, draft.happened_on, today));
    absl::StatusOr<v1::ReliefCase> loaded = LoadReliefCase(txn, id, false);
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ReliefCase> ReliefCaseStore::Get(const Actor& actor,
                                                    const std::string& case_id) {
  absl::StatusOr<v1::ReliefCase> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    out = LoadReliefCase(txn, case_id, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok() && !actor.CanActOn(out->region_code())) {
    return absl::NotFoundError(NotFound("case_id", "relief case"));
  }
  return out;
}

absl::StatusOr<Page<v1::ReliefCase>> ReliefCaseStore::List(const std::string& region_prefix,
                                                           const std::string& status_name,
                                                           int64_t after, int page_size) {
  Page<v1::ReliefCase> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("relief_case_list", region_prefix, status_name, after, page_size + 1);
    out = TakePage<v1::ReliefCase>(rows, page_size, kReliefSeq, ReliefFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ReliefCase> ReliefCaseStore::Step(const Actor& actor, ApprovalLevel level,
                                                     const ReliefStep& step, absl::CivilDay today) {
  v1::ReliefCase out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<v1::ReliefCase> c = LoadReliefCase(txn, step.case_id, true);
    if (!c.ok()) return c.status();
    if (absl::Status s = actor.check_region("case_id", c->region_code()); !s.ok()) return s;
    ReliefCaseFacts facts;
    facts.status = static_cast<ReliefStatus>(c->status());
    facts.emergency = c->emergency();
    facts.amount = Money::Fen(c->amount_fen());
    facts.happened_on = ParseDay(c->happened_on()).value_or(absl::CivilDay());
    if (!c->decided_on().empty())
      facts.decided_on = ParseDay(c->decided_on()).value_or(absl::CivilDay());
    facts.submitted_by = c->submitted_by();
    absl::StatusOr<ReliefStepDecision> d =
        DecideReliefStep(relief_rules_, facts, step.action, step.happened_on, step.date_field,
                         step.amount, ReliefDecider{actor.subject, level});
    if (!d.ok()) return d.status();
    const std::string day = FormatDay(step.happened_on);
    const bool late = IsLateEntry(rules_, step.happened_on, today);
    if (step.action == ReliefAction::kPay) {
      txn.exec_prepared("relief_case_step_update_relief_cases", step.case_id,
                        std::string(ReliefStatusName(d->next)), day, d->paid.fen(), actor.subject,
                        d->completion_due ? FormatDay(*d->completion_due) : std::string());
      AppendReliefHistory(txn, step.case_id, d->history_action, actor, step.happened_on,
                          absl::StrCat(d->paid.ToYuan(), " yuan"), late);
    } else {
      txn.exec_prepared("relief_case_step_update_relief_cases_2", step.case_id,
                        std::string(ReliefStatusName(d->next)),
                        std::string(ApprovalLevelName(level)), actor.subject, day, step.note);
      AppendReliefHistory(txn, step.case_id, d->history_action, actor, step.happened_on, step.note,
                          late);
    }
    absl::StatusOr<v1::ReliefCase> loaded = LoadReliefCase(txn, step.case_id, false);
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Page<v1::ReliefCase>> ReliefCaseStore::ListOverdue(const std::string& region_prefix,
                                                                  absl::CivilDay as_of,
                                                                  int64_t after, int page_size) {
  Page<v1::ReliefCase> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    // Most overdue first: pages walk a row number over (completion_due, seq).
    pqxx::result rows = txn.exec_prepared("relief_case_list_overdue", region_prefix,
                                          FormatDay(as_of), after, page_size + 1);
    out = TakePage<v1::ReliefCase>(rows, page_size, kReliefSeq + 1, ReliefFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace civil::assistance
