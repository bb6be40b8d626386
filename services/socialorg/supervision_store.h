// PostgreSQL access for supervision: annual work reports and annual inspections (one per
// organisation and year, UNIQUE), recorded under a share lock on the organisation so that a
// deregistration cannot slip in between; the candidates for dormancy and for the overdue
// worklist, and the inspections of a period. The rules are supervision.h's.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/socialorg/organisation_store.h"
#include "services/socialorg/supervision.h"

namespace civil::socialorg {

struct ReportRecord {
  ReportDraft report;
  std::string recorded_by;
};

struct InspectionRecord {
  std::string organisation_id;
  InspectionDraft inspection;
  std::string recorded_by;
  int64_t create_time_micros = 0;
};

// A registered organisation with the years it was inspected.
struct InspectionHistory {
  std::string organisation_id;
  std::string name;
  OrgKind kind = OrgKind::kSocialGroup;
  std::string region_code;
  absl::CivilDay established_on;
  std::set<int> inspected;
};

// A registered organisation with whether a year's report and inspection are on record.
struct SupervisionStanding {
  std::string organisation_id;
  std::string name;
  OrgKind kind = OrgKind::kSocialGroup;
  std::string region_code;
  absl::CivilDay established_on;
  bool reported = false;
  bool inspected = false;
};

// Inspections completed in a period, by organisation kind.
struct InspectionCounts {
  int total = 0;
  std::map<OrgKind, int> by_kind;
};

class SupervisionStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit SupervisionStore(PgPool* pool);

  // Records the report after CheckSupervisable, under a share lock on the organisation; `vet`
  // checks its region first. NOT_FOUND; ALREADY_EXISTS "year: …".
  absl::StatusOr<ReportRecord> RecordReport(const std::string& organisation_id,
                                            const ReportDraft& report, const std::string& actor,
                                            const RegionVet& vet);

  // Records the inspection and its findings after CheckSupervisable, as RecordReport.
  absl::StatusOr<InspectionRecord> RecordInspection(const std::string& organisation_id,
                                                    const InspectionDraft& inspection,
                                                    const std::string& actor, const RegionVet& vet);

  // The reports and inspections of one organisation by year; `vet` checks its region. NOT_FOUND.
  absl::StatusOr<std::pair<std::vector<ReportRecord>, std::vector<InspectionRecord>>> Of(
      const std::string& organisation_id, const RegionVet& vet);

  // Organisations within `region_prefix` registered on `as_of` (established by then, not
  // deregistered) with the years inspected by then, oldest first: DormantYears decides on them.
  absl::StatusOr<std::vector<InspectionHistory>> Histories(const std::string& region_prefix,
                                                           absl::CivilDay as_of);

  // Organisations within `region_prefix` registered on `as_of` (established by then, not
  // deregistered by then), oldest first, each with whether the report and the inspection of
  // `year` were on record by then: OverdueSupervision decides on them.
  absl::StatusOr<std::vector<SupervisionStanding>> Standings(const std::string& region_prefix,
                                                             int year, absl::CivilDay as_of);

  // Inspections completed `start`..`end` of organisations within `region_prefix`.
  absl::StatusOr<InspectionCounts> CompletedIn(const std::string& region_prefix,
                                               absl::CivilDay start, absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::socialorg
