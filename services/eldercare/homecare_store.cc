#include "services/eldercare/homecare_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::eldercare {
namespace {

constexpr int kSeqColumn = 22;

const std::string& SubsidyColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "subsidy_id::text, name, id_masked, birth_date::text, sex, region_code, low_income, "
      "disabled, living_alone, level, assessed_on::text, assessor, status, start_month::text, "
      "end_month::text, recorded_by, approved_by, approved_on::text, stop_reason, stop_note, "
      "stopped_on::text, ",
      MicrosOf("updated_at"), ", seq"));
  return *columns;
}

SubsidyRecord SubsidyFromRow(const pqxx::row& row) {
  SubsidyRecord s;
  s.subsidy_id = row[0].as<std::string>();
  s.name = row[1].as<std::string>();
  s.id_masked = row[2].as<std::string>();
  s.birth_date = DayOf(row[3]);
  s.sex = row[4].as<std::string>();
  s.region_code = row[5].as<std::string>();
  s.low_income = row[6].as<bool>();
  s.disabled = row[7].as<bool>();
  s.living_alone = row[8].as<bool>();
  s.level = row[9].as<int>();
  s.assessed_on = DayOf(row[10]);
  s.assessor = row[11].as<std::string>();
  s.status = static_cast<SubsidyStatus>(kSubsidyStatusNames.Value(row[12].as<std::string>()));
  s.start_month = absl::CivilMonth(DayOf(row[13]));
  if (std::optional<absl::CivilDay> end = OptionalDayOf(row[14])) {
    s.end_month = absl::CivilMonth(*end);
  }
  s.recorded_by = row[15].as<std::string>();
  s.approved_by = row[16].as<std::string>();
  s.approved_on = OptionalDayOf(row[17]);
  s.stop_reason = kSubsidyStopReasonNames.Value(row[18].as<std::string>());
  s.stop_note = row[19].as<std::string>();
  s.stopped_on = OptionalDayOf(row[20]);
  s.update_time_micros = row[21].as<int64_t>();
  return s;
}

// Rows of homecare_levels ordered by prefix, month and level, grouped into schedules.
std::vector<LevelScheduleRecord> SchedulesOf(const pqxx::result& rows) {
  std::vector<LevelScheduleRecord> schedules;
  for (const auto& row : rows) {
    const std::string prefix = row[0].as<std::string>();
    const absl::CivilMonth month(DayOf(row[1]));
    if (schedules.empty() || schedules.back().schedule.region_prefix.value() != prefix ||
        schedules.back().schedule.effective_month != month) {
      schedules.push_back(LevelScheduleRecord{LevelSchedule{*RegionCode::Parse(prefix), month, {}},
                                              row[4].as<std::string>(), row[5].as<int64_t>()});
    }
    schedules.back().schedule.levels.push_back(LevelAmount{row[2].as<int>(), row[3].as<int64_t>()});
  }
  return schedules;
}

std::vector<LevelSchedule> Plain(const std::vector<LevelScheduleRecord>& records) {
  std::vector<LevelSchedule> schedules;
  schedules.reserve(records.size());
  for (const LevelScheduleRecord& r : records) schedules.push_back(r.schedule);
  return schedules;
}

}  // namespace

HomeCareStore::HomeCareStore(PgPool* pool, const PiiProtector* pii, const DeathRegistry* deaths,
                             prometheus::Registry* metrics)
    : pool_(pool),
      pii_(pii),
      deaths_(deaths),
      runs_(pool,
            {"home_care_subsidy", "homecare_runs", "homecare_payments", "subsidy_id", "level",
             "homecare_adjustment_settlements"},
            metrics) {
  pool_->Prepare("homecare_level_insert",
                 "INSERT INTO homecare_levels (region_prefix, effective_month, level, monthly_fen, "
                 "created_by) VALUES ($1, $2::date, $3, $4, $5)");
  pool_->Prepare("homecare_level_list",
                 absl::StrCat("SELECT region_prefix, effective_month::text, level, monthly_fen, "
                              "created_by, ",
                              MicrosOf("created_at"),
                              " FROM homecare_levels WHERE region_prefix LIKE $1 || '%' OR $1 "
                              "LIKE region_prefix || '%' ORDER BY region_prefix, "
                              "effective_month, level"));
  pool_->Prepare("homecare_assess",
                 absl::StrCat("INSERT INTO homecare_subsidies (name, id_cipher, id_index, "
                              "id_masked, birth_date, sex, region_code, low_income, disabled, "
                              "living_alone, level, assessed_on, assessor, status, start_month, "
                              "recorded_by) VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10, "
                              "$11, $12::date, $13, 'PENDING_APPROVAL', $14::date, $15) RETURNING ",
                              SubsidyColumns()));
  pool_->Prepare("homecare_get", absl::StrCat("SELECT ", SubsidyColumns(),
                                              " FROM homecare_subsidies WHERE subsidy_id = "
                                              "$1::uuid"));
  pool_->Prepare("homecare_lock", absl::StrCat("SELECT ", SubsidyColumns(),
                                               " FROM homecare_subsidies WHERE subsidy_id = "
                                               "$1::uuid FOR UPDATE"));
  pool_->Prepare("homecare_approve",
                 absl::StrCat("UPDATE homecare_subsidies SET status = 'ACTIVE', approved_by = $2, "
                              "approved_on = $3::date, updated_at = now() WHERE subsidy_id = "
                              "$1::uuid RETURNING ",
                              SubsidyColumns()));
  pool_->Prepare("homecare_stop",
                 absl::StrCat("UPDATE homecare_subsidies SET status = 'STOPPED', end_month = "
                              "$2::date, stop_reason = $3, stop_note = $4, stopped_on = $5::date, "
                              "updated_at = now() WHERE subsidy_id = $1::uuid RETURNING ",
                              SubsidyColumns()));
  pool_->Prepare("homecare_list",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              " FROM homecare_subsidies WHERE region_code LIKE $1 || '%' AND "
                              "($2 = '' OR status = $2) AND seq > $3 ORDER BY seq LIMIT $4"));
  // Persons due in the month starting $1 within prefix $2: approved, the subsidy covering it.
  pool_->Prepare("homecare_due",
                 "SELECT subsidy_id::text, level, region_code FROM homecare_subsidies WHERE "
                 "approved_on IS NOT NULL AND start_month <= $1::date AND (end_month IS NULL OR "
                 "end_month > $1::date) AND region_code LIKE $2 || '%' ORDER BY seq");
  pool_->Prepare(
      "homecare_stop_for_death",
      "UPDATE homecare_subsidies SET status = 'STOPPED', end_month = greatest(start_month, "
      "least(coalesce(end_month, $2::date), $2::date)), stop_reason = $5, stop_note = $3, "
      "stopped_on = $4::date, updated_at = now() WHERE id_index = $1 AND (end_month IS NULL OR "
      "end_month > greatest(start_month, $2::date)) RETURNING subsidy_id");
  pool_->Prepare("homecare_id_index",
                 "SELECT id_index FROM homecare_subsidies WHERE subsidy_id = $1::uuid");
  pool_->Prepare("homecare_other_open",
                 "SELECT count(*) FROM homecare_subsidies o WHERE o.id_index = (SELECT id_index "
                 "FROM homecare_subsidies WHERE subsidy_id = $1::uuid) AND o.subsidy_id <> "
                 "$1::uuid AND o.status IN ('PENDING_APPROVAL', 'ACTIVE')");
  pool_->Prepare("homecare_resume",
                 "UPDATE homecare_subsidies SET status = 'ACTIVE', end_month = NULL, stop_reason "
                 "= '', stop_note = '', stopped_on = NULL, updated_at = now() WHERE subsidy_id = "
                 "$1::uuid");
  pool_->Prepare("homecare_history_insert",
                 "INSERT INTO homecare_subsidy_history (subsidy_id, action, end_month, "
                 "stop_reason, stop_note, stopped_on, grievance_id, note, actor, day) VALUES "
                 "($1::uuid, 'STOP_REVERSED', $2::date, $3, $4, $5::date, $6, $7, $8, $9::date)");
  pool_->Prepare("homecare_active_on",
                 "SELECT level, count(*)::int FROM homecare_subsidies WHERE approved_on <= "
                 "$1::date AND start_month <= $2::date AND (end_month IS NULL OR end_month > "
                 "$2::date) AND region_code LIKE $3 || '%' GROUP BY level ORDER BY level");
}

absl::StatusOr<LevelScheduleRecord> HomeCareStore::AddSchedule(const LevelSchedule& schedule,
                                                               const std::string& actor) {
  std::optional<LevelScheduleRecord> created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      for (const LevelAmount& l : schedule.levels) {
        txn.exec_prepared("homecare_level_insert", schedule.region_prefix.value(),
                          MonthDay(schedule.effective_month), l.level, l.monthly_fen, actor);
      }
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat(
          "effective_month: ", schedule.region_prefix.value(), " has a level schedule from ",
          FormatMonth(schedule.effective_month), " already"));
    }
    for (LevelScheduleRecord& r :
         SchedulesOf(txn.exec_prepared("homecare_level_list", schedule.region_prefix.value()))) {
      if (r.schedule.region_prefix == schedule.region_prefix &&
          r.schedule.effective_month == schedule.effective_month) {
        created = std::move(r);
      }
    }
    return absl::OkStatus();
  }));
  return *std::move(created);
}

absl::StatusOr<std::vector<LevelScheduleRecord>> HomeCareStore::ListSchedules(
    const std::string& region_prefix) {
  std::vector<LevelScheduleRecord> schedules;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    schedules = SchedulesOf(txn.exec_prepared("homecare_level_list", region_prefix));
    return absl::OkStatus();
  }));
  return schedules;
}

absl::StatusOr<SubsidyRecord> HomeCareStore::Assess(const AssessmentDraft& draft,
                                                    const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, draft.id));
  SubsidyRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<RecordedDeath> death = deaths_->Find(txn, stored.index)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "id_number: the platform records the person's death on ", FormatDay(death->date.day)));
    }
    const std::vector<LevelSchedule> schedules =
        Plain(SchedulesOf(txn.exec_prepared("homecare_level_list", draft.region.value())));
    CIVIL_RETURN_IF_ERROR(CheckAssessment(
        LevelScheduleFor(schedules, draft.region.value(), absl::CivilMonth(draft.assessed_on)),
        draft));
    try {
      created = SubsidyFromRow(
          txn.exec_prepared1("homecare_assess", draft.name, Bytes(stored.cipher), stored.index,
                             stored.masked, FormatDay(draft.id.birth_date()), SexCode(draft.id),
                             draft.region.value(), draft.low_income, draft.disabled,
                             draft.living_alone, draft.level, FormatDay(draft.assessed_on),
                             draft.assessor, MonthDay(absl::CivilMonth(draft.assessed_on)), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", stored.masked, " has an open 居家养老服务补贴"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<SubsidyRecord> HomeCareStore::Approve(
    const std::string& subsidy_id, const std::string& approver, absl::CivilDay decided_on,
    const std::function<absl::Status(const std::string&)>& check_region) {
  SubsidyRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("homecare_lock", subsidy_id);
    if (r.empty()) return absl::NotFoundError("subsidy_id: no such subsidy");
    const SubsidyRecord current = SubsidyFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckSubsidyApproval(current.status, current.recorded_by, approver,
                                               current.assessed_on, decided_on));
    updated = SubsidyFromRow(
        txn.exec_prepared1("homecare_approve", subsidy_id, approver, FormatDay(decided_on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<SubsidyRecord> HomeCareStore::Stop(
    const std::string& subsidy_id, absl::CivilDay on, int reason, const std::string& note,
    const std::function<absl::Status(const std::string&)>& check_region) {
  SubsidyRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("homecare_lock", subsidy_id);
    if (r.empty()) return absl::NotFoundError("subsidy_id: no such subsidy");
    const SubsidyRecord current = SubsidyFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth end,
                           SubsidyStopMonth(current.status, current.start_month, reason, note, on));
    updated = SubsidyFromRow(txn.exec_prepared1("homecare_stop", subsidy_id, MonthDay(end),
                                                std::string(kSubsidyStopReasonNames.Name(reason)),
                                                note, FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<SubsidyRecord> HomeCareStore::Get(const std::string& subsidy_id) {
  absl::StatusOr<SubsidyRecord> result = absl::NotFoundError("subsidy_id: no such subsidy");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("homecare_get", subsidy_id);
    if (r.empty()) return absl::OkStatus();
    SubsidyRecord s = SubsidyFromRow(r[0]);
    s.payments = runs_.PaymentsOf(txn, subsidy_id);
    result = std::move(s);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<SubsidyRecord>> HomeCareStore::List(const std::string& region_prefix,
                                                        std::optional<SubsidyStatus> status,
                                                        int64_t after, int page_size) {
  const std::string status_name =
      status ? std::string(kSubsidyStatusNames.Name(static_cast<int>(*status))) : "";
  Page<SubsidyRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("homecare_list", region_prefix, status_name, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(SubsidyFromRow(rows[i]));
      page.next_after = rows[i][kSeqColumn].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<MonthlyRunResult> HomeCareStore::RunPayments(absl::CivilMonth month,
                                                            const std::string& region_prefix,
                                                            const std::string& actor) {
  return runs_.Run(
      month, region_prefix, actor,
      [&](pqxx::transaction_base& txn) -> absl::StatusOr<std::vector<MonthlyPayment>> {
        const std::vector<LevelSchedule> schedules =
            Plain(SchedulesOf(txn.exec_prepared("homecare_level_list", region_prefix)));
        std::vector<DueSubsidy> due;
        for (const auto& row : txn.exec_prepared("homecare_due", MonthDay(month), region_prefix)) {
          due.push_back(
              DueSubsidy{row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>()});
        }
        const PricedSubsidies priced = PriceSubsidies(due, schedules, month);
        if (priced.unpriced > 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "month: ", priced.unpriced, " persons due the 居家养老服务补贴 for ",
              FormatMonth(month),
              " live where no amount of their level applies; set one with SetLevelSchedule"));
        }
        std::vector<MonthlyPayment> payments;
        payments.reserve(priced.payments.size());
        for (const PricedSubsidy& p : priced.payments) {
          payments.push_back({p.subsidy_id, p.level, p.amount_fen, p.region_code});
        }
        return payments;
      });
}

absl::StatusOr<int> HomeCareStore::OnDeath(pqxx::transaction_base& txn, const std::string& id_index,
                                           absl::CivilDay died) {
  const pqxx::result stopped = txn.exec_prepared(
      "homecare_stop_for_death", id_index, MonthDay(SubsidyStopAfterDeath(died)),
      absl::StrCat("deceased on ", FormatDay(died)), FormatDay(died), std::string("DECEASED"));
  return static_cast<int>(stopped.size());
}

absl::StatusOr<int> HomeCareStore::OnMoveOut(pqxx::transaction_base& txn,
                                             const std::string& id_index, absl::CivilDay moved) {
  // The month after the move, as after a death (SubsidyStopAfterDeath).
  const pqxx::result stopped =
      txn.exec_prepared("homecare_stop_for_death", id_index, MonthDay(SubsidyStopAfterDeath(moved)),
                        absl::StrCat("moved out of the county on ", FormatDay(moved)),
                        FormatDay(moved), std::string("MOVED_OUT"));
  return static_cast<int>(stopped.size());
}

absl::StatusOr<std::string> HomeCareStore::ReverseStop(pqxx::transaction_base& txn,
                                                       const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError("case_id: no such subsidy");
  const pqxx::result rows = txn.exec_prepared("homecare_lock", request.case_id);
  if (rows.empty()) return absl::NotFoundError("case_id: no such subsidy");
  const SubsidyRecord s = SubsidyFromRow(rows[0]);
  const std::string id_index =
      txn.exec_prepared1("homecare_id_index", request.case_id)[0].as<std::string>();
  const bool other_open =
      txn.exec_prepared1("homecare_other_open", request.case_id)[0].as<int64_t>() > 0;
  CIVIL_RETURN_IF_ERROR(
      CheckSubsidyStopReversal(s.status, deaths_->Find(txn, id_index).has_value(), other_open));
  const absl::CivilMonth end = *s.end_month;
  const std::vector<LevelSchedule> schedules =
      Plain(SchedulesOf(txn.exec_prepared("homecare_level_list", s.region_code)));
  int months = 0;
  int64_t total = 0;
  for (const absl::CivilMonth month :
       runs_.OwedAfterReversal(txn, request.case_id, s.region_code, end, request.today)) {
    const PricedSubsidies priced =
        PriceSubsidies({DueSubsidy{s.subsidy_id, s.level, s.region_code}}, schedules, month);
    if (priced.unpriced > 0) {
      return absl::FailedPreconditionError(absl::StrCat("case_id: no level schedule pays level ",
                                                        s.level, " in ", s.region_code, " in ",
                                                        FormatMonth(month)));
    }
    for (const PricedSubsidy& p : priced.payments) {
      runs_.PayAdjustment(txn, month, {p.subsidy_id, p.level, p.amount_fen, p.region_code},
                          request.grievance_id);
      ++months;
      total += p.amount_fen;
    }
  }
  txn.exec_prepared("homecare_resume", request.case_id);
  const std::string did = absl::StrCat("stop from ", FormatMonth(end), " reversed, back-payment ",
                                       months, " month(s), ", total, " fen");
  txn.exec_prepared(
      "homecare_history_insert", request.case_id, MonthDay(end),
      std::string(s.stop_reason > 0 ? kSubsidyStopReasonNames.Name(s.stop_reason) : ""),
      s.stop_note,
      OrNull(s.stopped_on ? std::optional<std::string>(FormatDay(*s.stopped_on)) : std::nullopt),
      request.grievance_id, absl::StrCat(did, " (grievance ", request.grievance_id, ")"),
      request.actor, FormatDay(request.day));
  return did;
}

absl::StatusOr<SubsidyFigures> HomeCareStore::Figures(const std::string& region_prefix,
                                                      absl::CivilDay start, absl::CivilDay end) {
  const absl::CivilMonth end_month(end);
  SubsidyFigures figures;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        figures = SubsidyFigures();
        for (const auto& row : txn.exec_prepared("homecare_active_on", FormatDay(end),
                                                 MonthDay(end_month), region_prefix)) {
          const int persons = row[1].as<int>();
          figures.persons_by_level[LevelLabel(row[0].as<int>())] += persons;
          figures.persons += persons;
        }
        figures.paid_by_level =
            runs_.PaidByLabel(txn, absl::CivilMonth(start), end_month, region_prefix);
        for (const auto& [level, fen] : figures.paid_by_level) figures.paid_fen += fen;
        return absl::OkStatus();
      }));
  return figures;
}

}  // namespace civil::eldercare
