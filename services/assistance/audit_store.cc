#include "services/assistance/audit_store.h"

#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/assistance/standard_store.h"
#include "services/common/id_number.h"
#include "services/common/log.h"

namespace civil::assistance {

namespace {

// One problem found by a check, before it is stored.
struct Candidate {
  FindingKey key;
  std::string subject;
  std::string region_code;
  std::string detail;
  int64_t amount_fen = 0;
  std::string household_id;
  std::string enrolment_id;
};

constexpr char kFindingColumns[] =
    "finding_id::text, kind, subject, region_code, period, detail, amount_fen, status, "
    "first_run_id::text, last_run_id::text, (extract(epoch from found_at) * 1000000)::bigint, "
    "decided_by, decided_on::text, decision_reason, coalesce(household_id::text, ''), "
    "coalesce(enrolment_id::text, ''), seq";

v1::Finding FindingFromRow(const pqxx::row& r) {
  v1::Finding f;
  f.set_finding_id(r[0].as<std::string>());
  absl::StatusOr<FindingKind> kind = FindingKindFromName(r[1].as<std::string>());
  f.set_kind(static_cast<v1::FindingKind>(kind.ok() ? static_cast<int>(*kind) : 0));
  f.set_subject(r[2].as<std::string>());
  f.set_region_code(r[3].as<std::string>());
  f.set_period(r[4].as<std::string>());
  f.set_detail(r[5].as<std::string>());
  f.set_amount_fen(r[6].as<int64_t>());
  absl::StatusOr<FindingStatus> status = FindingStatusFromName(r[7].as<std::string>());
  f.set_status(static_cast<v1::FindingStatus>(status.ok() ? static_cast<int>(*status) : 0));
  f.set_first_run_id(r[8].as<std::string>());
  f.set_last_run_id(r[9].as<std::string>());
  *f.mutable_found_at() = Micros(r[10]);
  f.set_decided_by(r[11].as<std::string>());
  f.set_decided_on(TextOf(r[12]));
  f.set_decision_reason(r[13].as<std::string>());
  f.set_household_id(r[14].as<std::string>());
  f.set_enrolment_id(r[15].as<std::string>());
  return f;
}

std::string Span(const std::string& start, const std::string& end) {
  return absl::StrCat(start.substr(0, 7), "..", end.empty() ? "" : end.substr(0, 7));
}

// 重复享受: the same person in two enrolments of one exclusive group for overlapping months.
void FindExclusiveEnrolments(pqxx::transaction_base& txn, const std::string& prefix,
                             const std::string& month, std::vector<Candidate>* out) {
  for (const auto& r : txn.exec_prepared("audit_find_exclusive_enrolments", prefix, month)) {
    Candidate c;
    c.key = ExclusiveEnrolmentsKey(r[0].as<std::string>(), MonthOf(r[3]));
    c.subject = r[1].as<std::string>();
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat(r[5].as<std::string>(), " enrolment ", r[4].as<std::string>(), " (",
                            Span(r[6].as<std::string>(), TextOf(r[7])), ") and ",
                            r[9].as<std::string>(), " enrolment ", r[8].as<std::string>(), " (",
                            Span(r[10].as<std::string>(), TextOf(r[11])),
                            ") exclude each other and overlap from ", MonthTextOf(r[3]));
    c.household_id = r[12].as<std::string>();
    c.enrolment_id = r[8].as<std::string>();
    out->push_back(std::move(c));
  }
}

// 重复享受: a person active in two households, as a member (the unique index forbids it; imported
// data may not have gone through it) or covered in `month` by enrolments of two households.
void FindTwoHouseholds(pqxx::transaction_base& txn, const std::string& prefix,
                       const std::string& month, std::vector<Candidate>* out) {
  for (const auto& r :
       txn.exec_prepared("audit_find_two_households_select_household_members", prefix)) {
    Candidate c;
    c.key = TwoHouseholdsKey(r[0].as<std::string>(), MonthOf(r[3]));
    c.subject = r[1].as<std::string>();
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat("an active member of households ", r[4].as<std::string>(), " and ",
                            r[5].as<std::string>());
    c.household_id = r[5].as<std::string>();
    out->push_back(std::move(c));
  }
  for (const auto& r :
       txn.exec_prepared("audit_find_two_households_select_enrolment_members", prefix, month)) {
    Candidate c;
    c.key = TwoHouseholdsKey(r[0].as<std::string>(), MonthOf(r[3]));
    c.subject = r[1].as<std::string>();
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat("covered by ", r[5].as<std::string>(), " of household ",
                            r[4].as<std::string>(), " and ", r[7].as<std::string>(),
                            " of household ", r[6].as<std::string>(), " from ", MonthTextOf(r[3]));
    c.household_id = r[6].as<std::string>();
    c.enrolment_id = r[8].as<std::string>();
    out->push_back(std::move(c));
  }
}

// 违规享受: payments for months after the enrolment ended (other than by death, which the next
// check reports) and payments after a recorded death that still count the person.
void FindImproperPayments(pqxx::transaction_base& txn, const std::string& prefix,
                          std::vector<Candidate>* out) {
  for (const auto& r :
       txn.exec_prepared("audit_find_improper_payments_select_enrolment_members", prefix)) {
    Candidate c;
    c.key = PaidAfterEndKey(r[0].as<std::string>(), MonthOf(r[2]));
    c.subject = absl::StrCat(TextOf(r[8]), " (enrolment ", r[0].as<std::string>(), ")");
    c.region_code = r[1].as<std::string>();
    c.amount_fen = r[5].as<int64_t>();
    c.detail = absl::StrCat(r[4].as<int64_t>(), " payment(s) for ", MonthTextOf(r[2]), "..",
                            MonthTextOf(r[3]), " after the enrolment ended with ",
                            MonthTextOf(r[6]), ": ", Money::Fen(c.amount_fen).ToYuan(), " yuan");
    c.household_id = r[7].as<std::string>();
    c.enrolment_id = r[0].as<std::string>();
    out->push_back(std::move(c));
  }
  for (const auto& r :
       txn.exec_prepared("audit_find_improper_payments_with_enrolment_members", prefix)) {
    Candidate c;
    c.key = PaidAfterDeathKey(r[0].as<std::string>(), r[1].as<std::string>(), MonthOf(r[4]));
    c.subject = absl::StrCat(r[2].as<std::string>(), " (enrolment ", r[0].as<std::string>(), ")");
    c.region_code = r[3].as<std::string>();
    c.amount_fen = r[7].as<int64_t>();
    c.detail =
        absl::StrCat(r[6].as<int64_t>(), " payment(s) for ", MonthTextOf(r[4]), "..",
                     MonthTextOf(r[5]), " still counting a person recorded dead (last month ",
                     MonthTextOf(r[8]), "): ", Money::Fen(c.amount_fen).ToYuan(), " yuan");
    c.household_id = r[9].as<std::string>();
    c.enrolment_id = r[0].as<std::string>();
    out->push_back(std::move(c));
  }
}

// Active enrolments whose review was due before `as_of`.
void FindReviewsOverdue(pqxx::transaction_base& txn, const std::string& prefix,
                        const std::string& as_of, std::vector<Candidate>* out) {
  for (const auto& r : txn.exec_prepared("audit_find_reviews_overdue", prefix, as_of)) {
    Candidate c;
    c.key = ReviewOverdueKey(r[0].as<std::string>(), DayOf(r[2]));
    c.subject = absl::StrCat(TextOf(r[5]), " (enrolment ", r[0].as<std::string>(), ")");
    c.region_code = r[1].as<std::string>();
    c.detail = absl::StrCat(r[3].as<std::string>(), " review was due on ", r[2].as<std::string>());
    c.household_id = r[4].as<std::string>();
    c.enrolment_id = r[0].as<std::string>();
    out->push_back(std::move(c));
  }
}

// 应享未享: the latest investigated application of each household, not rejected (and not an
// approval into 低保/特困 or a subsidy, whose later exit speaks for itself), whose income is below
// the 低保 standard in force on `as_of` × active members, while no active member is covered by
// 低保 or 特困 in the as-of month.
absl::Status FindEligibleNotEnrolled(pqxx::transaction_base& txn, const std::string& prefix,
                                     absl::CivilDay as_of, std::vector<Candidate>* out) {
  const std::string month = MonthDay(absl::CivilMonth(as_of));
  for (const auto& r :
       txn.exec_prepared("audit_find_eligible_not_enrolled", prefix, FormatDay(as_of), month)) {
    const std::string household_id = r[0].as<std::string>();
    // Active members, head first: their number and the head's masked ID.
    pqxx::result members =
        txn.exec_prepared("audit_find_eligible_not_enrolled_members", household_id);
    if (members.empty()) continue;
    const int count = members[0][0].as<int>();
    absl::StatusOr<StandardValues> standard =
        StandardStore::InForce(txn, Programme::kDibao, r[3].as<std::string>(),
                               r[2].as<std::string>(), absl::CivilMonth(as_of));
    if (!standard.ok()) continue;  // no 低保 line set there: nothing to compare with
    const Money income = Money::Fen(r[6].as<int64_t>());
    if (!IsBelowDibaoLine(standard->monthly, count, income)) continue;
    Candidate c;
    c.key = EligibleNotEnrolledKey(household_id, MonthOf(r[7]));
    c.subject = absl::StrCat(TextOf(members[0][1]), " (household ", household_id, ")");
    c.region_code = r[2].as<std::string>();
    c.detail = absl::StrCat("income ", income.ToYuan(), " yuan is below the 低保 line ",
                            standard->monthly.ToYuan(), " × ", count, " = ",
                            (standard->monthly * count).ToYuan(), " yuan (", r[4].as<std::string>(),
                            " application ", r[1].as<std::string>(), ", ", r[5].as<std::string>(),
                            "); not enrolled in 低保 or 特困");
    c.amount_fen = 0;
    c.household_id = household_id;
    out->push_back(std::move(c));
  }
  return absl::OkStatus();
}

}  // namespace

AuditStore::AuditStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare(
      "audit_find_exclusive_enrolments",
      "SELECT m1.id_index, hm.id_masked, e2.region_code, greatest(m1.start_month, "
      "m2.start_month)::text, e1.enrolment_id::text, e1.programme, m1.start_month::text, "
      "m1.end_month::text, e2.enrolment_id::text, e2.programme, m2.start_month::text, "
      "m2.end_month::text, e2.household_id::text FROM enrolment_members m1 JOIN "
      "enrolment_members m2 ON m2.id_index = m1.id_index AND m2.exclusive_group = "
      "m1.exclusive_group AND m2.enrolment_id > m1.enrolment_id JOIN enrolments e1 ON "
      "e1.enrolment_id = m1.enrolment_id JOIN enrolments e2 ON e2.enrolment_id = "
      "m2.enrolment_id JOIN household_members hm ON hm.member_id = m2.member_id WHERE "
      "m1.start_month <= coalesce(m2.end_month, 'infinity'::date) AND m2.start_month <= "
      "coalesce(m1.end_month, 'infinity'::date) AND greatest(m1.start_month, "
      "m2.start_month) <= $2::date AND (e1.region_code LIKE $1 || '%' OR e2.region_code "
      "LIKE $1 || '%') ORDER BY 1, 4");
  pool_->Prepare(
      "audit_find_two_households_select_household_members",
      "SELECT a.id_index, a.id_masked, hb.region_code, to_char(greatest(a.joined_at, "
      "b.joined_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-01'), a.household_id::text, "
      "b.household_id::text FROM household_members a JOIN household_members b ON b.id_index "
      "= a.id_index AND b.household_id > a.household_id AND b.active JOIN households ha ON "
      "ha.household_id = a.household_id JOIN households hb ON hb.household_id = "
      "b.household_id WHERE a.active AND (ha.region_code LIKE $1 || '%' OR hb.region_code "
      "LIKE $1 || '%')");
  pool_->Prepare(
      "audit_find_two_households_select_enrolment_members",
      "SELECT m1.id_index, hm.id_masked, e2.region_code, greatest(m1.start_month, "
      "m2.start_month)::text, e1.household_id::text, e1.programme, e2.household_id::text, "
      "e2.programme, e2.enrolment_id::text FROM enrolment_members m1 JOIN enrolment_members "
      "m2 ON m2.id_index = m1.id_index JOIN enrolments e1 ON e1.enrolment_id = "
      "m1.enrolment_id JOIN enrolments e2 ON e2.enrolment_id = m2.enrolment_id AND "
      "e2.household_id > e1.household_id JOIN household_members hm ON hm.member_id = "
      "m2.member_id WHERE m1.start_month <= $2::date AND (m1.end_month IS NULL OR "
      "m1.end_month >= $2::date) AND m2.start_month <= $2::date AND (m2.end_month IS NULL OR "
      "m2.end_month >= $2::date) AND (e1.region_code LIKE $1 || '%' OR e2.region_code LIKE "
      "$1 || '%') ORDER BY 1, 4");
  pool_->Prepare(
      "audit_find_improper_payments_select_enrolment_members",
      "SELECT e.enrolment_id::text, e.region_code, min(p.month)::text, max(p.month)::text, "
      "count(*), sum(p.amount_fen), e.end_month::text, e.household_id::text, "
      "(SELECT hm.id_masked FROM enrolment_members m JOIN household_members hm ON "
      "hm.member_id = m.member_id WHERE m.enrolment_id = e.enrolment_id ORDER BY "
      "hm.position LIMIT 1) FROM payments p JOIN enrolments e ON e.enrolment_id = "
      "p.enrolment_id WHERE e.end_month IS NOT NULL AND p.month > e.end_month AND "
      "p.amount_fen > 0 AND e.exit_reason <> 'DEATH' AND e.region_code LIKE $1 || '%' "
      "GROUP BY e.enrolment_id ORDER BY 1");
  pool_->Prepare(
      "audit_find_improper_payments_with_enrolment_members",
      "WITH deaths AS (SELECT id_index, min(end_month) AS last_month FROM enrolment_members "
      "WHERE exit_reason = 'DEATH' AND end_month IS NOT NULL GROUP BY id_index) "
      "SELECT e.enrolment_id::text, d.id_index, min(hm.id_masked), e.region_code, "
      "min(p.month)::text, max(p.month)::text, count(DISTINCT p.payment_id), "
      "sum(p.amount_fen), d.last_month::text, e.household_id::text FROM deaths d JOIN "
      "enrolment_members m ON m.id_index = d.id_index JOIN enrolments e ON e.enrolment_id = "
      "m.enrolment_id JOIN household_members hm ON hm.member_id = m.member_id JOIN payments "
      "p ON p.enrolment_id = e.enrolment_id AND p.month > d.last_month AND p.amount_fen > 0 "
      "WHERE e.region_code LIKE $1 || '%' AND ((m.end_month IS NULL OR m.end_month >= "
      "p.month) OR p.persons > (SELECT count(*) FROM enrolment_members x WHERE "
      "x.enrolment_id = e.enrolment_id AND x.start_month <= p.month AND (x.end_month IS NULL "
      "OR x.end_month >= p.month))) GROUP BY e.enrolment_id, d.id_index, e.region_code, "
      "d.last_month, e.household_id ORDER BY 1, 2");
  pool_->Prepare(
      "audit_find_reviews_overdue",
      "SELECT e.enrolment_id::text, e.region_code, e.review_due::text, e.programme, "
      "e.household_id::text, (SELECT hm.id_masked FROM enrolment_members m JOIN "
      "household_members hm ON hm.member_id = m.member_id WHERE m.enrolment_id = "
      "e.enrolment_id ORDER BY hm.position LIMIT 1) FROM enrolments e WHERE e.status = "
      "'ACTIVE' AND e.review_due < $2::date AND e.region_code LIKE $1 || '%' ORDER BY 3, 1");
  pool_->Prepare(
      "audit_find_eligible_not_enrolled",
      "SELECT l.household_id::text, l.application_id::text, l.region_code, l.area, "
      "l.programme, l.status, l.monthly_income_fen, l.investigated_on::text FROM (SELECT "
      "DISTINCT ON (a.household_id) a.household_id, a.application_id, a.region_code, a.area, "
      "a.programme, a.status, a.monthly_income_fen, (SELECT h.happened_on FROM "
      "application_history h WHERE h.application_id = a.application_id AND h.action = "
      "'INVESTIGATED' ORDER BY h.history_id DESC LIMIT 1) AS investigated_on FROM "
      "applications a WHERE a.region_code LIKE $1 || '%' AND a.monthly_income_fen IS NOT "
      "NULL ORDER BY a.household_id, a.seq DESC) l WHERE l.status <> 'REJECTED' AND NOT "
      "(l.status = 'APPROVED' AND l.programme NOT IN ('MARGINAL', 'EXPENDITURE_HARDSHIP')) "
      "AND l.investigated_on <= $2::date AND NOT EXISTS (SELECT 1 FROM household_members hm "
      "JOIN enrolment_members m ON m.id_index = hm.id_index WHERE hm.household_id = "
      "l.household_id AND hm.active AND m.exclusive_group = 'SUBSISTENCE' AND m.start_month "
      "<= $3::date AND (m.end_month IS NULL OR m.end_month >= $3::date)) ORDER BY 1");
  pool_->Prepare(
      "audit_find_eligible_not_enrolled_members",
      "SELECT count(*) OVER (), id_masked FROM household_members WHERE household_id = $1::uuid "
      "AND active ORDER BY position LIMIT 1");
  pool_->Prepare("audit_run_insert_audit_runs",
                 "INSERT INTO audit_runs (region_prefix, as_of, run_by) VALUES ($1, $2::date, $3) "
                 "RETURNING run_id::text");
  pool_->Prepare(
      "audit_run_insert_audit_findings",
      absl::StrCat(
          "INSERT INTO audit_findings AS f (kind, subject_key, subject, region_code, period, "
          "detail, amount_fen, household_id, enrolment_id, first_run_id, last_run_id) VALUES "
          "($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::uuid, NULLIF($9, '')::uuid, "
          "$10::uuid, $10::uuid) ON CONFLICT (kind, subject_key, period) DO UPDATE SET "
          "last_run_id = excluded.last_run_id, detail = CASE WHEN f.status = 'OPEN' THEN "
          "excluded.detail ELSE f.detail END, amount_fen = CASE WHEN f.status = 'OPEN' THEN "
          "excluded.amount_fen ELSE f.amount_fen END RETURNING ",
          kFindingColumns));
  pool_->Prepare("audit_run_update_audit_runs",
                 "UPDATE audit_runs SET found = $2, new_findings = $3 WHERE run_id = $1::uuid");
  pool_->Prepare(
      "audit_list",
      absl::StrCat("SELECT ", kFindingColumns,
                   " FROM audit_findings WHERE region_code LIKE $1 || '%' AND ($2 = '' OR "
                   "status = $2) AND ($3 = '' OR kind = $3) AND seq > $4 ORDER BY seq LIMIT $5"));
  pool_->Prepare(
      "audit_decide_select_audit_findings",
      "SELECT status, region_code FROM audit_findings WHERE finding_id = $1::uuid FOR UPDATE");
  pool_->Prepare(
      "audit_decide_update_audit_findings",
      absl::StrCat("UPDATE audit_findings SET status = $2, decided_by = $3, decided_on = "
                   "$4::date, decision_reason = $5 WHERE finding_id = $1::uuid RETURNING ",
                   kFindingColumns));
}

absl::StatusOr<v1::RunAuditResponse> AuditStore::Run(const Actor& actor,
                                                     const std::string& region_prefix,
                                                     absl::CivilDay as_of) {
  v1::RunAuditResponse out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    out.Clear();
    const std::string run_id = txn.exec_prepared1("audit_run_insert_audit_runs", region_prefix,
                                                  FormatDay(as_of), actor.subject)[0]
                                   .as<std::string>();
    const std::string month = MonthDay(absl::CivilMonth(as_of));
    std::vector<Candidate> found;
    FindExclusiveEnrolments(txn, region_prefix, month, &found);
    FindTwoHouseholds(txn, region_prefix, month, &found);
    FindImproperPayments(txn, region_prefix, &found);
    FindReviewsOverdue(txn, region_prefix, FormatDay(as_of), &found);
    if (absl::Status s = FindEligibleNotEnrolled(txn, region_prefix, as_of, &found); !s.ok()) {
      return s;
    }
    std::map<int, int64_t> by_kind;
    std::set<std::tuple<int, std::string, std::string>> seen;
    int64_t fresh = 0;
    for (const Candidate& c : found) {
      // Two rows of one check may describe the same problem (e.g. three overlapping enrolments).
      if (!seen.emplace(static_cast<int>(c.key.kind), c.key.subject_key, c.key.period).second) {
        continue;
      }
      // An open finding takes the latest detail; a decided one stays as it was decided.
      pqxx::row r = txn.exec_prepared1("audit_run_insert_audit_findings",
                                       std::string(FindingKindName(c.key.kind)), c.key.subject_key,
                                       c.subject, c.region_code, c.key.period, c.detail,
                                       c.amount_fen, c.household_id, c.enrolment_id, run_id);
      v1::Finding f = FindingFromRow(r);
      if (f.first_run_id() == run_id) ++fresh;
      ++by_kind[static_cast<int>(c.key.kind)];
      if (out.findings_size() < 1000) *out.add_findings() = std::move(f);
    }
    int64_t total = 0;
    for (const auto& [kind, count] : by_kind) {
      auto* k = out.add_found();
      k->set_kind(static_cast<v1::FindingKind>(kind));
      k->set_count(count);
      total += count;
    }
    txn.exec_prepared("audit_run_update_audit_runs", run_id, total, fresh);
    out.set_run_id(run_id);
    out.set_region_prefix(region_prefix);
    out.set_as_of(FormatDay(as_of));
    out.set_new_findings(fresh);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  Log(LogLevel::kInfo, "audit run",
      {{"run_id", absl::string_view(out.run_id())},
       {"findings", static_cast<int64_t>(out.findings_size())},
       {"new_findings", out.new_findings()}});
  return out;
}

absl::StatusOr<Page<v1::Finding>> AuditStore::List(const std::string& region_prefix,
                                                   const std::string& status_name,
                                                   const std::string& kind, int64_t after,
                                                   int page_size) {
  Page<v1::Finding> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("audit_list", region_prefix, status_name, kind, after, page_size + 1);
    out = TakePage<v1::Finding>(rows, page_size, 16, FindingFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Finding> AuditStore::Decide(const Actor& actor, const std::string& finding_id,
                                               FindingStatus to, const std::string& reason,
                                               absl::CivilDay decided_on) {
  v1::Finding out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result rows = txn.exec_prepared("audit_decide_select_audit_findings", finding_id);
    if (rows.empty() || !actor.CanActOn(rows[0][1].as<std::string>())) {
      return absl::NotFoundError(NotFound("finding_id", "finding"));
    }
    absl::StatusOr<FindingStatus> current = FindingStatusFromName(rows[0][0].as<std::string>());
    if (!current.ok()) return current.status();
    if (absl::Status s = CheckFindingDecision(*current, to, reason); !s.ok()) return s;
    out = FindingFromRow(txn.exec_prepared1("audit_decide_update_audit_findings", finding_id,
                                            std::string(FindingStatusName(to)), actor.subject,
                                            FormatDay(decided_on), reason));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace civil::assistance
