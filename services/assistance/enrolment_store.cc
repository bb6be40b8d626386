#include "services/assistance/enrolment_store.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "civil/events/v1/events.pb.h"
#include "services/assistance/enrolment.h"
#include "services/assistance/standard_store.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/values.h"

namespace civil::assistance {

namespace {

constexpr char kEnrolmentColumns[] =
    "e.enrolment_id::text, e.programme, e.area, e.household_id::text, e.region_code, e.status, "
    "e.start_month::text, e.end_month::text, e.care_mode, e.review_due::text, e.exit_reason, "
    "coalesce(e.application_id::text, ''), e.seq, "
    "(SELECT amount_fen FROM enrolment_amounts x WHERE x.enrolment_id = e.enrolment_id "
    " ORDER BY from_month DESC LIMIT 1)";

void EnrolmentFromRow(const pqxx::row& r, v1::Enrolment* e) {
  e->set_enrolment_id(r[0].as<std::string>());
  e->set_programme(ProgrammeEnum(r[1].as<std::string>()));
  e->set_area(AreaEnum(r[2].as<std::string>()));
  e->set_household_id(r[3].as<std::string>());
  e->set_region_code(r[4].as<std::string>());
  e->set_status(r[5].as<std::string>() == "ACTIVE" ? v1::ENROLMENT_STATUS_ACTIVE
                                                   : v1::ENROLMENT_STATUS_ENDED);
  e->set_start_month(MonthTextOf(r[6]));
  e->set_end_month(MonthTextOf(r[7]));
  e->set_care_mode(CareEnum(r[8].as<std::string>()));
  e->set_review_due(TextOf(r[9]));
  e->set_exit_reason(ExitEnum(r[10].as<std::string>()));
  e->set_application_id(r[11].as<std::string>());
  e->set_monthly_amount_fen(r[13].is_null() ? 0 : r[13].as<int64_t>());
}

void LoadEnrolmentMembers(pqxx::transaction_base& txn, v1::Enrolment* e) {
  for (const auto& r : txn.exec_prepared("enrolment_load_enrolment_members", e->enrolment_id())) {
    auto* m = e->add_members();
    m->set_member_id(r[0].as<std::string>());
    m->set_name(r[1].as<std::string>());
    m->set_id_number_masked(r[2].as<std::string>());
    m->set_start_month(MonthTextOf(r[3]));
    m->set_end_month(MonthTextOf(r[4]));
    m->set_exit_reason(ExitEnum(r[5].as<std::string>()));
  }
}

}  // namespace

void EnrolmentStore::AppendHistory(pqxx::transaction_base& txn, const std::string& id,
                                   absl::string_view action, const std::string& actor,
                                   absl::CivilDay happened, const std::string& note, bool late) {
  txn.exec_prepared("enrolment_append_history", id, std::string(action), actor, FormatDay(happened),
                    note, late);
}

EnrolmentStore::EnrolmentStore(PgPool* pool, const AssistanceRules& rules, DeathRegistry* deaths)
    : pool_(pool), rules_(rules), deaths_(deaths) {
  pool_->Prepare(
      "enrolment_load_enrolment_members",
      "SELECT m.member_id::text, hm.name, hm.id_masked, m.start_month::text, "
      "m.end_month::text, m.exit_reason FROM enrolment_members m JOIN household_members hm "
      "USING (member_id) WHERE m.enrolment_id = $1::uuid ORDER BY hm.position, m.member_id");
  pool_->Prepare(
      "enrolment_append_history",
      "INSERT INTO enrolment_history (enrolment_id, action, actor, happened_on, note, late_entry) "
      "VALUES ($1::uuid, $2, $3, $4::date, $5, $6)");
  pool_->Prepare("enrolment_load_row",
                 absl::StrCat("SELECT ", kEnrolmentColumns,
                              " FROM enrolments e WHERE e.enrolment_id = $1::uuid"));
  pool_->Prepare(
      "enrolment_amounts_for_decided",
      "SELECT q.enrolment_id::text, e.programme, e.area, e.region_code, "
      "e.investigated_income_fen, a.amount_fen, a.persons, a.from_month::text, "
      "EXISTS (SELECT 1 FROM enrolment_reviews v WHERE v.enrolment_id = q.enrolment_id AND "
      "v.outcome IN ('INCREASE', 'DECREASE') AND v.effective_month = a.from_month AND "
      "v.new_amount_fen = a.amount_fen) "
      "FROM unnest($1::uuid[], $2::date[]) AS q (enrolment_id, month) JOIN enrolments e ON "
      "e.enrolment_id = q.enrolment_id LEFT JOIN LATERAL (SELECT amount_fen, persons, "
      "from_month FROM enrolment_amounts x WHERE x.enrolment_id = q.enrolment_id AND "
      "x.from_month <= q.month ORDER BY x.from_month DESC LIMIT 1) a ON true");
  pool_->Prepare(
      "enrolment_amounts_for_members",
      "SELECT q.enrolment_id::text, m.member_birth_date::text, m.member_seriously_ill, "
      "m.member_severely_disabled FROM unnest($1::uuid[], $2::date[]) AS q (enrolment_id, "
      "month) JOIN enrolment_members m ON m.enrolment_id = q.enrolment_id AND m.start_month "
      "<= q.month AND (m.end_month IS NULL OR m.end_month >= q.month)");
  pool_->Prepare(
      "enrolment_list_select_enrolments",
      absl::StrCat("SELECT ", kEnrolmentColumns,
                   " FROM enrolments e WHERE e.region_code LIKE $1 || '%' AND ($2 = '' OR "
                   "e.programme = $2) AND ($3 = '' OR (e.start_month <= $3::date AND "
                   "(e.end_month IS NULL OR e.end_month >= $3::date))) AND e.seq > $4 "
                   "ORDER BY e.seq LIMIT $5"));
  pool_->Prepare("enrolment_list_select_enrolment_members",
                 "SELECT m.enrolment_id::text, m.member_id::text, hm.name, hm.id_masked, "
                 "m.start_month::text, m.end_month::text, m.exit_reason FROM enrolment_members m "
                 "JOIN household_members hm USING (member_id) WHERE m.enrolment_id = "
                 "ANY($1::uuid[]) ORDER BY m.enrolment_id, hm.position, m.member_id");
  pool_->Prepare(
      "enrolment_reverse_exit_select_enrolments",
      "SELECT status, exit_reason, end_month::text, exited_on::text, programme, area, "
      "region_code, household_id::text FROM enrolments WHERE enrolment_id = $1::uuid FOR UPDATE");
  pool_->Prepare(
      "enrolment_reverse_exit_select_enrolment_members",
      "SELECT m.member_id::text, m.id_index, m.exclusive_group, hm.id_masked FROM "
      "enrolment_members m JOIN household_members hm USING (member_id) WHERE m.enrolment_id = "
      "$1::uuid AND NOT m.active AND m.exited_on = $2::date AND m.exit_reason = $3");
  pool_->Prepare(
      "enrolment_reverse_exit_select_enrolment_members_2",
      "SELECT count(*) FROM enrolment_members WHERE id_index = $1 AND exclusive_group = $2 "
      "AND active");
  pool_->Prepare("enrolment_reverse_exit_update_enrolment_members",
                 "UPDATE enrolment_members SET active = true, end_month = NULL, exit_reason = '', "
                 "exited_on = NULL WHERE enrolment_id = $1::uuid AND member_id = $2::uuid");
  pool_->Prepare("enrolment_reverse_exit_update_enrolments",
                 "UPDATE enrolments SET status = 'ACTIVE', end_month = NULL, exit_reason = '', "
                 "exited_on = NULL WHERE enrolment_id = $1::uuid");
  pool_->Prepare(
      "enrolment_reverse_exit_select_disbursement_batches",
      "SELECT DISTINCT month::text FROM disbursement_batches WHERE programme = $1 AND month > "
      "$2::date AND month <= $3::date AND $4 LIKE region_prefix || '%' ORDER BY 1");
  pool_->Prepare(
      "enrolment_reverse_exit_select_payments",
      "SELECT coalesce(sum(amount_fen), 0)::bigint FROM payments WHERE enrolment_id = $1::uuid "
      "AND month = $2::date");
  pool_->Prepare(
      "enrolment_reverse_exit_insert_payments",
      "INSERT INTO payments (batch_id, enrolment_id, month, programme, area, region_code, "
      "household_id, persons, amount_fen, kind) SELECT NULL, $1::uuid, $2::date, $3, $4, $5, "
      "$6::uuid, (SELECT count(*) FROM enrolment_members WHERE enrolment_id = $1::uuid AND "
      "active), $7, 'ADJUSTMENT'");
  pool_->Prepare(
      "enrolment_exit_and_record_select_enrolments",
      "SELECT programme, area, region_code, status, start_month::text, household_id::text, "
      "application_id::text FROM enrolments WHERE enrolment_id = $1::uuid FOR UPDATE");
  pool_->Prepare("enrolment_exit_and_record_select_enrolment_members",
                 "SELECT m.member_id::text, m.id_index, hm.id_masked, hm.birth_date::text FROM "
                 "enrolment_members m JOIN household_members hm USING (member_id) WHERE "
                 "m.enrolment_id = $1::uuid AND m.active ORDER BY hm.position");
  pool_->Prepare("enrolment_exit_and_record_update_enrolment_members",
                 "UPDATE enrolment_members SET end_month = $3::date, exit_reason = $4, exited_on = "
                 "$5::date, active = false WHERE enrolment_id = $1::uuid AND member_id = $2::uuid");
  pool_->Prepare("enrolment_exit_and_record_update_enrolments",
                 "UPDATE enrolments SET status = 'ENDED', end_month = $2::date, exit_reason = $3, "
                 "exited_on = $4::date WHERE enrolment_id = $1::uuid");
  pool_->Prepare("enrolment_exit_and_record_select_applications",
                 "SELECT coalesce(monthly_income_fen, 0), application_id::text FROM applications "
                 "WHERE enrolment_id = $1::uuid");
  pool_->Prepare("enrolment_exit_and_record_select_application_circumstances",
                 "SELECT seriously_ill, severely_disabled FROM application_circumstances WHERE "
                 "application_id = $1::uuid AND member_id = $2::uuid");
  pool_->Prepare(
      "enrolment_exit_and_record_insert_enrolment_amounts",
      "INSERT INTO enrolment_amounts VALUES ($1::uuid, $2::date, $3, $4) ON CONFLICT "
      "(enrolment_id, from_month) DO UPDATE SET amount_fen = excluded.amount_fen, persons = "
      "excluded.persons");
  pool_->Prepare(
      "enrolment_exit_and_record_select_enrolments_2",
      "SELECT household_id::text, region_code FROM enrolments WHERE enrolment_id = $1::uuid");
  pool_->Prepare(
      "enrolment_end_active_parts_select_enrolment_members",
      "SELECT enrolment_id::text, member_id::text FROM enrolment_members WHERE id_index = $1 "
      "AND active ORDER BY enrolment_id");
  pool_->Prepare(
      "enrolment_end_active_parts_select_enrolment_members_2",
      "SELECT start_month::text FROM enrolment_members WHERE enrolment_id = $1::uuid AND "
      "member_id = $2::uuid");
  pool_->Prepare(
      "enrolment_check_select_enrolment_members",
      "SELECT e.enrolment_id::text, e.programme, e.area, m.start_month::text, "
      "m.end_month::text, (m.start_month <= $3::date AND (m.end_month IS NULL OR "
      "m.end_month >= $3::date)), e.household_id::text, m.exit_reason, e.region_code FROM "
      "enrolment_members m JOIN enrolments e USING (enrolment_id) WHERE m.id_index = $1 "
      "AND ($2 = '' OR e.programme = $2) ORDER BY m.start_month");
  pool_->Prepare("enrolment_check_insert_enrolment_checks",
                 "INSERT INTO enrolment_checks (caller, subject_index, found) VALUES ($1, $2, $3)");
  if (deaths_ == nullptr) {
    own_deaths_ = std::make_unique<DeathRegistry>("assistance", pool_);
    deaths_ = own_deaths_.get();
  }
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::LoadRow(pqxx::transaction_base& txn,
                                                      const std::string& enrolment_id) {
  pqxx::result rows = txn.exec_prepared("enrolment_load_row", enrolment_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
  v1::Enrolment e;
  EnrolmentFromRow(rows[0], &e);
  LoadEnrolmentMembers(txn, &e);
  return e;
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::Load(pqxx::transaction_base& txn,
                                                   const std::string& enrolment_id,
                                                   absl::CivilMonth as_of) {
  absl::StatusOr<v1::Enrolment> e = LoadRow(txn, enrolment_id);
  if (!e.ok()) return e;
  ShowAmounts(txn, {&*e}, as_of);
  return e;
}

absl::CivilMonth EnrolmentStore::ShownMonth(const v1::Enrolment& enrolment,
                                            absl::CivilMonth as_of) {
  std::optional<absl::CivilMonth> start;
  std::optional<absl::CivilMonth> end;
  if (absl::StatusOr<absl::CivilMonth> m = ParseMonth(enrolment.start_month()); m.ok()) {
    start = *m;
  }
  if (absl::StatusOr<absl::CivilMonth> m = ParseMonth(enrolment.end_month());
      !enrolment.end_month().empty() && m.ok()) {
    end = *m;
  }
  return civil::assistance::ShownMonth(start, end, as_of);
}

std::map<std::string, EnrolmentMonthAmount> EnrolmentStore::AmountsFor(
    pqxx::transaction_base& txn, const std::map<std::string, absl::CivilMonth>& months) {
  std::map<std::string, EnrolmentMonthAmount> out;
  if (months.empty()) return out;
  std::vector<std::string> ids;
  std::vector<std::string> dates;
  for (const auto& [id, month] : months) {
    ids.push_back(id);
    dates.push_back(MonthDay(month));
  }
  const std::string id_array = absl::StrCat("{", absl::StrJoin(ids, ","), "}");
  const std::string date_array = absl::StrCat("{", absl::StrJoin(dates, ","), "}");
  // The rows the disbursement reads, per enrolment and month: the enrolment, the amount decided
  // last by the month and whether a review set it (a review of that month and amount), the
  // investigated income; then the members enrolled in the month.
  struct Facts {
    Programme programme = Programme::kDibao;
    std::string area;
    std::string region;
    std::optional<Money> income;
    std::optional<DecidedAmount> decided;
    std::vector<MemberFacts> members;
  };
  std::map<std::string, Facts> facts;
  for (const auto& r : txn.exec_prepared("enrolment_amounts_for_decided", id_array, date_array)) {
    absl::StatusOr<Programme> programme = ProgrammeFromName(r[1].as<std::string>());
    if (!programme.ok()) continue;
    Facts& f = facts[r[0].as<std::string>()];
    f.programme = *programme;
    f.area = r[2].as<std::string>();
    f.region = r[3].as<std::string>();
    if (!r[4].is_null()) f.income = Money::Fen(r[4].as<int64_t>());
    if (!r[5].is_null()) {
      f.decided = DecidedAmount{Money::Fen(r[5].as<int64_t>()), r[6].as<int>(), MonthOf(r[7]),
                                r[8].as<bool>()};
    }
  }
  for (const auto& r : txn.exec_prepared("enrolment_amounts_for_members", id_array, date_array)) {
    auto f = facts.find(r[0].as<std::string>());
    if (f == facts.end()) continue;
    MemberFacts m;
    // Without a birth date the disbursement gives no age supplement: an age of neither group.
    const absl::CivilMonth month = months.at(f->first);
    m.birth_date =
        r[1].is_null() ? absl::CivilDay(absl::CivilYear(absl::CivilDay(month)) - 30) : DayOf(r[1]);
    m.seriously_ill = r[2].as<bool>();
    m.severely_disabled = r[3].as<bool>();
    f->second.members.push_back(m);
  }
  // The standards that may be in force, per programme, area and month (the rule picks among
  // them by region: StandardInForce).
  std::map<std::tuple<Programme, std::string, absl::CivilMonth>, std::vector<StandardRecord>>
      candidates;
  for (const auto& [id, f] : facts) {
    const absl::CivilMonth month = months.at(id);
    EnrolmentMonthAmount& amount = out[id];
    amount.month = month;
    if (!f.decided) continue;  // nothing decided by the month: nothing to pay
    if (!IsPaid(f.programme)) {
      amount.payment.amount = f.decided->amount;
      continue;
    }
    auto key = std::make_tuple(f.programme, f.area, month);
    auto found = candidates.find(key);
    if (found == candidates.end()) {
      found =
          candidates.emplace(key, StandardStore::StandardsFor(txn, f.programme, f.area, "", month))
              .first;
    }
    const std::vector<StandardRecord>& of = found->second;
    const std::optional<size_t> now = StandardInForce(of, f.region, month);
    std::optional<size_t> then;
    if (f.decided->set_on_review) then = StandardInForce(of, f.region, f.decided->from);
    amount.payment = AmountForMonth(f.programme, *f.decided, now ? &of[*now] : nullptr,
                                    then ? &of[*then] : nullptr, f.income, f.members, month);
    if (now) amount.standard = of[*now];
  }
  return out;
}

absl::StatusOr<EnrolmentMonthAmount> EnrolmentStore::AmountFor(pqxx::transaction_base& txn,
                                                               const std::string& enrolment_id,
                                                               absl::CivilMonth month) {
  std::map<std::string, EnrolmentMonthAmount> amounts = AmountsFor(txn, {{enrolment_id, month}});
  auto found = amounts.find(enrolment_id);
  if (found == amounts.end()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
  return found->second;
}

void EnrolmentStore::ShowAmounts(pqxx::transaction_base& txn,
                                 const std::vector<v1::Enrolment*>& enrolments,
                                 absl::CivilMonth as_of) {
  std::map<std::string, absl::CivilMonth> months;
  for (const v1::Enrolment* e : enrolments) months[e->enrolment_id()] = ShownMonth(*e, as_of);
  const std::map<std::string, EnrolmentMonthAmount> amounts = AmountsFor(txn, months);
  for (v1::Enrolment* e : enrolments) {
    auto found = amounts.find(e->enrolment_id());
    if (found == amounts.end()) continue;
    const EnrolmentMonthAmount& shown = found->second;
    e->set_monthly_amount_fen(shown.payment.amount.fen());
    e->set_amount_month(FormatMonth(shown.month));
    if (shown.standard) {
      e->set_amount_standard_id(shown.standard->standard_id);
      e->set_amount_standard_region_prefix(shown.standard->region_prefix);
      e->set_amount_standard_effective_from(FormatDay(shown.standard->effective_from));
    }
  }
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::Get(const Actor& actor,
                                                  const std::string& enrolment_id,
                                                  absl::CivilDay today) {
  absl::StatusOr<v1::Enrolment> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    out = Load(txn, enrolment_id, absl::CivilMonth(today));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (out.ok()) {
    if (absl::Status s = ScopeForRead(actor, out->region_code(), "enrolment_id", "enrolment");
        !s.ok()) {
      return s;
    }
  }
  return out;
}

absl::StatusOr<std::vector<v1::Enrolment>> EnrolmentStore::List(
    const std::string& region_prefix, int programme,
    const std::optional<absl::CivilMonth>& active_in, int64_t after, int page_size, int64_t* next,
    absl::CivilDay today) {
  std::vector<v1::Enrolment> out;
  *next = 0;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(
        "enrolment_list_select_enrolments", region_prefix,
        programme == 0 ? std::string()
                       : std::string(ProgrammeName(static_cast<Programme>(programme))),
        active_in ? MonthDay(*active_in) : std::string(), after, page_size + 1);
    std::map<std::string, size_t> position;
    std::vector<std::string> ids;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      v1::Enrolment e;
      EnrolmentFromRow(rows[i], &e);
      position[e.enrolment_id()] = out.size();
      ids.push_back(e.enrolment_id());
      out.push_back(std::move(e));
      *next = rows[i][12].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) *next = 0;
    if (ids.empty()) return absl::OkStatus();
    // The members of the whole page in one query, not one per enrolment.
    for (const auto& r : txn.exec_prepared("enrolment_list_select_enrolment_members",
                                           absl::StrCat("{", absl::StrJoin(ids, ","), "}"))) {
      auto* m = out[position[r[0].as<std::string>()]].add_members();
      m->set_member_id(r[1].as<std::string>());
      m->set_name(r[2].as<std::string>());
      m->set_id_number_masked(r[3].as<std::string>());
      m->set_start_month(MonthTextOf(r[4]));
      m->set_end_month(MonthTextOf(r[5]));
      m->set_exit_reason(ExitEnum(r[6].as<std::string>()));
    }
    std::vector<v1::Enrolment*> page;
    for (v1::Enrolment& e : out) page.push_back(&e);
    ShowAmounts(txn, page, absl::CivilMonth(today));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status EnrolmentStore::ExitInTxn(pqxx::transaction_base& txn, const Actor& actor,
                                       const std::string& enrolment_id,
                                       const std::string& member_id, ExitReason reason,
                                       absl::CivilMonth effective, bool phase_out,
                                       const std::string& note, absl::CivilDay decided_on,
                                       absl::CivilDay today) {
  return ExitAndRecord(txn, actor, enrolment_id, member_id, reason, effective, phase_out, note,
                       decided_on, today, /*record_death=*/true);
}

absl::StatusOr<std::string> EnrolmentStore::ReverseExit(pqxx::transaction_base& txn,
                                                        const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError(NotFound("case_id", "enrolment"));
  pqxx::result rows =
      txn.exec_prepared("enrolment_reverse_exit_select_enrolments", request.case_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("case_id", "enrolment"));
  const pqxx::row e = rows[0];
  const bool ended = e[0].as<std::string>() != "ACTIVE";
  const ExitReason reason =
      ExitReasonFromName(e[1].as<std::string>()).value_or(ExitReason::kIneligibleIncome);
  CIVIL_RETURN_IF_ERROR(CheckExitReversal(ended, reason));
  const absl::CivilMonth last_paid = MonthOf(e[2]);
  const std::string programme = e[4].as<std::string>();
  const std::string region = e[6].as<std::string>();
  // The members that left with the enrolment (same exit day and reason) come back.
  const pqxx::result back =
      txn.exec_prepared("enrolment_reverse_exit_select_enrolment_members", request.case_id,
                        e[3].as<std::string>(), e[1].as<std::string>());
  for (const pqxx::row& m : back) {
    const pqxx::row taken = txn.exec_prepared1("enrolment_reverse_exit_select_enrolment_members_2",
                                               m[1].as<std::string>(), m[2].as<std::string>());
    if (taken[0].as<int64_t>() > 0) {
      return absl::FailedPreconditionError(
          "case_id: a member of the enrolment is enrolled again meanwhile");
    }
    txn.exec_prepared("enrolment_reverse_exit_update_enrolment_members", request.case_id,
                      m[0].as<std::string>());
    // The departments that acted on the exit's EnrolmentEnded (affairs stops the living
    // subsidy when 低保 ends) learn that it no longer holds, in this transaction.
    civil::events::v1::EnrolmentReinstated reinstated;
    reinstated.set_enrolment_id(request.case_id);
    reinstated.set_programme(absl::StrCat("PROGRAMME_", programme));
    reinstated.set_household_id(e[7].as<std::string>());
    reinstated.set_reversed_reason(absl::StrCat("EXIT_REASON_", ExitReasonName(reason)));
    reinstated.set_effective_month(FormatMonth(last_paid + 1));
    reinstated.set_grievance_id(request.grievance_id);
    reinstated.set_region_code(region);
    WriteEvent(txn, "assistance", {m[1].as<std::string>(), m[3].as<std::string>()}, reinstated);
  }
  txn.exec_prepared("enrolment_reverse_exit_update_enrolments", request.case_id);
  // The months the runs have paid the region since the last paid month: each is owed the
  // difference between what it is due and what it was paid.
  const pqxx::result months =
      txn.exec_prepared("enrolment_reverse_exit_select_disbursement_batches", programme,
                        MonthDay(last_paid), MonthDay(absl::CivilMonth(request.today)), region);
  int64_t total = 0;
  int paid_months = 0;
  for (const pqxx::row& row : months) {
    const absl::CivilMonth month = MonthOf(row[0]);
    CIVIL_ASSIGN_OR_RETURN(const EnrolmentMonthAmount due, AmountFor(txn, request.case_id, month));
    const pqxx::row paid = txn.exec_prepared1("enrolment_reverse_exit_select_payments",
                                              request.case_id, MonthDay(month));
    const Money owed = BackPayment(due.payment.amount, Money::Fen(paid[0].as<int64_t>()));
    if (owed.fen() == 0) continue;
    txn.exec_prepared("enrolment_reverse_exit_insert_payments", request.case_id, MonthDay(month),
                      programme, e[5].as<std::string>(), region, e[7].as<std::string>(),
                      owed.fen());
    total += owed.fen();
    ++paid_months;
  }
  const std::string note =
      absl::StrCat("exit reversed (grievance ", request.grievance_id, "); back-payment ",
                   paid_months, " month(s), ", total, " fen");
  AppendHistory(txn, request.case_id, "EXIT_REVERSED", request.actor, request.day, note,
                IsLateEntry(rules_, request.day, request.today));
  return absl::StrCat("exit reversed, back-payment ", paid_months, " month(s), ", total, " fen");
}

absl::Status EnrolmentStore::ExitAndRecord(pqxx::transaction_base& txn, const Actor& actor,
                                           const std::string& enrolment_id,
                                           const std::string& member_id, ExitReason reason,
                                           absl::CivilMonth effective, bool phase_out,
                                           const std::string& note, absl::CivilDay decided_on,
                                           absl::CivilDay today, bool record_death) {
  pqxx::result rows =
      txn.exec_prepared("enrolment_exit_and_record_select_enrolments", enrolment_id);
  if (rows.empty()) return absl::NotFoundError(NotFound("enrolment_id", "enrolment"));
  const std::string programme_name = rows[0][0].as<std::string>();
  const std::string area = rows[0][1].as<std::string>();
  const std::string region = rows[0][2].as<std::string>();
  if (absl::Status s = actor.check_region("enrolment_id", region); !s.ok()) return s;
  CIVIL_ASSIGN_OR_RETURN(const ExitDecision exit,
                         DecideExit(rules_, rows[0][3].as<std::string>() == "ACTIVE",
                                    MonthOf(rows[0][4]), effective, phase_out));
  const absl::CivilMonth last = exit.last;
  // Active members and who leaves.
  struct Person {
    std::string member_id, id_index, id_masked;
    absl::CivilDay birth;
  };
  std::vector<Person> active;
  for (const auto& r :
       txn.exec_prepared("enrolment_exit_and_record_select_enrolment_members", enrolment_id)) {
    active.push_back(
        {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), DayOf(r[3])});
  }
  std::vector<Person> leaving;
  std::vector<Person> staying;
  for (const Person& p : active) {
    (member_id.empty() || p.member_id == member_id ? leaving : staying).push_back(p);
  }
  if (leaving.empty()) {
    return absl::NotFoundError("member_id: not an active member of the enrolment");
  }
  for (const Person& p : leaving) {
    txn.exec_prepared("enrolment_exit_and_record_update_enrolment_members", enrolment_id,
                      p.member_id, MonthDay(last), std::string(ExitReasonName(reason)),
                      FormatDay(decided_on));
  }
  const bool whole = staying.empty();
  if (whole) {
    txn.exec_prepared("enrolment_exit_and_record_update_enrolments", enrolment_id, MonthDay(last),
                      std::string(ExitReasonName(reason)), FormatDay(decided_on));
  } else {
    // The household goes on with fewer members: its amount is recomputed from the month after
    // the leaver's last month, on the income recorded by the investigation.
    Money amount;
    const absl::CivilMonth from = last + 1;
    absl::StatusOr<Programme> programme = ProgrammeFromName(programme_name);
    if (programme.ok() && RecomputesAfterExit(*programme)) {
      absl::StatusOr<StandardValues> standard =
          StandardStore::InForce(txn, Programme::kDibao, area, region, from);
      if (!standard.ok()) return standard.status();
      pqxx::result app =
          txn.exec_prepared("enrolment_exit_and_record_select_applications", enrolment_id);
      const Money income = Money::Fen(app.empty() ? 0 : app[0][0].as<int64_t>());
      std::vector<MemberFacts> facts;
      for (const Person& p : staying) {
        MemberFacts f{p.birth};
        if (!app.empty()) {
          pqxx::result c =
              txn.exec_prepared("enrolment_exit_and_record_select_application_circumstances",
                                app[0][1].as<std::string>(), p.member_id);
          if (!c.empty()) {
            f.seriously_ill = c[0][0].as<bool>();
            f.severely_disabled = c[0][1].as<bool>();
          }
        }
        facts.push_back(f);
      }
      amount = AmountAfterExit(*standard, facts, income, from);
    }
    txn.exec_prepared("enrolment_exit_and_record_insert_enrolment_amounts", enrolment_id,
                      MonthDay(from), amount.fen(), static_cast<int>(staying.size()));
  }
  AppendHistory(txn, enrolment_id, whole ? "ENDED" : "MEMBER_EXITED", actor.subject, decided_on,
                absl::StrCat(ExitReasonName(reason), " from ", FormatMonth(effective),
                             phase_out ? " (phase-out)" : "", ": ", note),
                IsLateEntry(rules_, decided_on, today));
  pqxx::result household =
      txn.exec_prepared("enrolment_exit_and_record_select_enrolments_2", enrolment_id);
  for (const Person& p : leaving) {
    civil::events::v1::EnrolmentEnded ended;
    ended.set_enrolment_id(enrolment_id);
    ended.set_programme(absl::StrCat("PROGRAMME_", programme_name));
    ended.set_household_id(household[0][0].as<std::string>());
    ended.set_reason(absl::StrCat("EXIT_REASON_", ExitReasonName(reason)));
    ended.set_effective_month(FormatMonth(last + 1));
    ended.set_whole_enrolment(whole);
    ended.set_region_code(household[0][1].as<std::string>());
    WriteEvent(txn, "assistance", {p.id_index, p.id_masked}, ended);
  }
  if (reason != ExitReason::kDeath || !record_death) return absl::OkStatus();
  if (leaving.size() > 1) {
    // Several members leaving at once "for death" does not say who died: no death is recorded
    // (the reviewer names the member who died with member_id).
    Log(LogLevel::kWarn, "exit for death of several members: no death recorded",
        {{"enrolment_id", absl::string_view(enrolment_id)},
         {"members", static_cast<int64_t>(leaving.size())}});
    return absl::OkStatus();
  }
  // An exit for death is a record of death, for every department: the person was dead by the
  // decision, and at the latest in the last month paid (the month of death is paid). The
  // registry publishes it when it is new or earlier than the death known, and then it ends the
  // person's other enrolments too; a death known already was applied when it was recorded.
  for (const Person& p : leaving) {
    DeathReport report;
    report.subject_index = p.id_index;
    report.subject_masked = p.id_masked;
    report.date = DeathDate{DeathKnownBy(decided_on, last), /*upper_bound=*/true};
    report.record_kind = "ENROLMENT_EXIT";
    report.record_id = enrolment_id;
    report.region_code = region;
    absl::StatusOr<DeathDecision> decision = deaths_->RecordOwn(txn, report);
    if (!decision.ok()) return decision.status();
    if (!decision->apply) continue;
    absl::StatusOr<int> others = EndForDeath(txn, p.id_index, decision->recorded.day, today);
    if (!others.ok()) return others.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Enrolment> EnrolmentStore::Exit(
    const Actor& actor, const std::string& enrolment_id, const std::string& member_id,
    ExitReason reason, absl::CivilMonth effective, bool phase_out, const std::string& note,
    absl::CivilDay decided_on, absl::CivilDay today) {
  v1::Enrolment out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (absl::Status s = ExitInTxn(txn, actor, enrolment_id, member_id, reason, effective,
                                   phase_out, note, decided_on, today);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<v1::Enrolment> loaded = Load(txn, enrolment_id, absl::CivilMonth(today));
    if (!loaded.ok()) return loaded.status();
    out = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<int> EnrolmentStore::EndForDeath(pqxx::transaction_base& txn,
                                                const std::string& id_index, absl::CivilDay died_on,
                                                absl::CivilDay today) {
  // The death is in the registry already: the exit applies it and records nothing.
  return EndActiveParts(txn, id_index, ExitReason::kDeath, died_on, "event:PersonDeceased",
                        "death recorded on the platform", today);
}

absl::StatusOr<int> EnrolmentStore::EndForMoveOut(pqxx::transaction_base& txn,
                                                  const std::string& id_index,
                                                  absl::CivilDay moved_on, absl::CivilDay today) {
  return EndActiveParts(txn, id_index, ExitReason::kMovedAway, moved_on, "event:PersonMovedOut",
                        "household registration moved out of the county (公安)", today);
}

absl::StatusOr<int> EnrolmentStore::EndActiveParts(pqxx::transaction_base& txn,
                                                   const std::string& id_index, ExitReason reason,
                                                   absl::CivilDay on, const std::string& actor,
                                                   const std::string& note, absl::CivilDay today) {
  // The system acts everywhere: no region to check.
  const Actor system{actor, [](absl::string_view, absl::string_view) { return absl::OkStatus(); }};
  int ended = 0;
  for (const auto& r :
       txn.exec_prepared("enrolment_end_active_parts_select_enrolment_members", id_index)) {
    // Effective the month after (EndEffectiveMonth): the month of the death or move is still
    // paid (the payment for a later month, if already made, is an audit finding, not a silent
    // deletion).
    pqxx::result start = txn.exec_prepared("enrolment_end_active_parts_select_enrolment_members_2",
                                           r[0].as<std::string>(), r[1].as<std::string>());
    const absl::CivilMonth first = MonthOf(start[0][0]);
    if (absl::Status s = ExitAndRecord(txn, system, r[0].as<std::string>(), r[1].as<std::string>(),
                                       reason, EndEffectiveMonth(on, first), false, note, on, today,
                                       /*record_death=*/false);
        !s.ok()) {
      return s;
    }
    ++ended;
  }
  return ended;
}

absl::StatusOr<std::vector<v1::EnrolmentFact>> EnrolmentStore::Check(const std::string& asked_by,
                                                                     const std::string& id_index,
                                                                     int programme,
                                                                     absl::CivilDay as_of) {
  std::vector<v1::EnrolmentFact> facts;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string month = MonthDay(absl::CivilMonth(as_of));
    for (const auto& r : txn.exec_prepared(
             "enrolment_check_select_enrolment_members", id_index,
             programme == 0 ? std::string()
                            : std::string(ProgrammeName(static_cast<Programme>(programme))),
             month)) {
      v1::EnrolmentFact f;
      f.set_enrolment_id(r[0].as<std::string>());
      f.set_programme(ProgrammeEnum(r[1].as<std::string>()));
      f.set_area(AreaEnum(r[2].as<std::string>()));
      f.set_start_month(MonthTextOf(r[3]));
      f.set_end_month(MonthTextOf(r[4]));
      f.set_active(r[5].as<bool>());
      f.set_household_id(r[6].as<std::string>());
      f.set_exit_reason(ExitEnum(r[7].as<std::string>()));
      f.set_region_code(r[8].as<std::string>());
      facts.push_back(std::move(f));
    }
    txn.exec_prepared("enrolment_check_insert_enrolment_checks", asked_by, id_index,
                      static_cast<int>(facts.size()));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return facts;
}

}  // namespace civil::assistance
