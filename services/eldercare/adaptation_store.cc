#include "services/eldercare/adaptation_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

const std::string& AdaptationColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "adaptation_id::text, head_name, id_masked, region_code, target_year, status, findings, "
      "surveyed_on::text, planned_on::text, coalesce(plan_cost_fen, 0), works_started_on::text, "
      "contractor, accepted_on::text, accepted_by, recorded_by, ",
      MicrosOf("updated_at")));
  return *columns;
}

AdaptationRecord AdaptationFromRow(const pqxx::row& row) {
  AdaptationRecord a;
  a.adaptation_id = row[0].as<std::string>();
  a.head_name = row[1].as<std::string>();
  a.id_masked = row[2].as<std::string>();
  a.region_code = row[3].as<std::string>();
  a.target_year = row[4].as<int>();
  a.status = static_cast<AdaptationStatus>(kAdaptationStatusNames.Value(row[5].as<std::string>()));
  a.findings = row[6].as<std::string>();
  a.surveyed_on = DayOf(row[7]);
  a.planned_on = OptionalDayOf(row[8]);
  a.plan_cost_fen = row[9].as<int64_t>();
  a.works_started_on = OptionalDayOf(row[10]);
  a.contractor = row[11].as<std::string>();
  a.accepted_on = OptionalDayOf(row[12]);
  a.accepted_by = row[13].as<std::string>();
  a.recorded_by = row[14].as<std::string>();
  a.update_time_micros = row[15].as<int64_t>();
  return a;
}

constexpr char kPlacementColumns[] =
    "placement_id::text, name, id_masked, region_code, institution, basis, placed_on::text, "
    "ended_on::text, end_note, recorded_by";

PlacementRecord PlacementFromRow(const pqxx::row& row) {
  return PlacementRecord{row[0].as<std::string>(),
                         row[1].as<std::string>(),
                         row[2].as<std::string>(),
                         row[3].as<std::string>(),
                         row[4].as<std::string>(),
                         row[5].as<std::string>(),
                         DayOf(row[6]),
                         OptionalDayOf(row[7]),
                         row[8].as<std::string>(),
                         row[9].as<std::string>()};
}

absl::CivilDay LastStepOn(const AdaptationRecord& a) {
  if (a.accepted_on) return *a.accepted_on;
  if (a.works_started_on) return *a.works_started_on;
  if (a.planned_on) return *a.planned_on;
  return a.surveyed_on;
}

}  // namespace

AdaptationStore::AdaptationStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("adaptation_insert",
                 absl::StrCat("INSERT INTO adaptations (head_name, id_cipher, id_index, id_masked, "
                              "region_code, target_year, status, findings, surveyed_on, "
                              "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, 'SURVEYED', $7, "
                              "$8::date, $9) RETURNING ",
                              AdaptationColumns()));
  pool_->Prepare("adaptation_get",
                 absl::StrCat("SELECT ", AdaptationColumns(),
                              " FROM adaptations WHERE adaptation_id = $1::uuid"));
  pool_->Prepare("adaptation_lock",
                 absl::StrCat("SELECT ", AdaptationColumns(),
                              " FROM adaptations WHERE adaptation_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("adaptation_items_of",
                 "SELECT item, cost_fen FROM adaptation_items WHERE adaptation_id = $1::uuid "
                 "ORDER BY position");
  pool_->Prepare("adaptation_item_insert",
                 "INSERT INTO adaptation_items (adaptation_id, position, item, cost_fen) VALUES "
                 "($1::uuid, $2, $3, $4)");
  pool_->Prepare("adaptation_plan",
                 absl::StrCat("UPDATE adaptations SET status = 'PLANNED', planned_on = $2::date, "
                              "plan_cost_fen = $3, updated_at = now() WHERE adaptation_id = "
                              "$1::uuid RETURNING ",
                              AdaptationColumns()));
  pool_->Prepare("adaptation_works",
                 absl::StrCat("UPDATE adaptations SET status = 'WORKS', works_started_on = "
                              "$2::date, contractor = $3, updated_at = now() WHERE adaptation_id = "
                              "$1::uuid RETURNING ",
                              AdaptationColumns()));
  pool_->Prepare("adaptation_accept",
                 absl::StrCat("UPDATE adaptations SET status = 'ACCEPTED', accepted_on = $2::date, "
                              "accepted_by = $3, updated_at = now() WHERE adaptation_id = $1::uuid "
                              "RETURNING ",
                              AdaptationColumns()));
  pool_->Prepare("adaptation_figures",
                 "SELECT count(*)::int, count(*) FILTER (WHERE planned_on <= $3::date)::int, "
                 "count(*) FILTER (WHERE accepted_on <= $3::date)::int FROM adaptations WHERE "
                 "region_code LIKE $1 || '%' AND target_year = $2");
  pool_->Prepare(
      "placement_insert",
      absl::StrCat("INSERT INTO placements (name, id_cipher, id_index, id_masked, "
                   "region_code, institution, basis, placed_on, recorded_by) VALUES ($1, "
                   "$2, $3, $4, $5, $6, $7, $8::date, $9) RETURNING ",
                   kPlacementColumns));
  pool_->Prepare("placement_lock", absl::StrCat("SELECT ", kPlacementColumns,
                                                " FROM placements WHERE placement_id = $1::uuid "
                                                "FOR UPDATE"));
  pool_->Prepare("placement_end",
                 absl::StrCat("UPDATE placements SET ended_on = $2::date, end_note = $3, "
                              "updated_at = now() WHERE placement_id = $1::uuid RETURNING ",
                              kPlacementColumns));
  pool_->Prepare("placement_open_on",
                 "SELECT count(*)::int FROM placements WHERE region_code LIKE $1 || '%' AND "
                 "placed_on <= $2::date AND (ended_on IS NULL OR ended_on > $2::date)");
}

absl::StatusOr<AdaptationRecord> AdaptationStore::Survey(const SurveyDraft& draft,
                                                         const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, draft.head_id));
  AdaptationRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      created = AdaptationFromRow(
          txn.exec_prepared1("adaptation_insert", draft.head_name, Bytes(stored.cipher),
                             stored.index, stored.masked, draft.region.value(), draft.target_year,
                             draft.findings, FormatDay(draft.surveyed_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat("head_id_number: ", stored.masked,
                                                   " has an adaptation for ", draft.target_year,
                                                   " already (one plan per household)"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<AdaptationRecord> AdaptationStore::Step(
    const std::string& adaptation_id, AdaptationStatus next, absl::CivilDay on,
    const RegionCheckFn& check_region,
    const std::function<pqxx::row(pqxx::transaction_base&)>& update) {
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("adaptation_lock", adaptation_id);
    if (r.empty()) return absl::NotFoundError("adaptation_id: no such adaptation");
    const AdaptationRecord current = AdaptationFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(
        CheckAdaptationStep(current.status, LastStepOn(current), static_cast<int>(next), on));
    update(txn);
    return absl::OkStatus();
  }));
  return Get(adaptation_id);
}

absl::StatusOr<AdaptationRecord> AdaptationStore::Plan(const std::string& adaptation_id,
                                                       const std::vector<PlanItem>& items,
                                                       absl::CivilDay on,
                                                       const RegionCheckFn& check_region) {
  return Step(adaptation_id, AdaptationStatus::kPlanned, on, check_region,
              [&](pqxx::transaction_base& txn) {
                for (size_t i = 0; i < items.size(); ++i) {
                  txn.exec_prepared("adaptation_item_insert", adaptation_id, static_cast<int>(i),
                                    items[i].item, items[i].cost_fen);
                }
                return txn.exec_prepared1("adaptation_plan", adaptation_id, FormatDay(on),
                                          PlanCost(items));
              });
}

absl::StatusOr<AdaptationRecord> AdaptationStore::StartWorks(const std::string& adaptation_id,
                                                             const std::string& contractor,
                                                             absl::CivilDay on,
                                                             const RegionCheckFn& check_region) {
  return Step(
      adaptation_id, AdaptationStatus::kWorks, on, check_region, [&](pqxx::transaction_base& txn) {
        return txn.exec_prepared1("adaptation_works", adaptation_id, FormatDay(on), contractor);
      });
}

absl::StatusOr<AdaptationRecord> AdaptationStore::Accept(const std::string& adaptation_id,
                                                         absl::CivilDay on,
                                                         const std::string& actor,
                                                         const RegionCheckFn& check_region) {
  return Step(adaptation_id, AdaptationStatus::kAccepted, on, check_region,
              [&](pqxx::transaction_base& txn) {
                return txn.exec_prepared1("adaptation_accept", adaptation_id, FormatDay(on), actor);
              });
}

absl::StatusOr<AdaptationRecord> AdaptationStore::Get(const std::string& adaptation_id) {
  absl::StatusOr<AdaptationRecord> result =
      absl::NotFoundError("adaptation_id: no such adaptation");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("adaptation_get", adaptation_id);
    if (r.empty()) return absl::OkStatus();
    AdaptationRecord a = AdaptationFromRow(r[0]);
    for (const auto& row : txn.exec_prepared("adaptation_items_of", adaptation_id)) {
      a.items.push_back(PlanItem{row[0].as<std::string>(), row[1].as<int64_t>()});
    }
    result = std::move(a);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<PlacementRecord> AdaptationStore::Place(const PlacementDraft& draft,
                                                       const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, draft.id));
  PlacementRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      created = PlacementFromRow(txn.exec_prepared1(
          "placement_insert", draft.name, Bytes(stored.cipher), stored.index, stored.masked,
          draft.region.value(), draft.institution, draft.basis, FormatDay(draft.placed_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", stored.masked, " has an open placement"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<PlacementRecord> AdaptationStore::EndPlacement(const std::string& placement_id,
                                                              absl::CivilDay on,
                                                              const std::string& note,
                                                              const RegionCheckFn& check_region) {
  PlacementRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("placement_lock", placement_id);
    if (r.empty()) return absl::NotFoundError("placement_id: no such placement");
    const PlacementRecord current = PlacementFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckPlacementEnd(current.ended_on.has_value(), current.placed_on, on));
    updated =
        PlacementFromRow(txn.exec_prepared1("placement_end", placement_id, FormatDay(on), note));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<AdaptationFigures> AdaptationStore::Figures(const std::string& region_prefix,
                                                           int year, absl::CivilDay as_of) {
  AdaptationFigures figures;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        const pqxx::row a =
            txn.exec_prepared1("adaptation_figures", region_prefix, year, FormatDay(as_of));
        figures.planned_households = a[0].as<int>();
        figures.plans_made = a[1].as<int>();
        figures.accepted = a[2].as<int>();
        figures.placements =
            txn.exec_prepared1("placement_open_on", region_prefix, FormatDay(as_of))[0].as<int>();
        return absl::OkStatus();
      }));
  return figures;
}

}  // namespace civil::eldercare
