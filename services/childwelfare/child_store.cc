#include "services/childwelfare/child_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/allowance_months.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {
namespace {

std::string NameOf(Category c) { return std::string(kCategoryNames.Name(static_cast<int>(c))); }
Category CategoryOf(const pqxx::field& f) {
  return static_cast<Category>(kCategoryNames.Value(f.as<std::string>()));
}
std::optional<absl::CivilMonth> OptionalMonthOf(const pqxx::field& f) {
  if (std::optional<absl::CivilDay> day = OptionalDayOf(f)) return absl::CivilMonth(*day);
  return std::nullopt;
}

constexpr int kSeqColumn = 27;
const std::string& ChildColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "child_id::text, name, id_masked, birth_date::text, sex, region_code, category, father, "
      "mother, guardian_name, guardian_relation, placement, status, applied_on::text, "
      "start_month::text, recorded_by, checked_by, checked_on::text, check_note, approved_by, "
      "approved_on::text, end_month::text, stop_reason, stop_note, school, "
      "education_until::text, ",
      MicrosOf("updated_at"), ", seq, stopped_on::text, education_recorded_on::text, id_index"));
  return *columns;
}

ChildRecord ChildFromRow(const pqxx::row& row) {
  ChildRecord c;
  c.child_id = row[0].as<std::string>();
  c.name = row[1].as<std::string>();
  c.id_masked = row[2].as<std::string>();
  c.birth_date = DayOf(row[3]);
  c.sex = row[4].as<std::string>();
  c.region_code = row[5].as<std::string>();
  c.category = CategoryOf(row[6]);
  c.father = static_cast<ParentSituation>(kParentSituationNames.Value(row[7].as<std::string>()));
  c.mother = static_cast<ParentSituation>(kParentSituationNames.Value(row[8].as<std::string>()));
  c.guardian_name = row[9].as<std::string>();
  c.guardian_relation = row[10].as<std::string>();
  c.placement = row[11].as<std::string>();
  c.status = static_cast<ChildStatus>(kChildStatusNames.Value(row[12].as<std::string>()));
  c.applied_on = DayOf(row[13]);
  c.start_month = absl::CivilMonth(DayOf(row[14]));
  c.recorded_by = row[15].as<std::string>();
  c.checked_by = row[16].as<std::string>();
  c.checked_on = OptionalDayOf(row[17]);
  c.check_note = row[18].as<std::string>();
  c.approved_by = row[19].as<std::string>();
  c.approved_on = OptionalDayOf(row[20]);
  c.end_month = OptionalMonthOf(row[21]);
  if (const int reason = kStopReasonNames.Value(row[22].as<std::string>()); reason != 0) {
    c.stop_reason = static_cast<StopReason>(reason);
  }
  c.stop_note = row[23].as<std::string>();
  c.school = row[24].as<std::string>();
  c.education_until = OptionalMonthOf(row[25]);
  c.update_time_micros = row[26].as<int64_t>();
  c.stopped_on = OptionalDayOf(row[28]);
  c.education_recorded_on = OptionalDayOf(row[29]);
  c.id_index = row[30].as<std::string>();
  return c;
}

// The steps of the child_history rows (child_history_of), oldest first.
std::vector<ChildHistoryStep> HistoryOf(const pqxx::result& rows) {
  std::vector<ChildHistoryStep> steps;
  for (const auto& row : rows) {
    const std::string action = row[0].as<std::string>();
    if (action == "REOPENED") {  // the check it undid first
      steps.push_back(ChildHistoryStep{"REJECTED", row[1].as<std::string>(), OptionalDayOf(row[2]),
                                       row[3].as<std::string>(), ""});
    }
    steps.push_back(ChildHistoryStep{action, row[5].as<std::string>(), OptionalDayOf(row[6]),
                                     row[7].as<std::string>(), row[4].as<std::string>()});
  }
  return steps;
}

StipendRecord StipendFromRow(const pqxx::row& row) {
  return StipendRecord{row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>(),
                       row[3].as<int64_t>(),     DayOf(row[4]),    row[5].as<std::string>()};
}

std::vector<StandardRecord> StandardsOf(const pqxx::result& rows) {
  std::vector<StandardRecord> standards;
  for (const auto& row : rows) {
    standards.push_back(StandardRecord{
        Standard{*RegionCode::Parse(row[0].as<std::string>()), absl::CivilMonth(DayOf(row[1])),
                 CategoryOf(row[2]), row[3].as<int64_t>()},
        row[4].as<std::string>(), row[5].as<int64_t>()});
  }
  return standards;
}

std::vector<Standard> Plain(const std::vector<StandardRecord>& records) {
  std::vector<Standard> standards;
  standards.reserve(records.size());
  for (const StandardRecord& r : records) standards.push_back(r.standard);
  return standards;
}

}  // namespace

ChildStore::ChildStore(PgPool* pool, const PiiProtector* pii, const DeathRegistry* deaths,
                       int education_max_age, prometheus::Registry* metrics)
    : pool_(pool),
      pii_(pii),
      deaths_(deaths),
      education_max_age_(education_max_age),
      runs_(pool,
            {"child_allowance", "child_runs", "child_payments", "child_id", "category",
             "child_adjustment_settlements"},
            metrics) {
  pool_->Prepare("child_standard_insert",
                 "INSERT INTO child_standards (region_prefix, effective_month, category, "
                 "monthly_fen, created_by) VALUES ($1, $2::date, $3, $4, $5)");
  // Standards within the prefix $1 or containing it.
  pool_->Prepare("child_standard_list",
                 absl::StrCat("SELECT region_prefix, effective_month::text, category, monthly_fen, "
                              "created_by, ",
                              MicrosOf("created_at"),
                              " FROM child_standards WHERE region_prefix LIKE $1 || '%' OR $1 "
                              "LIKE region_prefix || '%' ORDER BY region_prefix, category, "
                              "effective_month"));
  pool_->Prepare(
      "child_register",
      absl::StrCat("INSERT INTO children (name, id_cipher, id_index, id_masked, birth_date, sex, "
                   "region_code, category, father, mother, guardian_name, guardian_relation, "
                   "placement, status, applied_on, start_month, recorded_by) VALUES ($1, $2, $3, "
                   "$4, $5::date, $6, $7, $8, $9, $10, $11, $12, $13, 'PENDING_CHECK', "
                   "$14::date, $15::date, $16) RETURNING ",
                   ChildColumns()));
  pool_->Prepare("child_get", absl::StrCat("SELECT ", ChildColumns(),
                                           " FROM children WHERE child_id = $1::uuid"));
  pool_->Prepare("child_lock", absl::StrCat("SELECT ", ChildColumns(),
                                            " FROM children WHERE child_id = $1::uuid FOR UPDATE"));
  // An upheld grievance against a rejection: the check it had, another open case of the child,
  // the history row and the case pending the check again.
  pool_->Prepare("child_check_of",
                 "SELECT checked_by, checked_on::text, check_note FROM children WHERE child_id = "
                 "$1::uuid");
  pool_->Prepare("child_other_open_cases",
                 "SELECT count(*) FROM children o JOIN children c ON o.id_index = c.id_index AND "
                 "o.child_id <> c.child_id WHERE c.child_id = $1::uuid AND o.status IN "
                 "('PENDING_CHECK', 'PENDING_APPROVAL', 'ACTIVE')");
  pool_->Prepare("child_history_insert",
                 "INSERT INTO child_history (child_id, action, checked_by, checked_on, "
                 "check_note, grievance_id, actor, day) VALUES ($1::uuid, $2, $3, "
                 "NULLIF($4, '')::date, $5, $6, $7, $8::date)");
  // The case's history, oldest first (HistoryOf).
  pool_->Prepare("child_history_of",
                 "SELECT action, checked_by, checked_on::text, check_note, grievance_id, actor, "
                 "day::text, note FROM child_history WHERE child_id = $1::uuid ORDER BY "
                 "history_id");
  // A move out of the county: the child's running cases, and each stop's history row.
  pool_->Prepare("child_active_of",
                 absl::StrCat("SELECT ", ChildColumns(),
                              " FROM children WHERE id_index = $1 AND status = 'ACTIVE' ORDER BY "
                              "seq FOR UPDATE"));
  pool_->Prepare("child_stop_history_insert",
                 "INSERT INTO child_history (child_id, action, checked_by, check_note, "
                 "grievance_id, actor, day, end_month, stop_reason, stop_note, stopped_on, note) "
                 "VALUES ($1::uuid, 'STOPPED', '', '', '', $2, $3::date, $4::date, $5, $6, "
                 "$3::date, $6)");
  // An upheld grievance against a stop: the case active again and the history row (the months
  // owed and their adjustment rows are the kit's MonthlyRunner's).
  pool_->Prepare("child_id_index", "SELECT id_index FROM children WHERE child_id = $1::uuid");
  pool_->Prepare("child_resume",
                 "UPDATE children SET status = 'ACTIVE', end_month = NULL, stop_reason = '', "
                 "stop_note = '', stopped_on = NULL, updated_at = now() WHERE child_id = $1::uuid");
  pool_->Prepare("child_reversal_history_insert",
                 "INSERT INTO child_history (child_id, action, checked_by, check_note, "
                 "grievance_id, actor, day, end_month, stop_reason, stop_note, stopped_on, note, "
                 "months_paid, paid_fen) VALUES ($1::uuid, 'STOP_REVERSED', '', '', $2, $3, "
                 "$4::date, $5::date, $6, $7, NULLIF($8, '')::date, $9, $10, $11)");
  pool_->Prepare("child_reopen",
                 "UPDATE children SET status = 'PENDING_CHECK', checked_by = '', checked_on = "
                 "NULL, check_note = '', updated_at = now() WHERE child_id = $1::uuid");
  pool_->Prepare("child_check",
                 absl::StrCat("UPDATE children SET status = $2, checked_by = $3, checked_on = "
                              "$4::date, check_note = $5, updated_at = now() WHERE child_id = "
                              "$1::uuid RETURNING ",
                              ChildColumns()));
  pool_->Prepare("child_approve",
                 absl::StrCat("UPDATE children SET status = 'ACTIVE', approved_by = $2, "
                              "approved_on = $3::date, updated_at = now() WHERE child_id = "
                              "$1::uuid RETURNING ",
                              ChildColumns()));
  pool_->Prepare("child_education",
                 absl::StrCat("UPDATE children SET school = $2, education_until = $3::date, "
                              "education_recorded_on = $4::date, updated_at = now() WHERE child_id "
                              "= $1::uuid RETURNING ",
                              ChildColumns()));
  pool_->Prepare(
      "child_stop",
      absl::StrCat(
          "UPDATE children SET status = 'STOPPED', end_month = $2::date, "
          "stop_reason = $3, stop_note = $4, stopped_on = $5::date, updated_at = now() WHERE "
          "child_id = $1::uuid RETURNING ",
          ChildColumns()));
  pool_->Prepare("child_list",
                 absl::StrCat("SELECT ", ChildColumns(),
                              " FROM children WHERE region_code LIKE $1 || '%' AND ($2 = '' OR "
                              "status = $2) AND seq > $3 ORDER BY seq LIMIT $4"));
  // Children whose approved case covers the month starting $1 within prefix $2 (the age stop is
  // the domain's).
  pool_->Prepare("child_due",
                 "SELECT child_id::text, birth_date::text, education_until::text, category, "
                 "region_code FROM children WHERE status IN ('ACTIVE', 'STOPPED') AND "
                 "approved_on IS NOT NULL AND start_month <= $1::date AND (end_month IS NULL OR "
                 "end_month > $1::date) AND region_code LIKE $2 || '%' ORDER BY seq");
  pool_->Prepare(
      "child_stop_for_death",
      "UPDATE children SET status = 'STOPPED', end_month = greatest(start_month, "
      "least(coalesce(end_month, $2::date), $2::date)), stop_reason = 'DECEASED', stop_note = $3, "
      "stopped_on = $4::date, "
      "updated_at = now() WHERE id_index = $1 AND status <> 'REJECTED' AND (end_month IS NULL OR "
      "end_month > greatest(start_month, $2::date)) RETURNING child_id");
  // Approved by $1, covering the month $2 (before the age stop: the domain's), within $3.
  pool_->Prepare("child_active_on",
                 "SELECT birth_date::text, education_until::text, category FROM children WHERE "
                 "status IN ('ACTIVE', 'STOPPED') AND approved_on <= $1::date AND start_month <= "
                 "$2::date AND (end_month IS NULL OR end_month > $2::date) AND region_code LIKE "
                 "$3 || '%'");
  pool_->Prepare(
      "child_stipend_insert",
      "INSERT INTO child_stipends (child_id, id_index, academic_year, university, "
      "amount_fen, paid_on, region_code, recorded_by) SELECT child_id, id_index, $2, $3, "
      "$4, $5::date, region_code, $6 FROM children WHERE child_id = $1::uuid RETURNING "
      "stipend_id::text, academic_year, university, amount_fen, paid_on::text, "
      "recorded_by");
  pool_->Prepare("child_stipends_of",
                 "SELECT stipend_id::text, academic_year, university, amount_fen, paid_on::text, "
                 "recorded_by FROM child_stipends WHERE child_id = $1::uuid ORDER BY "
                 "academic_year");
  pool_->Prepare("child_stipends_in",
                 "SELECT count(DISTINCT id_index), coalesce(sum(amount_fen), 0)::bigint, CASE "
                 "WHEN count(DISTINCT amount_fen) = 1 THEN min(amount_fen) ELSE 0 END FROM "
                 "child_stipends WHERE paid_on >= $1::date AND paid_on <= $2::date AND "
                 "region_code LIKE $3 || '%'");
  // The academic years a person (by ID, whichever case) was granted a stipend.
  pool_->Prepare("child_stipend_years",
                 "SELECT academic_year FROM child_stipends WHERE id_index = (SELECT id_index FROM "
                 "children WHERE child_id = $1::uuid)");
}

std::vector<Standard> ChildStore::StandardsCovering(pqxx::transaction_base& txn,
                                                    const std::string& region) const {
  return Plain(StandardsOf(txn.exec_prepared("child_standard_list", region)));
}

absl::StatusOr<StandardRecord> ChildStore::AddStandard(const Standard& standard,
                                                       const std::string& actor) {
  std::optional<StandardRecord> created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      txn.exec_prepared("child_standard_insert", standard.region_prefix.value(),
                        MonthDay(standard.effective_month), NameOf(standard.category),
                        standard.monthly_fen, actor);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat(
          "effective_month: ", standard.region_prefix.value(), " has a standard for ",
          NameOf(standard.category), " from ", FormatMonth(standard.effective_month), " already"));
    }
    for (StandardRecord& r :
         StandardsOf(txn.exec_prepared("child_standard_list", standard.region_prefix.value()))) {
      if (r.standard.region_prefix == standard.region_prefix &&
          r.standard.category == standard.category &&
          r.standard.effective_month == standard.effective_month) {
        created = std::move(r);
      }
    }
    return absl::OkStatus();
  }));
  return *std::move(created);
}

absl::StatusOr<std::vector<StandardRecord>> ChildStore::ListStandards(
    const std::string& region_prefix) {
  std::vector<StandardRecord> standards;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    standards = StandardsOf(txn.exec_prepared("child_standard_list", region_prefix));
    return absl::OkStatus();
  }));
  return standards;
}

absl::StatusOr<ChildRecord> ChildStore::Register(const ApplicationDraft& draft,
                                                 const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, draft.id));
  ChildRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<RecordedDeath> death = deaths_->Find(txn, stored.index)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "id_number: the platform records the child's death on ", FormatDay(death->date.day)));
    }
    const absl::CivilMonth month(draft.applied_on);
    const std::vector<Standard> standards = StandardsCovering(txn, draft.region.value());
    if (StandardFor(standards, draft.category, draft.region.value(), month) == nullptr) {
      return NoStandardError(draft.category, draft.region.value(), month);
    }
    try {
      created = ChildFromRow(txn.exec_prepared1(
          "child_register", draft.name, Bytes(stored.cipher), stored.index, stored.masked,
          FormatDay(draft.id.birth_date()), SexCode(draft.id), draft.region.value(),
          NameOf(draft.category),
          std::string(kParentSituationNames.Name(static_cast<int>(draft.father))),
          std::string(kParentSituationNames.Name(static_cast<int>(draft.mother))),
          draft.guardian_name, draft.guardian_relation, draft.placement,
          FormatDay(draft.applied_on), MonthDay(month), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", stored.masked, " has an open child-welfare case"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<ChildRecord> ChildStore::Lock(pqxx::transaction_base& txn,
                                             const std::string& child_id,
                                             const RegionGuard& check_region) {
  pqxx::result r = txn.exec_prepared("child_lock", child_id);
  if (r.empty()) return absl::NotFoundError("child_id: no such case");
  ChildRecord current = ChildFromRow(r[0]);
  CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
  return current;
}

absl::StatusOr<ChildRecord> ChildStore::Check(const std::string& child_id,
                                              const std::string& checker, absl::CivilDay on,
                                              bool passed, const std::string& note,
                                              const RegionGuard& check_region) {
  ChildRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord current, Lock(txn, child_id, check_region));
    CIVIL_RETURN_IF_ERROR(
        CheckTownshipCheck(current.status, current.recorded_by, checker, current.applied_on, on));
    updated = ChildFromRow(txn.exec_prepared1("child_check", child_id,
                                              passed ? "PENDING_APPROVAL" : "REJECTED", checker,
                                              FormatDay(on), note));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<ChildRecord> ChildStore::Approve(const std::string& child_id,
                                                const std::string& approver, absl::CivilDay on,
                                                const RegionGuard& check_region) {
  ChildRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord current, Lock(txn, child_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckApproval(current.status, current.recorded_by, current.checked_by,
                                        approver, current.checked_on.value_or(current.applied_on),
                                        on));
    updated = ChildFromRow(txn.exec_prepared1("child_approve", child_id, approver, FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<ChildRecord> ChildStore::RecordEducation(const std::string& child_id,
                                                        const EducationRecord& education,
                                                        const RegionGuard& check_region) {
  ChildRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord current, Lock(txn, child_id, check_region));
    if (current.status == ChildStatus::kStopped || current.status == ChildStatus::kRejected) {
      return absl::FailedPreconditionError(absl::StrCat(
          "child_id: the case is ", kChildStatusNames.Name(static_cast<int>(current.status))));
    }
    updated = ChildFromRow(txn.exec_prepared1("child_education", child_id, education.school,
                                              MonthDay(education.until), FormatDay(education.on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<ChildRecord> ChildStore::Stop(const std::string& child_id, absl::CivilDay on,
                                             StopReason reason, const std::string& note,
                                             const RegionGuard& check_region) {
  ChildRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord current, Lock(txn, child_id, check_region));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth end,
                           StopMonth(current.status, current.start_month, on));
    updated = ChildFromRow(txn.exec_prepared1(
        "child_stop", child_id, MonthDay(end),
        std::string(kStopReasonNames.Name(static_cast<int>(reason))), note, FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<StipendRecord> ChildStore::GrantStipend(const std::string& child_id,
                                                       const StipendDraft& draft,
                                                       const std::string& actor,
                                                       const RegionGuard& check_region) {
  StipendRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord current, Lock(txn, child_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckStipendEligible(
        current.category, current.status, current.approved_on.has_value(), current.stop_reason));
    std::vector<int> years;
    for (const auto& row : txn.exec_prepared("child_stipend_years", child_id)) {
      years.push_back(row[0].as<int>());
    }
    CIVIL_RETURN_IF_ERROR(CheckStipendOnce(years, draft.academic_year, current.id_masked));
    try {  // a concurrent grant of the same year meets the UNIQUE (id_index, academic_year)
      created = StipendFromRow(
          txn.exec_prepared1("child_stipend_insert", child_id, draft.academic_year,
                             draft.university, draft.amount_fen, FormatDay(draft.paid_on), actor));
    } catch (const pqxx::unique_violation&) {
      return CheckStipendOnce({draft.academic_year}, draft.academic_year, current.id_masked);
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<ChildRecord> ChildStore::Get(const std::string& child_id) {
  absl::StatusOr<ChildRecord> result = absl::NotFoundError("child_id: no such case");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("child_get", child_id);
    if (r.empty()) return absl::OkStatus();
    ChildRecord c = ChildFromRow(r[0]);
    for (const MonthlyPaymentRecord& p : runs_.PaymentsOf(txn, child_id)) {
      c.payments.push_back(PaymentRecord{
          p.month, static_cast<Category>(kCategoryNames.Value(p.label)), p.amount_fen, p.run_id});
    }
    for (const auto& row : txn.exec_prepared("child_stipends_of", child_id)) {
      c.stipends.push_back(StipendFromRow(row));
    }
    c.history = HistoryOf(txn.exec_prepared("child_history_of", child_id));
    result = std::move(c);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<ChildRecord>> ChildStore::List(const std::string& region_prefix,
                                                   std::optional<ChildStatus> status, int64_t after,
                                                   int page_size) {
  const std::string status_name =
      status ? std::string(kChildStatusNames.Name(static_cast<int>(*status))) : "";
  Page<ChildRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("child_list", region_prefix, status_name, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(ChildFromRow(rows[i]));
      page.next_after = rows[i][kSeqColumn].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<RunResult> ChildStore::RunPayments(absl::CivilMonth month,
                                                  const std::string& region_prefix,
                                                  const std::string& actor) {
  return runs_.Run(
      month, region_prefix, actor,
      [&](pqxx::transaction_base& txn) -> absl::StatusOr<std::vector<MonthlyPayment>> {
        const std::vector<Standard> standards = StandardsCovering(txn, region_prefix);
        std::vector<DueChild> due;
        for (const auto& row : txn.exec_prepared("child_due", MonthDay(month), region_prefix)) {
          due.push_back(DueChild{row[0].as<std::string>(), DayOf(row[1]), OptionalMonthOf(row[2]),
                                 CategoryOf(row[3]), row[4].as<std::string>()});
        }
        const PricedMonth priced = PriceMonth(due, standards, month, education_max_age_);
        if (priced.unpriced > 0) {
          return absl::FailedPreconditionError(
              absl::StrCat("month: ", priced.unpriced, " children due for ", FormatMonth(month),
                           " live where no standard of their category applies; set one with "
                           "SetStandard"));
        }
        std::vector<MonthlyPayment> payments;
        payments.reserve(priced.payments.size());
        for (const PricedPayment& p : priced.payments) {
          payments.push_back(
              MonthlyPayment{p.child_id, NameOf(p.category), p.amount_fen, p.region_code});
        }
        return payments;
      });
}

absl::StatusOr<std::string> ChildStore::ReopenCase(pqxx::transaction_base& txn,
                                                   const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError("case_id: no such case");
  pqxx::result r = txn.exec_prepared("child_lock", request.case_id);
  if (r.empty()) return absl::NotFoundError("case_id: no such case");
  const ChildRecord current = ChildFromRow(r[0]);
  CIVIL_ASSIGN_OR_RETURN(const ChildReopen reopen, DecideChildReopen(current.status));
  if (reopen == ChildReopen::kRecordOnly) {
    return std::string("outcome recorded; a stop is reversed by a grievance against the ALLOWANCE");
  }
  if (txn.exec_prepared1("child_other_open_cases", request.case_id)[0].as<int64_t>() > 0) {
    return absl::FailedPreconditionError(
        "case_id: the child has another open case since the rejection");
  }
  const pqxx::row checked = txn.exec_prepared1("child_check_of", request.case_id);
  txn.exec_prepared("child_history_insert", request.case_id, "REOPENED",
                    checked[0].as<std::string>(), checked[1].as<std::string>(""),
                    checked[2].as<std::string>(), request.grievance_id, request.actor,
                    FormatDay(request.day));
  txn.exec_prepared("child_reopen", request.case_id);
  return std::string("application back to the township check");
}

absl::StatusOr<std::string> ChildStore::ReverseStop(pqxx::transaction_base& txn,
                                                    const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError("case_id: no such case");
  pqxx::result r = txn.exec_prepared("child_lock", request.case_id);
  if (r.empty()) return absl::NotFoundError("case_id: no such case");
  const ChildRecord c = ChildFromRow(r[0]);
  const std::string id_index =
      txn.exec_prepared1("child_id_index", request.case_id)[0].as<std::string>();
  CIVIL_RETURN_IF_ERROR(
      CheckStopReversal(c.status, c.stop_reason, deaths_->Find(txn, id_index).has_value()));
  if (txn.exec_prepared1("child_other_open_cases", request.case_id)[0].as<int64_t>() > 0) {
    return absl::FailedPreconditionError("case_id: the child has another open case since the stop");
  }
  const absl::CivilMonth end = *c.end_month;
  const std::vector<Standard> standards = StandardsCovering(txn, c.region_code);
  CIVIL_ASSIGN_OR_RETURN(
      const BackPay back,
      PriceBackPay(DueChild{c.child_id, c.birth_date, c.education_until, c.category, c.region_code},
                   runs_.OwedAfterReversal(txn, request.case_id, c.region_code, end, request.today),
                   standards, education_max_age_));
  std::vector<std::string> months;
  for (const BackPayment& p : back.payments) {
    runs_.PayAdjustment(txn, p.month,
                        {request.case_id, NameOf(p.category), p.amount_fen, c.region_code},
                        request.grievance_id);
    months.push_back(FormatMonth(p.month));
  }
  txn.exec_prepared("child_resume", request.case_id);
  const std::string paid =
      absl::StrCat("back-payment ", back.payments.size(), " month(s)",
                   months.empty() ? "" : absl::StrCat(" (", absl::StrJoin(months, ", "), ")"), ", ",
                   back.total_fen, " fen");
  txn.exec_prepared(
      "child_reversal_history_insert", request.case_id, request.grievance_id, request.actor,
      FormatDay(request.day), MonthDay(end),
      std::string(c.stop_reason ? kStopReasonNames.Name(static_cast<int>(*c.stop_reason)) : ""),
      c.stop_note, c.stopped_on ? FormatDay(*c.stopped_on) : std::string(),
      absl::StrCat("stop from ", FormatMonth(end), " reversed (grievance ", request.grievance_id,
                   "); ", paid),
      static_cast<int>(back.payments.size()), back.total_fen);
  return absl::StrCat("stop reversed, ", paid);
}

absl::StatusOr<int> ChildStore::OnMoveOut(pqxx::transaction_base& txn, const std::string& id_index,
                                          absl::CivilDay moved, const std::string& note) {
  int stopped = 0;
  for (const auto& row : txn.exec_prepared("child_active_of", id_index)) {
    const ChildRecord c = ChildFromRow(row);
    const std::optional<absl::CivilMonth> end = MoveOutStop(c.status, c.start_month, moved);
    if (!end) continue;
    const std::string reason(kStopReasonNames.Name(static_cast<int>(StopReason::kMovedOut)));
    txn.exec_prepared("child_stop", c.child_id, MonthDay(*end), reason, note, FormatDay(moved));
    txn.exec_prepared("child_stop_history_insert", c.child_id, std::string(kMoveOutActor),
                      FormatDay(moved), MonthDay(*end), reason, note);
    ++stopped;
  }
  return stopped;
}

absl::StatusOr<int> ChildStore::OnDeath(pqxx::transaction_base& txn, const std::string& id_index,
                                        absl::CivilDay died) {
  const pqxx::result stopped =
      txn.exec_prepared("child_stop_for_death", id_index, MonthDay(DeathStopMonth(died)),
                        absl::StrCat("deceased on ", FormatDay(died)), FormatDay(died));
  return static_cast<int>(stopped.size());
}

absl::StatusOr<ChildFigures> ChildStore::Figures(const std::string& region_prefix,
                                                 absl::CivilDay start, absl::CivilDay end) {
  const absl::CivilMonth end_month(end);
  ChildFigures figures;
  CIVIL_RETURN_IF_ERROR(pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn)
                                                                   -> absl::Status {
    figures = ChildFigures();
    for (const auto& row :
         txn.exec_prepared("child_active_on", FormatDay(end), MonthDay(end_month), region_prefix)) {
      if (end_month >= AgeStopMonth(DayOf(row[0]), OptionalMonthOf(row[1]), education_max_age_)) {
        continue;
      }
      ++figures.by_category[CategoryOf(row[2])].persons;
    }
    for (const auto& [category, fen] :
         runs_.PaidByLabel(txn, absl::CivilMonth(start), end_month, region_prefix)) {
      figures.by_category[static_cast<Category>(kCategoryNames.Value(category))].paid_fen += fen;
    }
    const pqxx::row stipends =
        txn.exec_prepared1("child_stipends_in", FormatDay(start), FormatDay(end), region_prefix);
    figures.stipend_persons = stipends[0].as<int>();
    figures.stipend_fen = stipends[1].as<int64_t>();
    figures.stipend_standard_fen = stipends[2].as<int64_t>();
    return absl::OkStatus();
  }));
  return figures;
}

}  // namespace civil::childwelfare
