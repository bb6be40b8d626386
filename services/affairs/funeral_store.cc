#include "services/affairs/funeral_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/deaths.h"
#include "services/common/errors.h"
#include "services/common/log.h"

namespace civil::affairs {
namespace {

const std::string& CremationColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "cremation_id::text, name, id_masked, birth_date::text, sex, date_of_death::text, "
      "cremated_on::text, funeral_home, region_code, coalesce(schedule_id::text, ''), waived_fen, "
      "event_id::text, ",
      MicrosOf("created_at"), ", seq"));
  return *columns;
}

CremationRecord CremationFromRow(const pqxx::row& row) {
  CremationRecord r;
  r.cremation_id = row[0].as<std::string>();
  r.name = row[1].as<std::string>();
  r.id_masked = row[2].as<std::string>();
  r.birth_date = DayOf(row[3]);
  r.sex = row[4].as<std::string>();
  r.date_of_death = DayOf(row[5]);
  r.cremation_date = DayOf(row[6]);
  r.funeral_home = row[7].as<std::string>();
  r.region_code = row[8].as<std::string>();
  r.schedule_id = row[9].as<std::string>();
  r.waived_fen = row[10].as<int64_t>();
  r.event_id = row[11].as<std::string>();
  r.create_time_micros = row[12].as<int64_t>();
  return r;
}

const std::string& VehicleColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "case_id::text, region_code, occurred_on::text, plate_number, violation, outcome, fine_fen, "
      "agencies, note, ",
      MicrosOf("created_at"), ", seq"));
  return *columns;
}

VehicleCaseRecord VehicleFromRow(const pqxx::row& row) {
  VehicleCaseRecord r;
  r.case_id = row[0].as<std::string>();
  r.region_code = row[1].as<std::string>();
  r.date = DayOf(row[2]);
  r.plate_number = row[3].as<std::string>();
  r.violation = kVehicleViolationNames.Value(row[4].as<std::string>());
  r.outcome = kVehicleOutcomeNames.Value(row[5].as<std::string>());
  r.fine_fen = row[6].as<int64_t>();
  r.agencies = row[7].as<std::string>();
  r.note = row[8].as<std::string>();
  r.create_time_micros = row[9].as<int64_t>();
  return r;
}

FeeSchedule ScheduleFromRow(const pqxx::row& row) {
  FeeSchedule s{row[0].as<std::string>(),
                *RegionCode::Parse(row[1].as<std::string>()),
                DayOf(row[2]),
                {},
                Money::Fen(row[4].as<int64_t>())};
  nlohmann::json items = nlohmann::json::parse(row[3].as<std::string>(), nullptr, false);
  if (items.is_array()) {
    for (const auto& item : items) {
      s.items.push_back(FeeItem{item.value("code", ""), item.value("name", ""),
                                item.value("amount_fen", int64_t{0})});
    }
  }
  return s;
}

constexpr char kScheduleColumns[] =
    "schedule_id::text, region_prefix, effective_from::text, items::text, waived_fen";

}  // namespace

FuneralStore::FuneralStore(PgPool* pool, const PiiProtector* pii,
                           std::vector<DeathHook> death_hooks, DeathRegistry* deaths)
    : pool_(pool), pii_(pii), death_hooks_(std::move(death_hooks)), deaths_(deaths) {
  if (deaths_ == nullptr) {
    own_deaths_ = std::make_unique<DeathRegistry>("affairs", pool_);
    deaths_ = own_deaths_.get();
  }
  pool_->Prepare("cremation_by_person",
                 "SELECT cremated_on::text FROM cremations WHERE id_index = $1");
  // One person is cremated once: a second insert does nothing (also when it waited for a
  // concurrent first one to commit) and the caller reports ALREADY_EXISTS.
  pool_->Prepare("cremation_schedules_covering",
                 absl::StrCat("SELECT ", kScheduleColumns,
                              " FROM funeral_fee_schedules WHERE $1 LIKE region_prefix || '%' "
                              "AND effective_from <= $2::date"));
  pool_->Prepare(
      "cremation_insert",
      absl::StrCat("INSERT INTO cremations (cremation_id, name, id_cipher, id_index, id_masked, "
                   "birth_date, sex, date_of_death, cremated_on, funeral_home, region_code, "
                   "schedule_id, waived_fen, event_id, created_by) VALUES ($1::uuid, $2, $3, $4, "
                   "$5, $6::date, $7, $8::date, $9::date, $10, $11, $12::uuid, $13, $14::uuid, "
                   "$15) ON CONFLICT (id_index) DO NOTHING RETURNING ",
                   CremationColumns()));
  pool_->Prepare("cremation_get", absl::StrCat("SELECT ", CremationColumns(),
                                               " FROM cremations WHERE cremation_id = $1::uuid"));
  pool_->Prepare("cremation_list",
                 absl::StrCat("SELECT ", CremationColumns(),
                              " FROM cremations WHERE region_code LIKE $1 || '%' AND seq > $2 "
                              "AND ($3::date IS NULL OR cremated_on >= $3::date) "
                              "AND ($4::date IS NULL OR cremated_on <= $4::date) "
                              "ORDER BY seq LIMIT $5"));
  pool_->Prepare("fee_schedule_insert",
                 absl::StrCat("INSERT INTO funeral_fee_schedules (region_prefix, effective_from, "
                              "items, waived_fen, created_by) VALUES ($1, $2::date, $3::jsonb, "
                              "$4, $5) RETURNING schedule_id::text, ",
                              MicrosOf("created_at")));
  pool_->Prepare("fee_schedule_list",
                 absl::StrCat("SELECT ", kScheduleColumns, ", ", MicrosOf("created_at"),
                              " FROM funeral_fee_schedules WHERE region_prefix LIKE $1 || '%' "
                              "ORDER BY region_prefix, effective_from"));
  pool_->Prepare("vehicle_case_insert",
                 absl::StrCat("INSERT INTO vehicle_cases (region_code, occurred_on, plate_number, "
                              "violation, outcome, fine_fen, agencies, note, created_by) VALUES "
                              "($1, $2::date, $3, $4, $5, $6, $7, $8, $9) RETURNING ",
                              VehicleColumns()));
  pool_->Prepare("vehicle_case_list",
                 absl::StrCat("SELECT ", VehicleColumns(),
                              " FROM vehicle_cases WHERE region_code LIKE $1 || '%' AND seq > $2 "
                              "ORDER BY seq LIMIT $3"));
}

absl::StatusOr<CremationRecord> FuneralStore::RecordCremation(const CremationDraft& draft,
                                                              const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId id, ProtectId(*pii_, draft.id));
  CremationRecord created;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::vector<FeeSchedule> schedules;
    for (const auto& row : txn.exec_prepared("cremation_schedules_covering", draft.region.value(),
                                             FormatDay(draft.cremation_date))) {
      schedules.push_back(ScheduleFromRow(row));
    }
    const FeeSchedule* schedule = SelectFeeSchedule(schedules, draft.region, draft.cremation_date);
    const std::string cremation_id = NewUuid();
    // One death however many records report it: the registry emits PersonDeceased only when the
    // death is new or earlier than the one known (say, from a 低保 exit for death in assistance).
    DeathReport report;
    report.subject_index = id.index;
    report.subject_masked = id.masked;
    report.date = DeathDate{draft.date_of_death, /*upper_bound=*/false};
    report.record_kind = "CREMATION";
    report.record_id = cremation_id;
    report.region_code = draft.region.value();
    CIVIL_ASSIGN_OR_RETURN(const DeathDecision decision, deaths_->RecordOwn(txn, report));
    // The event that carries this death: the one just written, else the one that reported it.
    std::string event_id = decision.event_id;
    if (event_id.empty()) {
      std::optional<RecordedDeath> known = deaths_->Find(txn, id.index);
      if (known) event_id = known->event_id;
    }
    if (event_id.empty()) return absl::InternalError("deaths: no event carries the death");
    std::optional<std::string> schedule_id;
    if (schedule != nullptr) schedule_id = schedule->schedule_id;
    pqxx::result inserted = txn.exec_prepared(
        "cremation_insert", cremation_id, draft.name, Bytes(id.cipher), id.index, id.masked,
        FormatDay(draft.id.birth_date()), SexCode(draft.id), FormatDay(draft.date_of_death),
        FormatDay(draft.cremation_date), draft.funeral_home, draft.region.value(),
        OrNull(schedule_id), schedule != nullptr ? schedule->waived.fen() : int64_t{0}, event_id,
        actor);
    if (inserted.empty()) {
      // Already cremated: returning an error rolls the event back with the transaction.
      pqxx::result existing = txn.exec_prepared("cremation_by_person", id.index);
      return absl::AlreadyExistsError(absl::StrCat(
          "id_number: ", id.masked, " was already cremated",
          existing.empty() ? "" : absl::StrCat(" on ", existing[0][0].as<std::string>())));
    }
    created = CremationFromRow(inserted[0]);
    // A death known already (same or earlier date) was applied when it was recorded.
    if (!decision.apply) return absl::OkStatus();
    Death death{id.index, id.masked, decision.recorded.day, cremation_id, actor};
    death.record_id = cremation_id;
    return RunDeathHooks(txn, death_hooks_, death);
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<CremationRecord> FuneralStore::GetCremation(const std::string& cremation_id) {
  absl::StatusOr<CremationRecord> result = absl::NotFoundError("cremation_id: no such record");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("cremation_get", cremation_id);
    if (!r.empty()) result = CremationFromRow(r[0]);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<CremationRecord>> FuneralStore::ListCremations(
    const std::string& region_prefix, std::optional<absl::CivilDay> from,
    std::optional<absl::CivilDay> to, int64_t after, int page_size) {
  Page<CremationRecord> page;
  std::optional<std::string> from_text, to_text;
  if (from) from_text = FormatDay(*from);
  if (to) to_text = FormatDay(*to);
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("cremation_list", region_prefix, after, OrNull(from_text),
                                          OrNull(to_text), page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(CremationFromRow(rows[i]));
      page.next_after = rows[i][13].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<FeeSchedule> FuneralStore::AddFeeSchedule(const FeeSchedule& schedule,
                                                         const std::string& actor,
                                                         int64_t* create_time_micros) {
  nlohmann::json items = nlohmann::json::array();
  for (const FeeItem& item : schedule.items) {
    items.push_back({{"code", item.code}, {"name", item.name}, {"amount_fen", item.amount_fen}});
  }
  FeeSchedule stored = schedule;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      pqxx::row row = txn.exec_prepared1("fee_schedule_insert", schedule.region_prefix.value(),
                                         FormatDay(schedule.effective_from), items.dump(),
                                         schedule.waived.fen(), actor);
      stored.schedule_id = row[0].as<std::string>();
      *create_time_micros = row[1].as<int64_t>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("effective_from: region ", schedule.region_prefix.value(),
                       " already has a fee schedule from ", FormatDay(schedule.effective_from)));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<std::pair<FeeSchedule, int64_t>>> FuneralStore::ListFeeSchedules(
    const std::string& region_prefix) {
  std::vector<std::pair<FeeSchedule, int64_t>> schedules;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("fee_schedule_list", region_prefix)) {
      schedules.emplace_back(ScheduleFromRow(row), row[5].as<int64_t>());
    }
    return absl::OkStatus();
  }));
  return schedules;
}

absl::StatusOr<VehicleCaseRecord> FuneralStore::RecordVehicleCase(const VehicleCaseDraft& draft,
                                                                  const std::string& actor) {
  VehicleCaseRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) {
    created = VehicleFromRow(txn.exec_prepared1(
        "vehicle_case_insert", draft.region.value(), FormatDay(draft.date), draft.plate_number,
        std::string(kVehicleViolationNames.Name(draft.violation)),
        std::string(kVehicleOutcomeNames.Name(draft.outcome)), draft.fine_fen, draft.agencies,
        draft.note, actor));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<Page<VehicleCaseRecord>> FuneralStore::ListVehicleCases(
    const std::string& region_prefix, int64_t after, int page_size) {
  Page<VehicleCaseRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("vehicle_case_list", region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(VehicleFromRow(rows[i]));
      page.next_after = rows[i][10].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

}  // namespace civil::affairs
