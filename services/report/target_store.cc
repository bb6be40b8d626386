#include "services/report/target_store.h"

#include <optional>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil::report {
namespace {

constexpr char kColumns[] =
    "target_id::text, department, measure, description, unit, planned, due_date::text, owner, "
    "region_prefix";

Target TargetFromRow(const pqxx::row& row) {
  Target t;
  t.target_id = row[0].as<std::string>();
  t.department = row[1].as<std::string>();
  t.measure = row[2].as<std::string>();
  t.description = row[3].as<std::string>();
  t.unit = row[4].as<std::string>();
  t.planned = row[5].as<int64_t>();
  t.due = DayOf(row[6]);
  t.owner = row[7].as<std::string>();
  t.region_prefix = row[8].as<std::string>();
  return t;
}

std::vector<Target> TargetsOf(const pqxx::result& rows) {
  std::vector<Target> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(TargetFromRow(row));
  return out;
}

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("target_id: no target ", id));
}

}  // namespace

TargetStore::TargetStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("target_insert",
                 absl::StrCat("INSERT INTO targets (department, measure, description, unit, "
                              "planned, due_date, owner, region_prefix, created_by, updated_by) "
                              "VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $9) RETURNING ",
                              kColumns));
  pool_->Prepare("target_get", absl::StrCat("SELECT ", kColumns,
                                            " FROM targets WHERE target_id = $1::uuid AND "
                                            "region_prefix LIKE $2 || '%'"));
  pool_->Prepare("target_update",
                 absl::StrCat("UPDATE targets SET description = $2, planned = $3, due_date = "
                              "$4::date, owner = $5, updated_by = $6, updated_at = now() WHERE "
                              "target_id = $1::uuid RETURNING ",
                              kColumns));
  pool_->Prepare("target_delete",
                 "DELETE FROM targets WHERE target_id = $1::uuid AND region_prefix LIKE $2 || '%'");
  pool_->Prepare("target_list", absl::StrCat("SELECT ", kColumns,
                                             " FROM targets WHERE region_prefix LIKE $1 || '%' AND "
                                             "($2 = '' OR department = $2) ORDER BY department, "
                                             "due_date, description"));
  pool_->Prepare("target_due_between",
                 absl::StrCat("SELECT ", kColumns,
                              " FROM targets WHERE ($1 = '' OR region_prefix = $1) AND due_date "
                              "BETWEEN $2::date AND $3::date ORDER BY due_date, description"));
}

absl::StatusOr<Target> TargetStore::Create(const Target& t, const std::string& by) {
  Target stored;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    stored = TargetFromRow(txn.exec_prepared1("target_insert", t.department, t.measure,
                                              t.description, t.unit, t.planned, FormatDay(t.due),
                                              t.owner, t.region_prefix, by));
    return absl::OkStatus();
  }));
  return stored;
}

absl::StatusOr<Target> TargetStore::Get(const std::string& target_id,
                                        const std::string& region_prefix) {
  if (!IsUuid(target_id)) return NotFound(target_id);
  std::optional<Target> found;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result rows = txn.exec_prepared("target_get", target_id, region_prefix);
    if (!rows.empty()) found = TargetFromRow(rows[0]);
    return absl::OkStatus();
  }));
  if (!found.has_value()) return NotFound(target_id);
  return *found;
}

absl::StatusOr<Target> TargetStore::Update(const Target& t, const std::string& by) {
  std::optional<Target> stored;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result rows = txn.exec_prepared("target_update", t.target_id, t.description,
                                                t.planned, FormatDay(t.due), t.owner, by);
    if (!rows.empty()) stored = TargetFromRow(rows[0]);
    return absl::OkStatus();
  }));
  if (!stored.has_value()) return NotFound(t.target_id);
  return *stored;
}

absl::Status TargetStore::Delete(const std::string& target_id, const std::string& region_prefix) {
  if (!IsUuid(target_id)) return NotFound(target_id);
  size_t deleted = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    deleted = txn.exec_prepared("target_delete", target_id, region_prefix).affected_rows();
    return absl::OkStatus();
  }));
  if (deleted == 0) return NotFound(target_id);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Target>> TargetStore::List(const std::string& region_prefix,
                                                      const std::string& department) {
  std::vector<Target> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    out = TargetsOf(txn.exec_prepared("target_list", region_prefix, department));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Target>> TargetStore::DueBetween(const std::string& region_prefix,
                                                            absl::CivilDay from,
                                                            absl::CivilDay to) {
  std::vector<Target> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    out = TargetsOf(
        txn.exec_prepared("target_due_between", region_prefix, FormatDay(from), FormatDay(to)));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace civil::report
