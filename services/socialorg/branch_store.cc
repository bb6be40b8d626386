#include "services/socialorg/branch_store.h"

#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/store_util.h"

namespace civil::socialorg {
namespace {

constexpr char kColumns[] =
    "branch_id::text, organisation_id::text, name, principal, scope, established_on::text, "
    "recorded_by";

BranchRecord FromRow(const pqxx::row& row) {
  return {
      row[0].as<std::string>(),
      row[1].as<std::string>(),
      {row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(), DayOf(row[5])},
      row[6].as<std::string>()};
}

}  // namespace

BranchStore::BranchStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("socialorg_branch_org",
                 "SELECT status, established_on::text, deregistered_on::text, region_code, kind "
                 "FROM organisations WHERE organisation_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_branch_insert",
                 std::string("INSERT INTO branches (organisation_id, name, principal, scope, "
                             "established_on, recorded_by) VALUES ($1::uuid, $2, $3, $4, "
                             "$5::date, $6) RETURNING ") +
                     kColumns);
  pool_->Prepare("socialorg_branch_region",
                 "SELECT region_code FROM organisations WHERE organisation_id = $1::uuid");
  pool_->Prepare("socialorg_branch_of", std::string("SELECT ") + kColumns +
                                            " FROM branches WHERE organisation_id = $1::uuid "
                                            "ORDER BY established_on, seq");
}

absl::StatusOr<BranchRecord> BranchStore::Record(const std::string& organisation_id,
                                                 const Branch& branch, const std::string& actor,
                                                 const RegionVet& vet) {
  BranchRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_branch_org", organisation_id);
    if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
    CIVIL_RETURN_IF_ERROR(vet(r[0][3].as<std::string>()));
    OrgState state;
    state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(r[0][0].as<std::string>()));
    state.established_on = OptionalDayOf(r[0][1]);
    state.deregistered_on = OptionalDayOf(r[0][2]);
    const OrgKind kind = static_cast<OrgKind>(kOrgKindNames.Value(r[0][4].as<std::string>()));
    CIVIL_RETURN_IF_ERROR(CheckBranch(kind, state, branch));
    try {
      recorded = FromRow(txn.exec_prepared1("socialorg_branch_insert", organisation_id, branch.name,
                                            branch.principal, branch.scope,
                                            FormatDay(branch.established_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError("name: the organisation has a branch of this name");
    }
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::vector<BranchRecord>> BranchStore::Of(const std::string& organisation_id,
                                                          const RegionVet& vet) {
  std::vector<BranchRecord> records;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        records.clear();
        pqxx::result r = txn.exec_prepared("socialorg_branch_region", organisation_id);
        if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
        CIVIL_RETURN_IF_ERROR(vet(r[0][0].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_branch_of", organisation_id)) {
          records.push_back(FromRow(row));
        }
        return absl::OkStatus();
      }));
  return records;
}

}  // namespace civil::socialorg
