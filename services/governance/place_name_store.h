// PostgreSQL access for place and road naming: all SQL of `place_names` (the region's row of
// `regions` is read, never written); the rules are place_name.h's.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/place_name.h"

namespace civil::governance {

struct PlaceNameRecord {
  std::string name_id;
  std::string proposed_name;
  PlaceKind kind = PlaceKind::kOther;
  std::string region_code;
  std::string applicant;
  NamingState state;  // applied_by, the step dates
  std::string approval_document, approved_by;
  std::string filing_document, filed_by;
  std::string announcement_document, announced_by;
};

// A name with one of its late or overdue steps.
struct LatePlaceName {
  PlaceNameRecord name;
  LateStep step;
};

class PlaceNameStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit PlaceNameStore(PgPool* pool);

  // Records an application after CheckNamingRegion on its region. ALREADY_EXISTS "proposed_name:
  // …" when the region has one for the same name and kind.
  absl::StatusOr<PlaceNameRecord> Apply(const NamingApplication& application,
                                        const std::string& actor);

  // Records a step after `check_scope` on the name's region and CheckNamingStep (the row
  // locked). NOT_FOUND "name_id: no such place name".
  absl::StatusOr<PlaceNameRecord> Step(
      const std::string& name_id, const NamingStepDraft& draft, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // NOT_FOUND "name_id: no such place name".
  absl::StatusOr<PlaceNameRecord> Get(const std::string& name_id);

  // The late and overdue steps (LateSteps) of the names within `region_prefix` as of `as_of`,
  // by approval date, over at most `limit` names.
  absl::StatusOr<std::vector<LatePlaceName>> Late(const std::string& region_prefix,
                                                  absl::CivilDay as_of, int limit);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
