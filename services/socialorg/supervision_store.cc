#include "services/socialorg/supervision_store.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::socialorg {
namespace {

// Locks the organisation against a concurrent deregistration and returns its state; NOT_FOUND.
absl::StatusOr<OrgState> LockedState(pqxx::transaction_base& txn,
                                     const std::string& organisation_id, const RegionVet& vet) {
  pqxx::result r = txn.exec_prepared("socialorg_supervised_org", organisation_id);
  if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
  CIVIL_RETURN_IF_ERROR(vet(r[0][3].as<std::string>()));
  OrgState state;
  state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(r[0][0].as<std::string>()));
  state.established_on = OptionalDayOf(r[0][1]);
  state.deregistered_on = OptionalDayOf(r[0][2]);
  return state;
}

ReportRecord ReportFromRow(const pqxx::row& row) {
  return ReportRecord{ReportDraft{row[0].as<int>(), DayOf(row[1]), row[2].as<bool>()},
                      row[3].as<std::string>()};
}

}  // namespace

SupervisionStore::SupervisionStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("socialorg_supervised_org",
                 "SELECT status, established_on::text, deregistered_on::text, region_code FROM "
                 "organisations WHERE organisation_id = $1::uuid FOR SHARE");
  pool_->Prepare("socialorg_report_insert",
                 "INSERT INTO annual_reports (organisation_id, year, submitted_on, late, "
                 "recorded_by) VALUES ($1::uuid, $2, $3::date, $4, $5) RETURNING year, "
                 "submitted_on::text, late, recorded_by");
  pool_->Prepare("socialorg_inspection_insert",
                 absl::StrCat("INSERT INTO inspections (organisation_id, year, completed_on, "
                              "late, result, officials_flagged, recorded_by) VALUES ($1::uuid, "
                              "$2, $3::date, $4, $5, $6, $7) RETURNING inspection_id, ",
                              MicrosOf("created_at")));
  pool_->Prepare("socialorg_finding_insert",
                 "INSERT INTO inspection_findings (inspection_id, position, area, note) VALUES "
                 "($1, $2, $3, $4)");
  pool_->Prepare("socialorg_org_region",
                 "SELECT region_code FROM organisations WHERE organisation_id = $1::uuid");
  pool_->Prepare("socialorg_reports_of",
                 "SELECT year, submitted_on::text, late, recorded_by FROM annual_reports WHERE "
                 "organisation_id = $1::uuid ORDER BY year");
  pool_->Prepare(
      "socialorg_inspections_of",
      absl::StrCat("SELECT i.inspection_id, i.year, i.completed_on::text, i.late, i.result, "
                   "i.officials_flagged, i.recorded_by, ",
                   MicrosOf("i.created_at"),
                   ", f.area, f.note FROM inspections i LEFT JOIN inspection_findings f USING "
                   "(inspection_id) WHERE i.organisation_id = $1::uuid ORDER BY i.year, "
                   "f.position"));
  // Registered on $2 (established by then and not deregistered by then), with the years
  // inspected by then.
  pool_->Prepare(
      "socialorg_histories",
      "SELECT o.organisation_id::text, o.name, o.kind, o.region_code, o.established_on::text, "
      "coalesce(array_to_string(array_agg(i.year ORDER BY i.year) FILTER (WHERE i.year IS NOT "
      "NULL), ','), '') FROM organisations o LEFT JOIN inspections i ON i.organisation_id = "
      "o.organisation_id AND i.completed_on <= $2::date WHERE o.established_on <= $2::date AND "
      "(o.deregistered_on IS NULL OR o.deregistered_on > "
      "$2::date) AND o.region_code LIKE $1 || '%' GROUP BY o.organisation_id ORDER BY o.seq");
  // Registered on $3, with the report and inspection of year $2 on record by then.
  pool_->Prepare(
      "socialorg_standings",
      "SELECT o.organisation_id::text, o.name, o.kind, o.region_code, o.established_on::text, "
      "EXISTS (SELECT 1 FROM annual_reports r WHERE r.organisation_id = o.organisation_id AND "
      "r.year = $2::int AND r.submitted_on <= $3::date), EXISTS (SELECT 1 FROM inspections i "
      "WHERE i.organisation_id = o.organisation_id AND i.year = $2::int AND i.completed_on <= "
      "$3::date) FROM organisations o WHERE o.established_on <= $3::date AND (o.deregistered_on "
      "IS NULL OR o.deregistered_on > $3::date) AND o.region_code LIKE $1 || '%' ORDER BY o.seq");
  pool_->Prepare("socialorg_inspections_in",
                 "SELECT o.kind, count(*)::int FROM inspections i JOIN organisations o USING "
                 "(organisation_id) WHERE i.completed_on BETWEEN $2::date AND $3::date AND "
                 "o.region_code LIKE $1 || '%' GROUP BY o.kind");
}

absl::StatusOr<ReportRecord> SupervisionStore::RecordReport(const std::string& organisation_id,
                                                            const ReportDraft& report,
                                                            const std::string& actor,
                                                            const RegionVet& vet) {
  ReportRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const OrgState state, LockedState(txn, organisation_id, vet));
    CIVIL_RETURN_IF_ERROR(CheckSupervisable(state, report.year));
    try {
      recorded =
          ReportFromRow(txn.exec_prepared1("socialorg_report_insert", organisation_id, report.year,
                                           FormatDay(report.submitted_on), report.late, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("year: the annual report of ", report.year, " is recorded already"));
    }
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<InspectionRecord> SupervisionStore::RecordInspection(
    const std::string& organisation_id, const InspectionDraft& inspection, const std::string& actor,
    const RegionVet& vet) {
  InspectionRecord recorded;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const OrgState state, LockedState(txn, organisation_id, vet));
    CIVIL_RETURN_IF_ERROR(CheckSupervisable(state, inspection.year));
    int64_t id = 0, micros = 0;
    try {
      const pqxx::row row = txn.exec_prepared1(
          "socialorg_inspection_insert", organisation_id, inspection.year,
          FormatDay(inspection.completed_on), inspection.late,
          std::string(kInspectionResultNames.Name(static_cast<int>(inspection.result))),
          inspection.officials_flagged, actor);
      id = row[0].as<int64_t>();
      micros = row[1].as<int64_t>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("year: the inspection of ", inspection.year, " is recorded already"));
    }
    for (size_t i = 0; i < inspection.findings.size(); ++i) {
      const Finding& f = inspection.findings[i];
      txn.exec_prepared0("socialorg_finding_insert", id, static_cast<int>(i),
                         std::string(kFindingAreaNames.Name(static_cast<int>(f.area))), f.note);
    }
    recorded = InspectionRecord{organisation_id, inspection, actor, micros};
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::pair<std::vector<ReportRecord>, std::vector<InspectionRecord>>>
SupervisionStore::Of(const std::string& organisation_id, const RegionVet& vet) {
  std::vector<ReportRecord> reports;
  std::vector<InspectionRecord> inspections;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        reports.clear();
        inspections.clear();
        pqxx::result r = txn.exec_prepared("socialorg_org_region", organisation_id);
        if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
        CIVIL_RETURN_IF_ERROR(vet(r[0][0].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_reports_of", organisation_id)) {
          reports.push_back(ReportFromRow(row));
        }
        int64_t current = -1;
        for (const auto& row : txn.exec_prepared("socialorg_inspections_of", organisation_id)) {
          if (row[0].as<int64_t>() != current) {
            current = row[0].as<int64_t>();
            InspectionRecord rec;
            rec.organisation_id = organisation_id;
            rec.inspection.year = row[1].as<int>();
            rec.inspection.completed_on = DayOf(row[2]);
            rec.inspection.late = row[3].as<bool>();
            rec.inspection.result = static_cast<InspectionResult>(
                kInspectionResultNames.Value(row[4].as<std::string>()));
            rec.inspection.officials_flagged = row[5].as<bool>();
            rec.recorded_by = row[6].as<std::string>();
            rec.create_time_micros = row[7].as<int64_t>();
            inspections.push_back(std::move(rec));
          }
          if (!row[8].is_null()) {
            inspections.back().inspection.findings.push_back(
                Finding{static_cast<FindingArea>(kFindingAreaNames.Value(row[8].as<std::string>())),
                        row[9].as<std::string>()});
          }
        }
        return absl::OkStatus();
      }));
  return std::make_pair(std::move(reports), std::move(inspections));
}

absl::StatusOr<std::vector<InspectionHistory>> SupervisionStore::Histories(
    const std::string& region_prefix, absl::CivilDay as_of) {
  std::vector<InspectionHistory> histories;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row :
         txn.exec_prepared("socialorg_histories", region_prefix, FormatDay(as_of))) {
      InspectionHistory h;
      h.organisation_id = row[0].as<std::string>();
      h.name = row[1].as<std::string>();
      h.kind = static_cast<OrgKind>(kOrgKindNames.Value(row[2].as<std::string>()));
      h.region_code = row[3].as<std::string>();
      h.established_on = DayOf(row[4]);
      const std::string years = row[5].as<std::string>();
      size_t start = 0;
      while (start < years.size()) {
        size_t comma = years.find(',', start);
        if (comma == std::string::npos) comma = years.size();
        h.inspected.insert(std::stoi(years.substr(start, comma - start)));
        start = comma + 1;
      }
      histories.push_back(std::move(h));
    }
    return absl::OkStatus();
  }));
  return histories;
}

absl::StatusOr<std::vector<SupervisionStanding>> SupervisionStore::Standings(
    const std::string& region_prefix, int year, absl::CivilDay as_of) {
  std::vector<SupervisionStanding> standings;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    standings.clear();
    for (const auto& row :
         txn.exec_prepared("socialorg_standings", region_prefix, year, FormatDay(as_of))) {
      standings.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                           static_cast<OrgKind>(kOrgKindNames.Value(row[2].as<std::string>())),
                           row[3].as<std::string>(), DayOf(row[4]), row[5].as<bool>(),
                           row[6].as<bool>()});
    }
    return absl::OkStatus();
  }));
  return standings;
}

absl::StatusOr<InspectionCounts> SupervisionStore::CompletedIn(const std::string& region_prefix,
                                                               absl::CivilDay start,
                                                               absl::CivilDay end) {
  InspectionCounts counts;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("socialorg_inspections_in", region_prefix,
                                             FormatDay(start), FormatDay(end))) {
      const int n = row[1].as<int>();
      counts.by_kind[static_cast<OrgKind>(kOrgKindNames.Value(row[0].as<std::string>()))] += n;
      counts.total += n;
    }
    return absl::OkStatus();
  }));
  return counts;
}

}  // namespace civil::socialorg
