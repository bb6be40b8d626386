#include "services/common/grievance_store.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/store_util.h"

namespace civil {
namespace {

namespace gv1 = grievance::v1;

constexpr char kColumns[] =
    "grievance_id::text, seq, kind, case_kind, case_id, region_code, complainant, "
    "complainant_phone, category, details, external_ref, received_on, deadline, deadline_days, "
    "working_days, status, assignee, response, responded_on, outcome, outcome_reason, "
    "decided_by, decided_on, confirmed_by, reopened, closed_on";

std::string DayText(const pqxx::field& f) {
  return f.is_null() ? std::string() : FormatDay(DayOf(f));
}

gv1::Grievance FromRow(const pqxx::row& r, absl::CivilDay today) {
  gv1::Grievance g;
  g.set_grievance_id(r[0].as<std::string>());
  g.set_kind(static_cast<gv1::GrievanceKind>(
      static_cast<int>(*ParseGrievanceKind("kind", r[2].as<std::string>()))));
  g.set_case_kind(r[3].as<std::string>());
  g.set_case_id(r[4].as<std::string>());
  g.set_region_code(r[5].as<std::string>());
  g.set_complainant(r[6].as<std::string>());
  g.set_complainant_phone(r[7].as<std::string>());
  g.set_category(r[8].as<std::string>());
  g.set_details(r[9].as<std::string>());
  g.set_external_ref(r[10].as<std::string>());
  g.set_received_on(DayText(r[11]));
  g.set_deadline(DayText(r[12]));
  g.set_deadline_days(r[13].as<int>());
  g.set_working_days(r[14].as<bool>());
  const GrievanceStatus status =
      ParseGrievanceStatus(r[15].as<std::string>()).value_or(GrievanceStatus::kReceived);
  g.set_status(static_cast<gv1::GrievanceStatus>(static_cast<int>(status)));
  g.set_assignee(r[16].as<std::string>());
  g.set_response(r[17].as<std::string>());
  g.set_responded_on(DayText(r[18]));
  g.set_outcome(static_cast<gv1::GrievanceOutcome>(
      static_cast<int>(ParseGrievanceOutcome("outcome", r[19].as<std::string>())
                           .value_or(GrievanceOutcome::kNone))));
  g.set_outcome_reason(r[20].as<std::string>());
  g.set_decided_by(r[21].as<std::string>());
  g.set_decided_on(DayText(r[22]));
  g.set_confirmed_by(r[23].as<std::string>());
  g.set_reopened(r[24].as<std::string>());
  g.set_closed_on(DayText(r[25]));
  GrievanceState state{status, DayOf(r[11]), DayOf(r[12]), "", OptionalDayOf(r[25])};
  g.set_overdue(IsOverdue(state, today));
  return g;
}

GrievanceState StateOf(const gv1::Grievance& g) {
  GrievanceState s;
  s.status = static_cast<GrievanceStatus>(static_cast<int>(g.status()));
  s.received_on = *ParseDay(g.received_on());
  s.deadline = *ParseDay(g.deadline());
  s.proposed_by = g.decided_by();
  if (!g.closed_on().empty()) s.closed_on = *ParseDay(g.closed_on());
  return s;
}

}  // namespace

GrievanceStore::GrievanceStore(std::string department, PgPool* pool,
                               std::vector<GrievanceCaseKind> cases, GrievanceDeadlines deadlines,
                               prometheus::Registry* metrics)
    : department_(std::move(department)),
      pool_(pool),
      cases_(std::move(cases)),
      deadlines_(std::move(deadlines)) {
  if (metrics != nullptr) {
    overdue_ = &prometheus::BuildGauge()
                    .Name("civil_grievances_overdue")
                    .Help("Grievances open past their deadline")
                    .Register(*metrics)
                    .Add({{"department", department_}});
    calendar_last_year_ = &prometheus::BuildGauge()
                               .Name("civil_holiday_calendar_last_year")
                               .Help(
                                   "The last year the holiday calendar lists (working-day "
                                   "deadlines past it miss that year's holidays)")
                               .Register(*metrics)
                               .Add({{"department", department_}});
  }
  for (const GrievanceCaseKind& c : cases_) {
    pool_->Prepare(absl::StrCat("grievance_case_", c.name),
                   absl::StrCat("SELECT ", c.region_column, " FROM ", c.table, " WHERE ",
                                c.id_column, "::text = $1"));
  }
  pool_->Prepare("grievance_insert",
                 absl::StrCat("INSERT INTO grievances (kind, case_kind, case_id, region_code, "
                              "complainant, complainant_phone, category, details, external_ref, "
                              "received_on, deadline, deadline_days, working_days, status, "
                              "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                              "$12, $13, 'RECEIVED', $14) RETURNING ",
                              kColumns));
  pool_->Prepare("grievance_get", absl::StrCat("SELECT ", kColumns,
                                               " FROM grievances WHERE grievance_id = $1::uuid"));
  pool_->Prepare("grievance_lock",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM grievances WHERE grievance_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("grievance_history_insert",
                 "INSERT INTO grievance_history (grievance_id, action, actor, happened_on, note) "
                 "VALUES ($1::uuid, $2, $3, $4::date, $5)");
  pool_->Prepare("grievance_history",
                 "SELECT action, actor, happened_on, note FROM grievance_history "
                 "WHERE grievance_id = $1::uuid ORDER BY history_id");
  pool_->Prepare("grievance_list",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM grievances WHERE region_code LIKE $1 || '%' "
                              "AND (deadline, seq) > ($2::date, $7) "
                              "AND (NOT $3 OR status <> 'CLOSED') "
                              "AND (NOT $4 OR (status <> 'CLOSED' AND deadline < $5::date)) "
                              "ORDER BY deadline, seq LIMIT $6"));
  pool_->Prepare("grievance_assign",
                 "UPDATE grievances SET status = 'ASSIGNED', assignee = $2 "
                 "WHERE grievance_id = $1::uuid");
  pool_->Prepare("grievance_respond",
                 "UPDATE grievances SET status = 'RESPONDED', response = $2, responded_on = $3 "
                 "WHERE grievance_id = $1::uuid");
  pool_->Prepare("grievance_decide",
                 "UPDATE grievances SET status = $2, outcome = $3, outcome_reason = $4, "
                 "decided_by = $5, decided_on = $6::date, reopened = $7, "
                 "closed_on = CASE WHEN $2 = 'CLOSED' THEN $8::date END "
                 "WHERE grievance_id = $1::uuid");
  pool_->Prepare("grievance_confirm",
                 "UPDATE grievances SET status = 'CLOSED', confirmed_by = $2, reopened = $3, "
                 "closed_on = $4::date WHERE grievance_id = $1::uuid");
  pool_->Prepare("grievance_figures",
                 "SELECT count(*) FILTER (WHERE received_on BETWEEN $2::date AND $3::date), "
                 "count(*) FILTER (WHERE received_on BETWEEN $2::date AND $3::date "
                 "AND closed_on IS NOT NULL AND closed_on <= deadline), "
                 "count(*) FILTER (WHERE received_on <= $3::date AND deadline < $3::date "
                 "AND (closed_on IS NULL OR closed_on > $3::date)) "
                 "FROM grievances WHERE region_code LIKE $1 || '%'");
  pool_->Prepare(
      "grievance_overdue",
      "SELECT count(*) FROM grievances WHERE status <> 'CLOSED' AND deadline < $1::date");
}

GrievanceStore::~GrievanceStore() { StopRefresh(); }

absl::Status GrievanceStore::LoadCalendar() {
  return pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(calendar_, LoadHolidayCalendar(txn));
    if (calendar_last_year_ != nullptr) {
      calendar_last_year_->Set(static_cast<double>(calendar_.last_year()));
    }
    return absl::OkStatus();
  });
}

const GrievanceCaseKind* GrievanceStore::CaseKind(absl::string_view name) const {
  for (const GrievanceCaseKind& c : cases_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void GrievanceStore::History(pqxx::transaction_base& txn, const std::string& id,
                             absl::string_view action, const std::string& actor, absl::CivilDay day,
                             const std::string& note) {
  txn.exec_prepared("grievance_history_insert", id, std::string(action), actor, FormatDay(day),
                    note);
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Create(const Caller& caller, const NewGrievance& g,
                                                      absl::CivilDay today) {
  const GrievanceCaseKind* kind = CaseKind(g.case_kind);
  if (kind == nullptr) {
    std::string names;
    for (const GrievanceCaseKind& c : cases_)
      absl::StrAppend(&names, names.empty() ? "" : ", ", c.name);
    return InvalidField("case_kind", absl::StrCat("must be one of ", names));
  }
  const DeadlineRule rule = deadlines_.For(g.kind);
  const absl::CivilDay deadline = GrievanceDeadline(rule, g.received_on, calendar_);
  if (deadline.year() > calendar_.last_year()) {
    // Counted on weekends alone past the calendar's end: the operators ship the next year's
    // (CivilHolidayCalendarEnding, deploy/RUNBOOK.md).
    Log(LogLevel::kWarn, "grievance deadline past the holiday calendar",
        {{"department", absl::string_view(department_)},
         {"deadline", FormatDay(deadline)},
         {"calendar_last_year", calendar_.last_year()}});
  }
  gv1::Grievance out;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result found =
        txn.exec_prepared(absl::StrCat("grievance_case_", kind->name), g.case_id);
    if (found.empty()) {
      return absl::NotFoundError(
          absl::StrCat("case_id: no ", kind->name, " with that id in ", department_));
    }
    const std::string region = found[0][0].as<std::string>();
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "case_id", region));
    const pqxx::row r =
        txn.exec_prepared1("grievance_insert", std::string(GrievanceKindName(g.kind)), g.case_kind,
                           g.case_id, region, g.complainant, g.complainant_phone, g.category,
                           g.details, g.external_ref, FormatDay(g.received_on), FormatDay(deadline),
                           rule.days, rule.working_days, caller.subject);
    out = FromRow(r, today);
    History(txn, out.grievance_id(), "RECEIVED", caller.subject, g.received_on,
            absl::StrCat(GrievanceKindName(g.kind), " due ", FormatDay(deadline)));
    auto* step = out.add_history();
    step->set_action("RECEIVED");
    step->set_actor(caller.subject);
    step->set_happened_on(FormatDay(g.received_on));
    return absl::OkStatus();
  }));
  (void)RefreshOverdue(today);
  return out;
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Load(pqxx::transaction_base& txn,
                                                    const std::string& id, absl::CivilDay today) {
  const pqxx::result rows = txn.exec_prepared("grievance_lock", id);
  if (rows.empty()) return absl::NotFoundError("grievance_id: no such grievance");
  return FromRow(rows[0], today);
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Get(const Caller& caller, const std::string& id,
                                                   absl::CivilDay today) {
  gv1::Grievance out;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result rows = txn.exec_prepared("grievance_get", id);
    if (rows.empty()) return absl::NotFoundError("grievance_id: no such grievance");
    out = FromRow(rows[0], today);
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grievance_id", out.region_code()));
    for (const pqxx::row& h : txn.exec_prepared("grievance_history", id)) {
      auto* step = out.add_history();
      step->set_action(h[0].as<std::string>());
      step->set_actor(h[1].as<std::string>());
      step->set_happened_on(FormatDay(DayOf(h[2])));
      step->set_note(h[3].as<std::string>());
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<gv1::Grievance>> GrievanceStore::List(const std::string& region_prefix,
                                                                 bool open_only, bool overdue_only,
                                                                 int64_t after, int page_size,
                                                                 int64_t* next,
                                                                 absl::CivilDay today) {
  std::vector<gv1::Grievance> out;
  *next = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    const WorklistPoint from = WorklistAfter(after);
    const pqxx::result rows =
        txn.exec_prepared("grievance_list", region_prefix, FormatDay(from.deadline), open_only,
                          overdue_only, FormatDay(today), page_size + 1, from.seq);
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page_size; ++i) {
      out.push_back(FromRow(rows[i], today));
      *next = WorklistPosition(DayOf(rows[i][12]), rows[i][1].as<int64_t>());
    }
    if (static_cast<int>(rows.size()) <= page_size) *next = 0;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Assign(const Caller& caller, const std::string& id,
                                                      const std::string& assignee,
                                                      absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const gv1::Grievance g, Load(txn, id, today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grievance_id", g.region_code()));
    CIVIL_RETURN_IF_ERROR(CheckAssign(StateOf(g)));
    txn.exec_prepared("grievance_assign", id, assignee);
    History(txn, id, "ASSIGNED", caller.subject, today, assignee);
    return absl::OkStatus();
  }));
  return Get(caller, id, today);
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Respond(const Caller& caller, const std::string& id,
                                                       const std::string& response,
                                                       absl::CivilDay day, absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const gv1::Grievance g, Load(txn, id, today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grievance_id", g.region_code()));
    const GrievanceState state = StateOf(g);
    CIVIL_RETURN_IF_ERROR(CheckRespond(state));
    if (day < state.received_on) {
      return InvalidField("responded_on", "is before the grievance was received");
    }
    txn.exec_prepared("grievance_respond", id, response, FormatDay(day));
    History(txn, id, "RESPONDED", caller.subject, day, "");
    return absl::OkStatus();
  }));
  return Get(caller, id, today);
}

absl::StatusOr<std::string> GrievanceStore::Reopen(pqxx::transaction_base& txn,
                                                   const gv1::Grievance& g,
                                                   const std::string& actor, absl::CivilDay day,
                                                   absl::CivilDay today) {
  const GrievanceCaseKind* kind = CaseKind(g.case_kind());
  if (kind == nullptr || !kind->reopen) return std::string("outcome recorded");
  CIVIL_ASSIGN_OR_RETURN(
      std::string note,
      kind->reopen(txn, ReopenRequest{g.grievance_id(), g.case_id(), actor, day, today}));
  History(txn, g.grievance_id(), "REOPENED", actor, day, note);
  return note;
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Decide(const Caller& caller, const std::string& id,
                                                      GrievanceOutcome outcome,
                                                      const std::string& reason, absl::CivilDay day,
                                                      absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const gv1::Grievance g, Load(txn, id, today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grievance_id", g.region_code()));
    const GrievanceCaseKind* kind = CaseKind(g.case_kind());
    const bool pays_money = kind != nullptr && kind->reopen && kind->pays_money;
    CIVIL_ASSIGN_OR_RETURN(const DecisionEffect effect,
                           civil::Decide(StateOf(g), outcome, reason, pays_money, day));
    History(txn, id, "DECIDED", caller.subject, day,
            absl::StrCat(GrievanceOutcomeName(outcome), reason.empty() ? "" : ": ", reason));
    std::string reopened;
    if (effect.reopen) {
      CIVIL_ASSIGN_OR_RETURN(reopened, Reopen(txn, g, caller.subject, day, today));
    }
    txn.exec_prepared("grievance_decide", id, std::string(GrievanceStatusName(effect.next)),
                      std::string(GrievanceOutcomeName(outcome)), reason, caller.subject,
                      FormatDay(day), reopened, FormatDay(day));
    return absl::OkStatus();
  }));
  (void)RefreshOverdue(today);
  return Get(caller, id, today);
}

absl::StatusOr<gv1::Grievance> GrievanceStore::Confirm(const Caller& caller, const std::string& id,
                                                       absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const gv1::Grievance g, Load(txn, id, today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grievance_id", g.region_code()));
    CIVIL_RETURN_IF_ERROR(CheckConfirm(StateOf(g), caller.subject));
    History(txn, id, "CONFIRMED", caller.subject, today, "");
    CIVIL_ASSIGN_OR_RETURN(const std::string reopened,
                           Reopen(txn, g, caller.subject, today, today));
    txn.exec_prepared("grievance_confirm", id, caller.subject, reopened, FormatDay(today));
    return absl::OkStatus();
  }));
  (void)RefreshOverdue(today);
  return Get(caller, id, today);
}

absl::StatusOr<gv1::GrievanceFigures> GrievanceStore::Figures(const std::string& region_prefix,
                                                              absl::CivilDay start,
                                                              absl::CivilDay end) {
  gv1::GrievanceFigures out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    const pqxx::row r =
        txn.exec_prepared1("grievance_figures", region_prefix, FormatDay(start), FormatDay(end));
    out.set_received(r[0].as<int64_t>());
    out.set_resolved_within_deadline(r[1].as<int64_t>());
    out.set_overdue(r[2].as<int64_t>());
    return absl::OkStatus();
  }));
  return out;
}

absl::Status GrievanceStore::RefreshOverdue(absl::CivilDay today) {
  if (overdue_ == nullptr) return absl::OkStatus();
  return pool_->Read([&](pqxx::transaction_base& txn) {
    const pqxx::row r = txn.exec_prepared1("grievance_overdue", FormatDay(today));
    overdue_->Set(static_cast<double>(r[0].as<int64_t>()));
    return absl::OkStatus();
  });
}

void GrievanceStore::StartRefresh(Clock clock, int interval_seconds) {
  refresher_.Start(
      [this, clock = std::move(clock)] {
        if (absl::Status s = RefreshOverdue(clock()); !s.ok()) {
          Log(LogLevel::kWarn, "grievance overdue gauge not refreshed",
              {{"department", absl::string_view(department_)}, {"error", s.message()}});
        }
      },
      std::chrono::seconds(interval_seconds));
}

void GrievanceStore::StopRefresh() { refresher_.Stop(); }

}  // namespace civil
