#include "services/governance/region_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {
namespace {

const std::string& RegionColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("code, name, kind, coalesce(parent_code, ''), coalesce(merged_into, ''), "
                   "merged_on::text, ",
                   MicrosOf("updated_at")));
  return *columns;
}

RegionRecord RegionFromRow(const pqxx::row& row) {
  RegionRecord r;
  r.facts.code = row[0].as<std::string>();
  r.facts.name = row[1].as<std::string>();
  r.facts.kind = static_cast<RegionKind>(kRegionKindNames.Value(row[2].as<std::string>()));
  r.facts.parent_code = row[3].as<std::string>();
  r.facts.merged_into = row[4].as<std::string>();
  r.facts.merged_on = OptionalDayOf(row[5]);
  r.update_time_micros = row[6].as<int64_t>();
  return r;
}

std::optional<RegionRecord> Find(pqxx::transaction_base& txn, const char* statement,
                                 const std::string& code) {
  pqxx::result r = txn.exec_prepared(statement, code);
  if (r.empty()) return std::nullopt;
  return RegionFromRow(r[0]);
}

// A NULL parameter.
constexpr const char* kNull = nullptr;

absl::Status NotInTree(absl::string_view field, absl::string_view code) {
  return absl::NotFoundError(absl::StrCat(field, ": ", code, " is not in the region tree"));
}

}  // namespace

RegionStore::RegionStore(PgPool* pool, GridStore* grids) : pool_(pool), grids_(grids) {
  pool_->Prepare("region_get",
                 absl::StrCat("SELECT ", RegionColumns(), " FROM regions WHERE code = $1"));
  pool_->Prepare("region_lock", absl::StrCat("SELECT ", RegionColumns(),
                                             " FROM regions WHERE code = $1 FOR UPDATE"));
  pool_->Prepare("region_share", absl::StrCat("SELECT ", RegionColumns(),
                                              " FROM regions WHERE code = $1 FOR SHARE"));
  pool_->Prepare(
      "region_children",
      absl::StrCat("SELECT ", RegionColumns(),
                   " FROM regions WHERE coalesce(parent_code, '') = $1 AND ($2 OR merged_into IS "
                   "NULL) ORDER BY code OFFSET $3 LIMIT $4"));
  pool_->Prepare("region_insert",
                 absl::StrCat("INSERT INTO regions (code, name, kind, parent_code, created_by) "
                              "VALUES ($1, $2, $3, $4, $5) RETURNING ",
                              RegionColumns()));
  pool_->Prepare("region_rename",
                 absl::StrCat("UPDATE regions SET name = $2, updated_at = now() WHERE code = $1 "
                              "RETURNING ",
                              RegionColumns()));
  pool_->Prepare("region_merge",
                 absl::StrCat("UPDATE regions SET merged_into = $2, merged_on = $3::date, "
                              "updated_at = now() WHERE code = $1 RETURNING ",
                              RegionColumns()));
  pool_->Prepare("region_change",
                 "INSERT INTO region_changes (code, change, old_name, new_name, into_code, "
                 "on_date, actor) VALUES ($1, $2, $3, $4, $5, $6::date, $7)");
}

absl::StatusOr<RegionLookup> RegionStore::Lookup(const std::string& code) {
  RegionLookup lookup;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        lookup = RegionLookup();
        std::optional<RegionRecord> r = Find(txn, "region_get", code);
        if (!r) return NotInTree("code", code);
        for (int i = 0; !r->facts.merged_into.empty(); ++i) {
          if (i == kMaxMergeChain) {
            return absl::DataLossError(
                absl::StrCat("code: more than ", kMaxMergeChain, " merges from ", code));
          }
          const std::string next = r->facts.merged_into;
          lookup.merged_from.push_back(*std::move(r));
          r = Find(txn, "region_get", next);
          if (!r) return absl::DataLossError(absl::StrCat("code: merged into a missing ", next));
        }
        lookup.region = *std::move(r);
        return absl::OkStatus();
      }));
  return lookup;
}

absl::StatusOr<RegionStore::Children> RegionStore::ListChildren(const std::string& parent_code,
                                                                bool include_merged, int64_t offset,
                                                                int limit) {
  Children children;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("region_children", parent_code, include_merged, offset, limit + 1);
    for (const auto& row : rows) {
      if (static_cast<int>(children.regions.size()) == limit) {
        children.more = true;
        break;
      }
      children.regions.push_back(RegionFromRow(row));
    }
    return absl::OkStatus();
  }));
  return children;
}

absl::StatusOr<RegionRecord> RegionStore::Add(const NewRegion& region, const std::string& actor) {
  RegionRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::optional<RegionRecord> parent = Find(txn, "region_share", region.parent.value());
    CIVIL_RETURN_IF_ERROR(CheckParent(
        parent ? std::optional<RegionFacts>(parent->facts) : std::nullopt, region.parent.value()));
    try {
      created = RegionFromRow(
          txn.exec_prepared1("region_insert", region.code.value(), region.name,
                             std::string(kRegionKindNames.Name(static_cast<int>(region.kind))),
                             region.parent.value(), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("code: ", region.code.value(), " is in the region tree already"));
    }
    txn.exec_prepared("region_change", region.code.value(), "ADDED", "", region.name, kNull, kNull,
                      actor);
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<RegionRecord> RegionStore::Rename(const std::string& code, const std::string& name,
                                                 const std::string& actor,
                                                 const RegionScopeCheck& check_scope) {
  RegionRecord renamed;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::optional<RegionRecord> current = Find(txn, "region_lock", code);
    if (!current) return NotInTree("code", code);
    CIVIL_RETURN_IF_ERROR(check_scope(code));
    CIVIL_RETURN_IF_ERROR(CheckRename(current->facts));
    renamed = RegionFromRow(txn.exec_prepared1("region_rename", code, name));
    txn.exec_prepared("region_change", code, "RENAMED", current->facts.name, name, kNull, kNull,
                      actor);
    return absl::OkStatus();
  }));
  return renamed;
}

absl::StatusOr<MergeResult> RegionStore::Merge(const std::string& code,
                                               const std::string& into_code, absl::CivilDay on,
                                               const std::string& actor,
                                               const RegionScopeCheck& check_scope) {
  MergeResult result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    result = MergeResult();
    // Both rows locked in code order, so two merges touching the same villages cannot deadlock.
    const bool from_first = code < into_code;
    std::optional<RegionRecord> first = Find(txn, "region_lock", from_first ? code : into_code);
    std::optional<RegionRecord> second = Find(txn, "region_lock", from_first ? into_code : code);
    std::optional<RegionRecord>& from = from_first ? first : second;
    std::optional<RegionRecord>& into = from_first ? second : first;
    if (!from) return NotInTree("code", code);
    if (!into) return NotInTree("into_code", into_code);
    CIVIL_RETURN_IF_ERROR(check_scope(code));
    CIVIL_RETURN_IF_ERROR(check_scope(into_code));
    CIVIL_RETURN_IF_ERROR(CheckMerge(from->facts, into->facts));
    result.merged =
        RegionFromRow(txn.exec_prepared1("region_merge", code, into_code, FormatDay(on)));
    result.into = *into;
    CIVIL_ASSIGN_OR_RETURN(result.grids_moved,
                           grids_->MoveGrids(txn, code, from->facts.name, into_code, on, actor));
    txn.exec_prepared("region_change", code, "MERGED", from->facts.name, into->facts.name,
                      into_code, FormatDay(on), actor);
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace civil::governance
