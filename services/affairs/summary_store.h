// PostgreSQL reads for the department's report figures (section 一(四) of the work summary):
// counts and sums over every aggregate's tables for a period and a region prefix. Read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/affairs/disability.h"
#include "services/affairs/project.h"
#include "services/common/pg.h"

namespace civil::affairs {

struct SubsidyFigures {
  SubsidyKind kind = SubsidyKind::kLiving;
  int64_t persons_paid = 0;
  int64_t persons_active = 0;
  int64_t paid_fen = 0;
};

struct PilotFigures {
  ProjectKind kind = ProjectKind::kCareServicePilot;
  int64_t projects = 0;
  int64_t completed = 0;
  int64_t accepted = 0;
};

struct Summary {
  int64_t cremations = 0;
  int64_t fees_waived_fen = 0;
  int64_t cemetery_planned = 0;
  int64_t cemetery_completed = 0;
  int64_t cemetery_accepted = 0;
  int64_t vehicle_cases = 0;
  std::vector<SubsidyFigures> subsidies;  // LIVING, CARE
  std::vector<PilotFigures> pilots;       // care service, mental health rehabilitation
  int64_t marriages = 0;
  int64_t divorce_applications = 0;
  int64_t divorces_completed = 0;
  int64_t divorces_withdrawn_by_party = 0;
  int64_t divorces_withdrawn_by_law = 0;
  int64_t archive_files_digitised = 0;
  std::string archive_covers_from;  // YYYY-MM or ""
  std::string archive_covers_to;
  int64_t relief_cases = 0;
  int64_t relief_money_fen = 0;
  int64_t campaigns = 0;
  int64_t campaign_persons = 0;
};

class SummaryStore {
 public:
  // `pool` is not owned.
  explicit SummaryStore(PgPool* pool);

  // The figures of [start, end] within `region_prefix`, "as of" figures on `as_of` (≤ end), read
  // in one repeatable-read transaction so that they are consistent with each other.
  absl::StatusOr<Summary> Compute(absl::CivilDay start, absl::CivilDay end, absl::CivilDay as_of,
                                  const std::string& region_prefix);

 private:
  PgPool* pool_;
};

}  // namespace civil::affairs
