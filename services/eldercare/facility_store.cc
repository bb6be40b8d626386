#include "services/eldercare/facility_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

constexpr int kSeqColumn = 15;

const std::string& FacilityColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "facility_id::text, kind, name, region_code, target_year, operator, capacity, status, "
      "planned_on::text, construction_started_on::text, completed_on::text, "
      "operating_since::text, six_notices_on::text, recorded_by, ",
      MicrosOf("updated_at"), ", seq"));
  return *columns;
}

FacilityRecord FacilityFromRow(const pqxx::row& row) {
  FacilityRecord f;
  f.facility_id = row[0].as<std::string>();
  f.kind = static_cast<FacilityKind>(kFacilityKindNames.Value(row[1].as<std::string>()));
  f.name = row[2].as<std::string>();
  f.region_code = row[3].as<std::string>();
  f.target_year = row[4].as<int>();
  f.operator_name = row[5].as<std::string>();
  f.capacity = row[6].as<int>();
  f.status = static_cast<FacilityStatus>(kFacilityStatusNames.Value(row[7].as<std::string>()));
  f.planned_on = DayOf(row[8]);
  f.construction_started_on = OptionalDayOf(row[9]);
  f.completed_on = OptionalDayOf(row[10]);
  f.operating_since = OptionalDayOf(row[11]);
  f.six_notices_on = OptionalDayOf(row[12]);
  f.recorded_by = row[13].as<std::string>();
  f.update_time_micros = row[14].as<int64_t>();
  return f;
}

// The date of the step the facility is at.
absl::CivilDay LastStepOn(const FacilityRecord& f) {
  if (f.operating_since) return *f.operating_since;
  if (f.completed_on) return *f.completed_on;
  if (f.construction_started_on) return *f.construction_started_on;
  return f.planned_on;
}

}  // namespace

FacilityStore::FacilityStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare(
      "facility_insert",
      absl::StrCat("INSERT INTO facilities (kind, name, region_code, target_year, "
                   "operator, capacity, status, planned_on, recorded_by) VALUES ($1, $2, "
                   "$3, $4, $5, $6, 'PLANNED', $7::date, $8) RETURNING ",
                   FacilityColumns()));
  pool_->Prepare("facility_get", absl::StrCat("SELECT ", FacilityColumns(),
                                              " FROM facilities WHERE facility_id = $1::uuid"));
  pool_->Prepare("facility_lock",
                 absl::StrCat("SELECT ", FacilityColumns(),
                              " FROM facilities WHERE facility_id = $1::uuid FOR UPDATE"));
  // The step's date goes to the column of the status reached.
  pool_->Prepare(
      "facility_advance",
      absl::StrCat("UPDATE facilities SET status = $2, construction_started_on = CASE WHEN $2 = "
                   "'UNDER_CONSTRUCTION' THEN $3::date ELSE construction_started_on END, "
                   "completed_on = CASE WHEN $2 = 'COMPLETED' THEN $3::date ELSE completed_on "
                   "END, operating_since = CASE WHEN $2 = 'OPERATING' THEN $3::date ELSE "
                   "operating_since END, updated_at = now() WHERE facility_id = $1::uuid "
                   "RETURNING ",
                   FacilityColumns()));
  pool_->Prepare("facility_six_notices",
                 absl::StrCat("UPDATE facilities SET six_notices_on = $2::date, updated_at = now() "
                              "WHERE facility_id = $1::uuid RETURNING ",
                              FacilityColumns()));
  pool_->Prepare("facility_meals_insert",
                 "INSERT INTO facility_meals (facility_id, month, meals, recorded_by) VALUES "
                 "($1::uuid, $2::date, $3, $4)");
  pool_->Prepare("facility_meals_of",
                 "SELECT month::text, meals FROM facility_meals WHERE facility_id = $1::uuid "
                 "ORDER BY month");
  pool_->Prepare("facility_list",
                 absl::StrCat("SELECT ", FacilityColumns(),
                              " FROM facilities WHERE region_code LIKE $1 || '%' AND ($2 = '' OR "
                              "kind = $2) AND ($3 = 0 OR target_year = $3) AND seq > $4 ORDER BY "
                              "seq LIMIT $5"));
  pool_->Prepare("facility_progress",
                 "SELECT kind, status, completed_on::text FROM facilities WHERE region_code LIKE "
                 "$1 || '%' AND target_year = $2");
}

absl::StatusOr<FacilityRecord> FacilityStore::Create(const FacilityDraft& draft,
                                                     const std::string& actor) {
  FacilityRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    created = FacilityFromRow(txn.exec_prepared1(
        "facility_insert", std::string(kFacilityKindNames.Name(static_cast<int>(draft.kind))),
        draft.name, draft.region.value(), draft.target_year, draft.operator_name, draft.capacity,
        FormatDay(draft.planned_on), actor));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<FacilityRecord> FacilityStore::Locked(pqxx::transaction_base& txn,
                                                     const std::string& facility_id,
                                                     const RegionCheckFn& check_region) {
  pqxx::result r = txn.exec_prepared("facility_lock", facility_id);
  if (r.empty()) return absl::NotFoundError("facility_id: no such facility");
  FacilityRecord current = FacilityFromRow(r[0]);
  CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
  return current;
}

absl::StatusOr<FacilityRecord> FacilityStore::Advance(const std::string& facility_id, int next,
                                                      absl::CivilDay on,
                                                      const RegionCheckFn& check_region) {
  FacilityRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const FacilityRecord current, Locked(txn, facility_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckFacilityStep(current.status, LastStepOn(current), next, on));
    updated = FacilityFromRow(txn.exec_prepared1("facility_advance", facility_id,
                                                 std::string(kFacilityStatusNames.Name(next)),
                                                 FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<FacilityRecord> FacilityStore::RecordSixNotices(const std::string& facility_id,
                                                               absl::CivilDay on,
                                                               const RegionCheckFn& check_region) {
  FacilityRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const FacilityRecord current, Locked(txn, facility_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckSixNotices(current.kind));
    updated =
        FacilityFromRow(txn.exec_prepared1("facility_six_notices", facility_id, FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<FacilityRecord> FacilityStore::RecordMeals(const std::string& facility_id,
                                                          absl::CivilMonth month, int meals,
                                                          const std::string& actor,
                                                          const RegionCheckFn& check_region) {
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const FacilityRecord current, Locked(txn, facility_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckMeals(current.kind, current.status, meals));
    try {
      txn.exec_prepared("facility_meals_insert", facility_id, FormatDay(absl::CivilDay(month)),
                        meals, actor);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("month: the meals of ", FormatMonth(month), " are recorded already"));
    }
    return absl::OkStatus();
  }));
  return Get(facility_id);
}

absl::StatusOr<FacilityRecord> FacilityStore::Get(const std::string& facility_id) {
  absl::StatusOr<FacilityRecord> result = absl::NotFoundError("facility_id: no such facility");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("facility_get", facility_id);
    if (r.empty()) return absl::OkStatus();
    FacilityRecord f = FacilityFromRow(r[0]);
    for (const auto& row : txn.exec_prepared("facility_meals_of", facility_id)) {
      f.meals.emplace_back(absl::CivilMonth(DayOf(row[0])), row[1].as<int>());
    }
    result = std::move(f);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<FacilityRecord>> FacilityStore::List(const std::string& region_prefix,
                                                         std::optional<FacilityKind> kind,
                                                         int target_year, int64_t after,
                                                         int page_size) {
  const std::string kind_name =
      kind ? std::string(kFacilityKindNames.Name(static_cast<int>(*kind))) : "";
  Page<FacilityRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("facility_list", region_prefix, kind_name, target_year,
                                          after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(FacilityFromRow(rows[i]));
      page.next_after = rows[i][kSeqColumn].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::map<FacilityKind, FacilityProgress>> FacilityStore::Progress(
    const std::string& region_prefix, int year, absl::CivilDay as_of) {
  std::map<FacilityKind, FacilityProgress> progress;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("facility_progress", region_prefix, year)) {
      const auto kind =
          static_cast<FacilityKind>(kFacilityKindNames.Value(row[0].as<std::string>()));
      const auto status =
          static_cast<FacilityStatus>(kFacilityStatusNames.Value(row[1].as<std::string>()));
      FacilityProgress& p = progress[kind];
      ++p.planned;
      if (BuiltBy(status, OptionalDayOf(row[2]), as_of)) ++p.built;
    }
    return absl::OkStatus();
  }));
  return progress;
}

}  // namespace civil::eldercare
