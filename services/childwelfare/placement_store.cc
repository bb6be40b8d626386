#include "services/childwelfare/placement_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {
namespace {

std::string NameOf(Category c) { return std::string(kCategoryNames.Name(static_cast<int>(c))); }
Category CategoryOf(const pqxx::field& f) {
  return static_cast<Category>(kCategoryNames.Value(f.as<std::string>()));
}

const std::string& ChangeColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "change_id::text, child_id::text, guardian_name, guardian_relation, kind, placement, "
      "reason, change_date::text, effective_month::text, category_before, category_after, "
      "proposed_by, status, decided_by, decided_on::text, decision_note, ",
      MicrosOf("created_at")));
  return *columns;
}

PlacementChangeRecord ChangeFromRow(const pqxx::row& row) {
  PlacementChangeRecord r;
  r.change_id = row[0].as<std::string>();
  r.child_id = row[1].as<std::string>();
  r.draft.guardian_name = row[2].as<std::string>();
  r.draft.guardian_relation = row[3].as<std::string>();
  r.draft.kind = static_cast<PlacementKind>(kPlacementKindNames.Value(row[4].as<std::string>()));
  r.draft.placement = row[5].as<std::string>();
  r.draft.reason = row[6].as<std::string>();
  r.draft.on = DayOf(row[7]);
  r.effective_month = absl::CivilMonth(DayOf(row[8]));
  r.category_before = CategoryOf(row[9]);
  r.category_after = CategoryOf(row[10]);
  r.proposed_by = row[11].as<std::string>();
  r.status = static_cast<ChangeStatus>(kChangeStatusNames.Value(row[12].as<std::string>()));
  r.decided_by = row[13].as<std::string>();
  r.decided_on = OptionalDayOf(row[14]);
  r.decision_note = row[15].as<std::string>();
  r.create_time_micros = row[16].as<int64_t>();
  return r;
}

struct CaseFacts {
  std::string region_code;
  ChildStatus status = ChildStatus::kActive;
  std::optional<absl::CivilDay> approved_on;
  Category category = Category::kOrphanDispersed;
};

absl::StatusOr<CaseFacts> LockCase(pqxx::transaction_base& txn, const std::string& child_id,
                                   const RegionGuard& check_region) {
  const pqxx::result r = txn.exec_prepared("placement_case_lock", child_id);
  if (r.empty()) return absl::NotFoundError("child_id: no such case");
  CIVIL_RETURN_IF_ERROR(check_region(r[0][0].as<std::string>()));
  return CaseFacts{r[0][0].as<std::string>(),
                   static_cast<ChildStatus>(kChildStatusNames.Value(r[0][1].as<std::string>())),
                   OptionalDayOf(r[0][2]), CategoryOf(r[0][3])};
}

}  // namespace

PlacementStore::PlacementStore(PgPool* pool, const ChildStore* children)
    : pool_(pool), children_(children) {
  pool_->Prepare("placement_case_lock",
                 "SELECT region_code, status, approved_on::text, category FROM children WHERE "
                 "child_id = $1::uuid FOR UPDATE");
  pool_->Prepare(
      "placement_insert",
      absl::StrCat("INSERT INTO child_placements (child_id, guardian_name, guardian_relation, "
                   "kind, placement, reason, change_date, effective_month, category_before, "
                   "category_after, proposed_by, status) VALUES ($1::uuid, $2, $3, $4, $5, $6, "
                   "$7::date, $8::date, $9, $10, $11, 'PENDING') RETURNING ",
                   ChangeColumns()));
  pool_->Prepare("placement_lock", absl::StrCat("SELECT ", ChangeColumns(),
                                                " FROM child_placements WHERE change_id = "
                                                "$1::uuid FOR UPDATE"));
  pool_->Prepare("placement_decide",
                 absl::StrCat("UPDATE child_placements SET status = $2, decided_by = $3, "
                              "decided_on = $4::date, decision_note = $5 WHERE change_id = "
                              "$1::uuid RETURNING ",
                              ChangeColumns()));
  // The case as the monthly run reads it: category, guardian and placement now.
  pool_->Prepare("placement_apply",
                 "UPDATE children SET guardian_name = $2, guardian_relation = $3, placement = $4, "
                 "placement_kind = $5, category = $6, updated_at = now() WHERE child_id = "
                 "$1::uuid");
  pool_->Prepare("placement_list", absl::StrCat("SELECT ", ChangeColumns(),
                                                " FROM child_placements WHERE child_id = "
                                                "$1::uuid ORDER BY change_date DESC, created_at "
                                                "DESC"));
}

absl::StatusOr<PlacementChangeRecord> PlacementStore::Propose(const std::string& child_id,
                                                              const PlacementChangeDraft& draft,
                                                              const std::string& actor,
                                                              const RegionGuard& check_region) {
  PlacementChangeRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const CaseFacts facts, LockCase(txn, child_id, check_region));
    CIVIL_RETURN_IF_ERROR(CheckChangeable(facts.status, facts.approved_on, draft.on));
    try {
      created = ChangeFromRow(txn.exec_prepared1(
          "placement_insert", child_id, draft.guardian_name, draft.guardian_relation,
          std::string(kPlacementKindNames.Name(static_cast<int>(draft.kind))), draft.placement,
          draft.reason, FormatDay(draft.on),
          FormatDay(absl::CivilDay(ChangeEffectiveMonth(draft.on))), NameOf(facts.category),
          NameOf(CategoryIn(facts.category, draft.kind)), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "child_id: the case has a change not decided yet; DecidePlacementChange first");
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<PlacementChangeRecord> PlacementStore::Decide(const std::string& change_id,
                                                             const std::string& decider,
                                                             bool approve, const std::string& note,
                                                             absl::CivilDay on,
                                                             const RegionGuard& check_region) {
  PlacementChangeRecord decided;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result r = txn.exec_prepared("placement_lock", change_id);
    if (r.empty()) return absl::NotFoundError("change_id: no such change");
    const PlacementChangeRecord current = ChangeFromRow(r[0]);
    CIVIL_ASSIGN_OR_RETURN(const CaseFacts facts, LockCase(txn, current.child_id, check_region));
    // The category after is weighed against the case as it is now.
    const Category after = CategoryIn(facts.category, current.draft.kind);
    CIVIL_RETURN_IF_ERROR(CheckChangeDecision(current.status, current.proposed_by, decider,
                                              current.draft.on, after != facts.category, approve,
                                              on));
    if (approve) {
      CIVIL_RETURN_IF_ERROR(CheckChangeable(facts.status, facts.approved_on, current.draft.on));
      // A case moved to another category is paid at that category's standard from the change's
      // month: without one, every later run of the region would be refused.
      const absl::CivilMonth from = ChangeEffectiveMonth(current.draft.on);
      if (after != facts.category &&
          StandardFor(children_->StandardsCovering(txn, facts.region_code), after,
                      facts.region_code, from) == nullptr) {
        return NoStandardError(after, facts.region_code, from);
      }
      txn.exec_prepared0(
          "placement_apply", current.child_id, current.draft.guardian_name,
          current.draft.guardian_relation, current.draft.placement,
          std::string(kPlacementKindNames.Name(static_cast<int>(current.draft.kind))),
          NameOf(after));
    }
    decided = ChangeFromRow(txn.exec_prepared1("placement_decide", change_id,
                                               approve ? "APPROVED" : "REJECTED", decider,
                                               FormatDay(on), note));
    return absl::OkStatus();
  }));
  return decided;
}

absl::StatusOr<std::vector<PlacementChangeRecord>> PlacementStore::List(
    const std::string& child_id, const RegionGuard& check_region) {
  std::vector<PlacementChangeRecord> changes;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    changes.clear();
    CIVIL_RETURN_IF_ERROR(LockCase(txn, child_id, check_region).status());
    for (const auto& row : txn.exec_prepared("placement_list", child_id)) {
      changes.push_back(ChangeFromRow(row));
    }
    return absl::OkStatus();
  }));
  return changes;
}

}  // namespace civil::childwelfare
