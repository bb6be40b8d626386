#include "services/socialorg/branch_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/store_util.h"

namespace civil::socialorg {
namespace {

// The last column: the deregistration that closed the branch, if one did.
constexpr char kColumns[] =
    "branch_id::text, organisation_id::text, name, principal, scope, established_on::text, "
    "recorded_by, status, closed_on::text, (SELECT d.deregistration_event_id::text FROM "
    "branch_closures d WHERE d.branch_id = branches.branch_id AND d.status = 'APPROVED')";
constexpr int kRegionColumn = 10;  // after kColumns in socialorg_branch_lock

constexpr char kClosureColumns[] =
    "c.closure_id::text, c.branch_id::text, b.organisation_id::text, c.closed_on::text, "
    "c.documents, c.reason, c.status, c.recorded_by, c.decided_by, c.decided_on::text, "
    "c.decision_reason, c.deregistration_event_id::text";

BranchRecord FromRow(const pqxx::row& row) {
  return {
      row[0].as<std::string>(),
      row[1].as<std::string>(),
      {row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(), DayOf(row[5])},
      row[6].as<std::string>(),
      static_cast<BranchStatus>(kBranchStatusNames.Value(row[7].as<std::string>())),
      OptionalDayOf(row[8]),
      TextOf(row[9])};
}

// A text[] column's elements.
std::vector<std::string> TextArray(const pqxx::field& field) {
  std::vector<std::string> items;
  pqxx::array_parser parser = field.as_array();
  for (auto next = parser.get_next(); next.first != pqxx::array_parser::juncture::done;
       next = parser.get_next()) {
    if (next.first == pqxx::array_parser::juncture::string_value) items.push_back(next.second);
  }
  return items;
}

ClosureRecord ClosureFromRow(const pqxx::row& row) {
  ClosureRecord c;
  c.closure_id = row[0].as<std::string>();
  c.branch_id = row[1].as<std::string>();
  c.organisation_id = row[2].as<std::string>();
  c.closure.closed_on = DayOf(row[3]);
  c.closure.documents = TextArray(row[4]);
  c.closure.reason = row[5].as<std::string>();
  c.status = static_cast<EventStatus>(kEventStatusNames.Value(row[6].as<std::string>()));
  c.recorded_by = row[7].as<std::string>();
  c.decided_by = TextOf(row[8]);
  c.decided_on = OptionalDayOf(row[9]);
  c.decision_reason = TextOf(row[10]);
  c.deregistration_event_id = TextOf(row[11]);
  return c;
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
  pool_->Prepare("socialorg_branch_lock",
                 std::string("SELECT ") + kColumns +
                     ", (SELECT region_code FROM organisations o WHERE o.organisation_id = "
                     "branches.organisation_id) FROM branches WHERE branch_id = $1::uuid FOR "
                     "UPDATE");
  pool_->Prepare("socialorg_branch_set",
                 std::string("UPDATE branches SET status = $2, closed_on = $3::date WHERE "
                             "branch_id = $1::uuid RETURNING ") +
                     kColumns);
  pool_->Prepare(
      "socialorg_closure_insert",
      absl::StrCat("WITH c AS (INSERT INTO branch_closures (branch_id, closed_on, "
                   "documents, reason, recorded_by) VALUES ($1::uuid, $2::date, "
                   "$3::text[], $4, $5) RETURNING *) SELECT ",
                   kClosureColumns, " FROM c JOIN branches b ON b.branch_id = c.branch_id"));
  pool_->Prepare("socialorg_closure_lock",
                 absl::StrCat("SELECT ", kClosureColumns,
                              " FROM branch_closures c JOIN branches b ON b.branch_id = "
                              "c.branch_id WHERE c.closure_id = $1::uuid FOR UPDATE OF c"));
  pool_->Prepare(
      "socialorg_closure_decide",
      absl::StrCat("WITH c AS (UPDATE branch_closures SET status = $2, decided_by = "
                   "$3, decided_on = $4::date, decision_reason = $5 WHERE closure_id = "
                   "$1::uuid RETURNING *) SELECT ",
                   kClosureColumns, " FROM c JOIN branches b ON b.branch_id = c.branch_id"));
  // The organisation's deregistration approved: its branches locked, each it closes closed.
  pool_->Prepare("socialorg_branches_for_deregistration",
                 "SELECT branch_id::text, name, status, established_on::text FROM branches WHERE "
                 "organisation_id = $1::uuid ORDER BY established_on, seq FOR UPDATE");
  pool_->Prepare("socialorg_closure_by_deregistration",
                 "INSERT INTO branch_closures (branch_id, closed_on, documents, reason, status, "
                 "recorded_by, decided_by, decided_on, deregistration_event_id) VALUES ($1::uuid, "
                 "$2::date, $3::text[], $4, 'APPROVED', $5, $6, $7::date, $8::uuid)");
  pool_->Prepare("socialorg_branch_close",
                 "UPDATE branches SET status = 'CLOSED', closed_on = $2::date WHERE branch_id = "
                 "$1::uuid");
  pool_->Prepare("socialorg_branch_count",
                 "SELECT b.established_on::text, b.closed_on::text FROM branches b JOIN "
                 "organisations o ON o.organisation_id = b.organisation_id WHERE o.region_code "
                 "LIKE $1 || '%' AND b.established_on <= $2::date");
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

absl::StatusOr<ClosureResult> BranchStore::FileClosure(const std::string& branch_id,
                                                       const BranchClosure& closure,
                                                       const std::string& actor,
                                                       const RegionVet& vet) {
  ClosureResult out;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_branch_lock", branch_id);
    if (r.empty()) return absl::NotFoundError("branch_id: no such branch");
    const BranchRecord branch = FromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(vet(r[0][kRegionColumn].as<std::string>()));
    CIVIL_RETURN_IF_ERROR(CheckBranchClosure(branch.status, branch.branch.established_on, closure));
    out.closure = ClosureFromRow(
        txn.exec_prepared1("socialorg_closure_insert", branch_id, FormatDay(closure.closed_on),
                           ArrayLiteral(closure.documents), closure.reason, actor));
    const std::optional<std::string> none;
    out.branch = FromRow(txn.exec_prepared1(
        "socialorg_branch_set", branch_id,
        std::string(kBranchStatusNames.Name(static_cast<int>(BranchStatus::kClosing))),
        OrNull(none)));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ClosureResult> BranchStore::DecideClosure(const std::string& closure_id,
                                                         bool approve, const std::string& decider,
                                                         absl::CivilDay decided_on,
                                                         const std::string& reason,
                                                         const RegionVet& vet) {
  ClosureResult out;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result cr = txn.exec_prepared("socialorg_closure_lock", closure_id);
    if (cr.empty()) return absl::NotFoundError("closure_id: no such closure");
    const ClosureRecord closure = ClosureFromRow(cr[0]);
    pqxx::result br = txn.exec_prepared("socialorg_branch_lock", closure.branch_id);
    CIVIL_RETURN_IF_ERROR(vet(br[0][kRegionColumn].as<std::string>()));
    CIVIL_RETURN_IF_ERROR(CheckClosureDecision(closure.status, closure.recorded_by, decider,
                                               closure.closure.closed_on, decided_on));
    const std::optional<std::string> none;
    out.closure = ClosureFromRow(txn.exec_prepared1(
        "socialorg_closure_decide", closure_id, approve ? "APPROVED" : "REJECTED", decider,
        FormatDay(decided_on), approve ? OrNull(none) : OrNull(std::optional(reason))));
    const BranchStatus next = approve ? BranchStatus::kClosed : BranchStatus::kOpen;
    out.branch = FromRow(txn.exec_prepared1(
        "socialorg_branch_set", closure.branch_id,
        std::string(kBranchStatusNames.Name(static_cast<int>(next))),
        OrNull(approve ? std::optional(FormatDay(closure.closure.closed_on)) : none)));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status BranchStore::CloseForDeregistration(pqxx::transaction_base& txn,
                                                 const ApprovedDeregistration& deregistration) {
  std::vector<std::string> ids;
  std::vector<BranchStanding> branches;
  for (const auto& row :
       txn.exec_prepared("socialorg_branches_for_deregistration", deregistration.organisation_id)) {
    ids.push_back(row[0].as<std::string>());
    branches.push_back(
        {row[1].as<std::string>(),
         static_cast<BranchStatus>(kBranchStatusNames.Value(row[2].as<std::string>())),
         DayOf(row[3])});
  }
  CIVIL_ASSIGN_OR_RETURN(const std::vector<size_t> closed,
                         BranchesClosedByDeregistration(branches, deregistration.date));
  const std::string day = FormatDay(deregistration.date);
  const std::string reason = DeregistrationClosureReason(deregistration.event_id);
  for (const size_t i : closed) {
    txn.exec_prepared0("socialorg_closure_by_deregistration", ids[i], day,
                       ArrayLiteral(deregistration.documents), reason, deregistration.filed_by,
                       deregistration.approved_by, FormatDay(deregistration.approved_on),
                       deregistration.event_id);
    txn.exec_prepared0("socialorg_branch_close", ids[i], day);
  }
  return absl::OkStatus();
}

absl::StatusOr<BranchCounts> BranchStore::Count(const std::string& region_prefix,
                                                absl::CivilDay as_of) {
  BranchCounts counts;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    counts = BranchCounts{};
    for (const auto& row :
         txn.exec_prepared("socialorg_branch_count", region_prefix, FormatDay(as_of))) {
      CountBranch(DayOf(row[0]), OptionalDayOf(row[1]), as_of, &counts);
    }
    return absl::OkStatus();
  }));
  return counts;
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
