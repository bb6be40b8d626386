#include "services/eldercare/allowance_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::eldercare {
namespace {

const std::string& EnrolmentColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "enrolment_id::text, name, id_masked, birth_date::text, sex, region_code, status, "
      "applied_on::text, start_month::text, end_month::text, recorded_by, approved_by, "
      "approved_on::text, reason, ",
      MicrosOf("updated_at"), ", seq, low_income, low_income_enrolment_id"));
  return *columns;
}

EnrolmentRecord EnrolmentFromRow(const pqxx::row& row) {
  EnrolmentRecord e;
  e.enrolment_id = row[0].as<std::string>();
  e.name = row[1].as<std::string>();
  e.id_masked = row[2].as<std::string>();
  e.birth_date = DayOf(row[3]);
  e.sex = row[4].as<std::string>();
  e.region_code = row[5].as<std::string>();
  e.status = static_cast<EnrolmentStatus>(kEnrolmentStatusNames.Value(row[6].as<std::string>()));
  e.applied_on = DayOf(row[7]);
  e.start_month = absl::CivilMonth(DayOf(row[8]));
  if (std::optional<absl::CivilDay> end = OptionalDayOf(row[9])) {
    e.end_month = absl::CivilMonth(*end);
  }
  e.recorded_by = row[10].as<std::string>();
  e.approved_by = row[11].as<std::string>();
  e.approved_on = OptionalDayOf(row[12]);
  e.reason = row[13].as<std::string>();
  e.update_time_micros = row[14].as<int64_t>();
  e.low_income = static_cast<LowIncome>(kLowIncomeNames.Value(row[16].as<std::string>()));
  e.low_income_enrolment_id = row[17].as<std::string>();
  return e;
}

// Rows of allowance_tiers ordered by prefix, month and age, grouped into schedules.
std::vector<ScheduleRecord> SchedulesOf(const pqxx::result& rows) {
  std::vector<ScheduleRecord> schedules;
  for (const auto& row : rows) {
    const std::string prefix = row[0].as<std::string>();
    const absl::CivilMonth month(DayOf(row[1]));
    if (schedules.empty() || schedules.back().schedule.region_prefix.value() != prefix ||
        schedules.back().schedule.effective_month != month) {
      schedules.push_back(ScheduleRecord{TierSchedule{*RegionCode::Parse(prefix), month, {}},
                                         row[5].as<std::string>(), row[6].as<int64_t>()});
    }
    schedules.back().schedule.tiers.push_back(Tier{row[2].as<int>(),
                                                   row[3].is_null() ? 0 : row[3].as<int>(),
                                                   row[4].as<int64_t>(), row[7].as<bool>()});
  }
  return schedules;
}

std::vector<TierSchedule> Plain(const std::vector<ScheduleRecord>& records) {
  std::vector<TierSchedule> schedules;
  schedules.reserve(records.size());
  for (const ScheduleRecord& r : records) schedules.push_back(r.schedule);
  return schedules;
}

}  // namespace

AllowanceStore::AllowanceStore(PgPool* pool, const PiiProtector* pii, const DeathRegistry* deaths,
                               prometheus::Registry* metrics)
    : pool_(pool),
      pii_(pii),
      deaths_(deaths),
      runs_(pool,
            {"old_age_allowance", "allowance_runs", "allowance_payments", "enrolment_id", "tier",
             "allowance_adjustment_settlements"},
            metrics) {
  pool_->Prepare("allowance_tier_insert",
                 "INSERT INTO allowance_tiers (region_prefix, effective_month, min_age, max_age, "
                 "monthly_fen, created_by, low_income_only) VALUES ($1, $2::date, $3, "
                 "$4::smallint, $5, $6, $7)");
  // Schedules within the prefix $1 or containing it.
  pool_->Prepare(
      "allowance_tier_list",
      absl::StrCat(
          "SELECT region_prefix, effective_month::text, min_age, max_age, "
          "monthly_fen, created_by, ",
          MicrosOf("created_at"),
          ", low_income_only FROM allowance_tiers WHERE region_prefix LIKE $1 || '%' OR $1 "
          "LIKE region_prefix || '%' ORDER BY region_prefix, effective_month, "
          "min_age"));
  pool_->Prepare("allowance_enrol",
                 absl::StrCat("INSERT INTO allowance_enrolments (name, id_cipher, id_index, "
                              "id_masked, birth_date, sex, region_code, status, applied_on, "
                              "start_month, recorded_by, low_income, low_income_enrolment_id, "
                              "reason) VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9::date, "
                              "$10::date, $11, $12, $13, $14) RETURNING ",
                              EnrolmentColumns()));
  pool_->Prepare("allowance_get", absl::StrCat("SELECT ", EnrolmentColumns(),
                                               " FROM allowance_enrolments WHERE enrolment_id = "
                                               "$1::uuid"));
  pool_->Prepare("allowance_lock", absl::StrCat("SELECT ", EnrolmentColumns(),
                                                " FROM allowance_enrolments WHERE enrolment_id = "
                                                "$1::uuid FOR UPDATE"));
  pool_->Prepare("allowance_approve",
                 absl::StrCat("UPDATE allowance_enrolments SET status = 'ACTIVE', approved_by = "
                              "$2, approved_on = $3::date, updated_at = now() WHERE enrolment_id = "
                              "$1::uuid RETURNING ",
                              EnrolmentColumns()));
  pool_->Prepare("allowance_stop",
                 absl::StrCat("UPDATE allowance_enrolments SET status = 'STOPPED', end_month = "
                              "$2::date, reason = $3, updated_at = now() WHERE enrolment_id = "
                              "$1::uuid RETURNING ",
                              EnrolmentColumns()));
  pool_->Prepare("allowance_id_index",
                 "SELECT id_index FROM allowance_enrolments WHERE enrolment_id = $1::uuid");
  // A stop reversed by a grievance: the months a run paid the person's region since the stop
  // ($1..$2), the months the person was paid since, the adjustment rows, the resumption.
  pool_->Prepare("allowance_resume",
                 "UPDATE allowance_enrolments SET status = 'ACTIVE', end_month = NULL, reason = "
                 "'', updated_at = now() WHERE enrolment_id = $1::uuid");
  pool_->Prepare("allowance_history_insert",
                 "INSERT INTO allowance_enrolment_history (enrolment_id, action, end_month, "
                 "reason, note, actor, day) VALUES ($1::uuid, $2, $3::date, $4, $5, $6, "
                 "$7::date)");
  pool_->Prepare("allowance_list",
                 absl::StrCat("SELECT ", EnrolmentColumns(),
                              " FROM allowance_enrolments WHERE region_code LIKE $1 || '%' AND "
                              "($2 = '' OR status = $2) AND seq > $3 ORDER BY seq LIMIT $4"));
  // Persons due in the month starting $1 within prefix $2: approved, the enrolment covering it.
  pool_->Prepare("allowance_due",
                 "SELECT enrolment_id::text, birth_date::text, region_code, low_income = "
                 "'CONFIRMED' FROM allowance_enrolments WHERE status IN ('ACTIVE', 'STOPPED') AND "
                 "approved_on IS "
                 "NOT NULL AND start_month <= $1::date AND (end_month IS NULL OR end_month > "
                 "$1::date) AND region_code LIKE $2 || '%' ORDER BY seq");
  pool_->Prepare(
      "allowance_stop_for_death",
      "UPDATE allowance_enrolments SET status = 'STOPPED', end_month = "
      "greatest(start_month, least(coalesce(end_month, $2::date), $2::date)), reason = "
      "$3, updated_at = now() WHERE id_index = $1 AND status <> 'REJECTED' AND (end_month IS "
      "NULL OR end_month "
      "> greatest(start_month, $2::date)) RETURNING enrolment_id");
  pool_->Prepare("allowance_active_on",
                 "SELECT birth_date::text, region_code, low_income = 'CONFIRMED' FROM "
                 "allowance_enrolments WHERE status IN "
                 "('ACTIVE', 'STOPPED') AND approved_on <= $1::date AND start_month <= $2::date "
                 "AND (end_month IS NULL OR end_month > $2::date) AND region_code LIKE $3 || '%'");
  pool_->Prepare(
      "allowance_pending_eligibility",
      absl::StrCat("SELECT ", EnrolmentColumns(),
                   ", id_cipher FROM allowance_enrolments WHERE status = "
                   "'PENDING_ELIGIBILITY' AND region_code LIKE $1 || '%' AND ($2 = '' OR "
                   "enrolment_id::text = $2) ORDER BY seq LIMIT $3"));
  pool_->Prepare("allowance_resolve_eligibility",
                 absl::StrCat("UPDATE allowance_enrolments SET status = $2, low_income = $3, "
                              "low_income_enrolment_id = $4, reason = $5, updated_at = now() WHERE "
                              "enrolment_id = $1::uuid RETURNING ",
                              EnrolmentColumns()));
}

absl::StatusOr<ScheduleRecord> AllowanceStore::AddSchedule(const TierSchedule& schedule,
                                                           const std::string& actor) {
  std::optional<ScheduleRecord> created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      for (const Tier& t : schedule.tiers) {
        // An open-ended tier is stored with max_age NULL.
        const std::optional<std::string> max_age =
            t.max_age == 0 ? std::nullopt : std::optional<std::string>(absl::StrCat(t.max_age));
        txn.exec_prepared("allowance_tier_insert", schedule.region_prefix.value(),
                          MonthDay(schedule.effective_month), t.min_age, OrNull(max_age),
                          t.monthly_fen, actor, t.low_income_only);
      }
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat(
          "effective_month: ", schedule.region_prefix.value(), " has a tier schedule from ",
          FormatMonth(schedule.effective_month), " already"));
    }
    for (ScheduleRecord& r :
         SchedulesOf(txn.exec_prepared("allowance_tier_list", schedule.region_prefix.value()))) {
      if (r.schedule.region_prefix == schedule.region_prefix &&
          r.schedule.effective_month == schedule.effective_month) {
        created = std::move(r);
      }
    }
    return absl::OkStatus();
  }));
  return *std::move(created);
}

absl::StatusOr<std::vector<ScheduleRecord>> AllowanceStore::ListSchedules(
    const std::string& region_prefix) {
  std::vector<ScheduleRecord> schedules;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    schedules = SchedulesOf(txn.exec_prepared("allowance_tier_list", region_prefix));
    return absl::OkStatus();
  }));
  return schedules;
}

absl::StatusOr<EnrolmentRecord> AllowanceStore::Enrol(const EnrolmentDraft& draft,
                                                      const EnrolmentStart& start,
                                                      const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, draft.id));
  EnrolmentRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<RecordedDeath> death = deaths_->Find(txn, stored.index)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "id_number: the platform records the person's death on ", FormatDay(death->date.day)));
    }
    const std::vector<TierSchedule> schedules =
        Plain(SchedulesOf(txn.exec_prepared("allowance_tier_list", draft.region.value())));
    CIVIL_RETURN_IF_ERROR(CheckEnrolmentAge(
        ScheduleFor(schedules, draft.region.value(), absl::CivilMonth(draft.applied_on)),
        draft.region.value(), draft.id.birth_date(), draft.applied_on));
    try {
      created = EnrolmentFromRow(txn.exec_prepared1(
          "allowance_enrol", draft.name, Bytes(stored.cipher), stored.index, stored.masked,
          FormatDay(draft.id.birth_date()), SexCode(draft.id), draft.region.value(),
          std::string(kEnrolmentStatusNames.Name(static_cast<int>(start.status))),
          FormatDay(draft.applied_on), MonthDay(absl::CivilMonth(draft.applied_on)), actor,
          std::string(kLowIncomeNames.Name(static_cast<int>(start.low_income))),
          start.low_income_enrolment_id, start.reason));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", stored.masked, " is already enrolled in the 高龄津贴"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<EnrolmentRecord> AllowanceStore::Approve(
    const std::string& enrolment_id, const std::string& approver, absl::CivilDay decided_on,
    const std::function<absl::Status(const std::string&)>& check_region) {
  EnrolmentRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("allowance_lock", enrolment_id);
    if (r.empty()) return absl::NotFoundError("enrolment_id: no such enrolment");
    const EnrolmentRecord current = EnrolmentFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckApproval(current.status, current.recorded_by, approver,
                                        current.applied_on, decided_on));
    updated = EnrolmentFromRow(
        txn.exec_prepared1("allowance_approve", enrolment_id, approver, FormatDay(decided_on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<EnrolmentRecord> AllowanceStore::Stop(
    const std::string& enrolment_id, absl::CivilDay on, const std::string& reason,
    const std::function<absl::Status(const std::string&)>& check_region) {
  EnrolmentRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("allowance_lock", enrolment_id);
    if (r.empty()) return absl::NotFoundError("enrolment_id: no such enrolment");
    const EnrolmentRecord current = EnrolmentFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth end,
                           StopMonth(current.status, current.start_month, on));
    updated =
        EnrolmentFromRow(txn.exec_prepared1("allowance_stop", enrolment_id, MonthDay(end), reason));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<EnrolmentRecord> AllowanceStore::Get(const std::string& enrolment_id) {
  absl::StatusOr<EnrolmentRecord> result = absl::NotFoundError("enrolment_id: no such enrolment");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("allowance_get", enrolment_id);
    if (r.empty()) return absl::OkStatus();
    EnrolmentRecord e = EnrolmentFromRow(r[0]);
    e.payments = runs_.PaymentsOf(txn, enrolment_id);
    result = std::move(e);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<EnrolmentRecord>> AllowanceStore::List(const std::string& region_prefix,
                                                           std::optional<EnrolmentStatus> status,
                                                           int64_t after, int page_size) {
  const std::string status_name =
      status ? std::string(kEnrolmentStatusNames.Name(static_cast<int>(*status))) : "";
  Page<EnrolmentRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("allowance_list", region_prefix, status_name, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(EnrolmentFromRow(rows[i]));
      page.next_after = rows[i][15].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::vector<EligibilitySubject>> AllowanceStore::PendingEligibility(
    const std::string& region_prefix, const std::string& enrolment_id, int limit) {
  std::vector<EligibilitySubject> subjects;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    for (const auto& row :
         txn.exec_prepared("allowance_pending_eligibility", region_prefix, enrolment_id, limit)) {
      pqxx::binarystring cipher(row[18]);
      CIVIL_ASSIGN_OR_RETURN(const std::string clear, pii_->Decrypt(cipher.str()));
      CIVIL_ASSIGN_OR_RETURN(IdNumber id, IdNumber::Parse(clear, absl::CivilDay(9999, 12, 31)));
      subjects.push_back(EligibilitySubject{EnrolmentFromRow(row), std::move(id)});
    }
    return absl::OkStatus();
  }));
  return subjects;
}

absl::StatusOr<EnrolmentRecord> AllowanceStore::ResolveEligibility(
    const std::string& enrolment_id, const LowIncomeDecision& decision, const std::string& reason) {
  EnrolmentRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("allowance_lock", enrolment_id);
    if (r.empty()) return absl::NotFoundError("enrolment_id: no such enrolment");
    const EnrolmentRecord current = EnrolmentFromRow(r[0]);
    if (current.status != EnrolmentStatus::kPendingEligibility) {
      return absl::FailedPreconditionError(
          absl::StrCat("enrolment_id: the enrolment is ",
                       kEnrolmentStatusNames.Name(static_cast<int>(current.status)),
                       ", not waiting for the low-income check"));
    }
    updated = EnrolmentFromRow(txn.exec_prepared1(
        "allowance_resolve_eligibility", enrolment_id,
        decision.low_income ? "PENDING_APPROVAL" : "REJECTED",
        decision.low_income ? "CONFIRMED" : "UNANSWERED", decision.enrolment_id, reason));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<RunResult> AllowanceStore::RunPayments(absl::CivilMonth month,
                                                      const std::string& region_prefix,
                                                      const std::string& actor) {
  return runs_.Run(
      month, region_prefix, actor,
      [&](pqxx::transaction_base& txn) -> absl::StatusOr<std::vector<MonthlyPayment>> {
        const std::vector<TierSchedule> schedules =
            Plain(SchedulesOf(txn.exec_prepared("allowance_tier_list", region_prefix)));
        std::vector<DuePerson> due;
        for (const auto& row : txn.exec_prepared("allowance_due", MonthDay(month), region_prefix)) {
          due.push_back(DuePerson{row[0].as<std::string>(), DayOf(row[1]), row[2].as<std::string>(),
                                  row[3].as<bool>()});
        }
        const PricedMonth priced = PriceMonth(due, schedules, month);
        if (priced.unpriced > 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "month: ", priced.unpriced, " persons due the 高龄津贴 for ", FormatMonth(month),
              " live where no tier schedule applies; set one with SetTierSchedule"));
        }
        std::vector<MonthlyPayment> payments;
        payments.reserve(priced.payments.size());
        for (const PricedPayment& p : priced.payments) {
          payments.push_back({p.enrolment_id, p.tier, p.amount_fen, p.region_code});
        }
        return payments;
      });
}

absl::StatusOr<int> AllowanceStore::OnDeath(pqxx::transaction_base& txn,
                                            const std::string& id_index, absl::CivilDay died) {
  const pqxx::result stopped =
      txn.exec_prepared("allowance_stop_for_death", id_index, MonthDay(DeathStopMonth(died)),
                        absl::StrCat("deceased on ", FormatDay(died)));
  return static_cast<int>(stopped.size());
}

absl::StatusOr<int> AllowanceStore::OnMoveOut(pqxx::transaction_base& txn,
                                              const std::string& id_index, absl::CivilDay moved) {
  const pqxx::result stopped =
      txn.exec_prepared("allowance_stop_for_death", id_index, MonthDay(MoveOutStopMonth(moved)),
                        absl::StrCat("moved out of the county on ", FormatDay(moved)));
  return static_cast<int>(stopped.size());
}

absl::StatusOr<std::string> AllowanceStore::ReverseStop(pqxx::transaction_base& txn,
                                                        const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError("case_id: no such enrolment");
  pqxx::result rows = txn.exec_prepared("allowance_lock", request.case_id);
  if (rows.empty()) return absl::NotFoundError("case_id: no such enrolment");
  const EnrolmentRecord e = EnrolmentFromRow(rows[0]);
  const std::string id_index =
      txn.exec_prepared1("allowance_id_index", request.case_id)[0].as<std::string>();
  CIVIL_RETURN_IF_ERROR(CheckStopReversal(e.status, deaths_->Find(txn, id_index).has_value()));
  const absl::CivilMonth end = *e.end_month;
  const std::vector<absl::CivilMonth> owed =
      runs_.OwedAfterReversal(txn, request.case_id, e.region_code, end, request.today);
  const std::vector<TierSchedule> schedules =
      Plain(SchedulesOf(txn.exec_prepared("allowance_tier_list", e.region_code)));
  const DuePerson person{e.enrolment_id, e.birth_date, e.region_code,
                         e.low_income == LowIncome::kConfirmed};
  int paid = 0;
  int64_t total = 0;
  for (const absl::CivilMonth month : owed) {
    const PricedMonth priced = PriceMonth({person}, schedules, month);
    if (priced.unpriced > 0) {
      return absl::FailedPreconditionError(absl::StrCat("case_id: no tier schedule covers ",
                                                        e.region_code, " in ", FormatMonth(month)));
    }
    for (const PricedPayment& p : priced.payments) {
      runs_.PayAdjustment(txn, month, {p.enrolment_id, p.tier, p.amount_fen, p.region_code},
                          request.grievance_id);
      ++paid;
      total += p.amount_fen;
    }
  }
  txn.exec_prepared("allowance_resume", request.case_id);
  const std::string note = absl::StrCat("stop reversed (grievance ", request.grievance_id,
                                        "); back-payment ", paid, " month(s), ", total, " fen");
  txn.exec_prepared("allowance_history_insert", request.case_id, "STOP_REVERSED", MonthDay(end),
                    e.reason, note, request.actor, FormatDay(request.day));
  return absl::StrCat("stop reversed, back-payment ", paid, " month(s), ", total, " fen");
}

absl::StatusOr<AllowanceFigures> AllowanceStore::Figures(const std::string& region_prefix,
                                                         absl::CivilDay start, absl::CivilDay end) {
  const absl::CivilMonth end_month(end);
  AllowanceFigures figures;
  CIVIL_RETURN_IF_ERROR(pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn)
                                                                   -> absl::Status {
    figures = AllowanceFigures();
    const std::vector<TierSchedule> schedules =
        Plain(SchedulesOf(txn.exec_prepared("allowance_tier_list", region_prefix)));
    for (const auto& row : txn.exec_prepared("allowance_active_on", FormatDay(end),
                                             MonthDay(end_month), region_prefix)) {
      const std::string region = row[1].as<std::string>();
      ++figures.by_tier[SummaryTier(schedules, region, DayOf(row[0]), row[2].as<bool>(), end_month)]
            .persons;
      ++figures.persons;
    }
    for (const auto& [tier, fen] :
         runs_.PaidByLabel(txn, absl::CivilMonth(start), end_month, region_prefix)) {
      figures.by_tier[tier].paid_fen += fen;
      figures.paid_fen += fen;
    }
    return absl::OkStatus();
  }));
  return figures;
}

}  // namespace civil::eldercare
