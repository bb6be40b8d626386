#include "services/governance/place_name_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {
namespace {

constexpr char kColumns[] =
    "name_id::text, proposed_name, kind, region_code, applicant, applied_on::text, applied_by, "
    "approved_on::text, approval_document, approved_by, filed_on::text, filing_document, "
    "filed_by, announced_on::text, announcement_document, announced_by";

PlaceNameRecord NameFromRow(const pqxx::row& row) {
  PlaceNameRecord n;
  n.name_id = row[0].as<std::string>();
  n.proposed_name = row[1].as<std::string>();
  n.kind = static_cast<PlaceKind>(kPlaceKindNames.Value(row[2].as<std::string>()));
  n.region_code = row[3].as<std::string>();
  n.applicant = row[4].as<std::string>();
  n.state.applied_on = DayOf(row[5]);
  n.state.applied_by = row[6].as<std::string>();
  n.state.approved_on = OptionalDayOf(row[7]);
  n.approval_document = TextOf(row[8]);
  n.approved_by = TextOf(row[9]);
  n.state.filed_on = OptionalDayOf(row[10]);
  n.filing_document = TextOf(row[11]);
  n.filed_by = TextOf(row[12]);
  n.state.announced_on = OptionalDayOf(row[13]);
  n.announcement_document = TextOf(row[14]);
  n.announced_by = TextOf(row[15]);
  return n;
}

}  // namespace

PlaceNameStore::PlaceNameStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("naming_region",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("naming_insert",
                 absl::StrCat("INSERT INTO place_names (proposed_name, kind, region_code, "
                              "applicant, applied_on, applied_by) VALUES ($1, $2, $3, $4, "
                              "$5::date, $6) RETURNING ",
                              kColumns));
  pool_->Prepare("naming_get",
                 absl::StrCat("SELECT ", kColumns, " FROM place_names WHERE name_id = $1::uuid"));
  pool_->Prepare("naming_lock", absl::StrCat("SELECT ", kColumns,
                                             " FROM place_names WHERE name_id = $1::uuid FOR "
                                             "UPDATE"));
  pool_->Prepare("naming_approve",
                 absl::StrCat("UPDATE place_names SET approved_on = $2::date, approval_document "
                              "= $3, approved_by = $4 WHERE name_id = $1::uuid RETURNING ",
                              kColumns));
  pool_->Prepare("naming_file",
                 absl::StrCat("UPDATE place_names SET filed_on = $2::date, filing_document = $3, "
                              "filed_by = $4 WHERE name_id = $1::uuid RETURNING ",
                              kColumns));
  pool_->Prepare("naming_announce",
                 absl::StrCat("UPDATE place_names SET announced_on = $2::date, "
                              "announcement_document = $3, announced_by = $4 WHERE name_id = "
                              "$1::uuid RETURNING ",
                              kColumns));
  // A superset of the names with a late or overdue step as of $2; LateSteps decides.
  pool_->Prepare(
      "naming_late",
      absl::StrCat("SELECT ", kColumns,
                   " FROM place_names WHERE region_code LIKE $1 || '%' AND approved_on <= "
                   "$2::date AND (coalesce(filed_on, $2::date) > approved_on + ",
                   kFilingDays, " OR (filed_on <= $2::date AND coalesce(announced_on, $2::date) > ",
                   "filed_on + ", kAnnouncementDays, ")) ORDER BY approved_on, seq LIMIT $3"));
}

absl::StatusOr<PlaceNameRecord> PlaceNameStore::Apply(const NamingApplication& application,
                                                      const std::string& actor) {
  PlaceNameRecord name;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& code = application.region.value();
    pqxx::result r = txn.exec_prepared("naming_region", code);
    std::optional<RegionFacts> facts;
    if (!r.empty()) {
      facts = RegionFacts{};
      facts->code = code;
      facts->name = r[0][0].as<std::string>();
      facts->kind = static_cast<RegionKind>(kRegionKindNames.Value(r[0][1].as<std::string>()));
      facts->merged_into = r[0][2].as<std::string>();
    }
    CIVIL_RETURN_IF_ERROR(CheckNamingRegion(facts, code));
    try {
      name = NameFromRow(txn.exec_prepared1(
          "naming_insert", application.proposed_name,
          std::string(kPlaceKindNames.Name(static_cast<int>(application.kind))), code,
          application.applicant, FormatDay(application.applied_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(absl::StrCat("proposed_name: ", application.proposed_name,
                                                   " was applied for in ", code, " already"));
    }
    return absl::OkStatus();
  }));
  return name;
}

absl::StatusOr<PlaceNameRecord> PlaceNameStore::Step(
    const std::string& name_id, const NamingStepDraft& draft, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  PlaceNameRecord name;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("naming_lock", name_id);
    if (r.empty()) return absl::NotFoundError("name_id: no such place name");
    name = NameFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_scope(name.region_code));
    CIVIL_RETURN_IF_ERROR(CheckNamingStep(name.state, draft, actor));
    const char* statement = draft.step == NamingStep::kApproval ? "naming_approve"
                            : draft.step == NamingStep::kFiling ? "naming_file"
                                                                : "naming_announce";
    name = NameFromRow(
        txn.exec_prepared1(statement, name_id, FormatDay(draft.on), draft.document, actor));
    return absl::OkStatus();
  }));
  return name;
}

absl::StatusOr<PlaceNameRecord> PlaceNameStore::Get(const std::string& name_id) {
  PlaceNameRecord name;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("naming_get", name_id);
    if (r.empty()) return absl::NotFoundError("name_id: no such place name");
    name = NameFromRow(r[0]);
    return absl::OkStatus();
  }));
  return name;
}

absl::StatusOr<std::vector<LatePlaceName>> PlaceNameStore::Late(const std::string& region_prefix,
                                                                absl::CivilDay as_of, int limit) {
  std::vector<LatePlaceName> late;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row :
         txn.exec_prepared("naming_late", region_prefix, FormatDay(as_of), limit)) {
      PlaceNameRecord name = NameFromRow(row);
      for (const LateStep& step : LateSteps(name.state, as_of)) late.push_back({name, step});
    }
    return absl::OkStatus();
  }));
  return late;
}

}  // namespace civil::governance
