// PostgreSQL access for boundaries: all SQL of `boundary_lines`, `boundary_markers` and
// `boundary_inspections` (the township's row of `regions` is read, never written), and the
// figures the summary counts; the rules are boundary.h's.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/boundary.h"

namespace civil::governance {

struct LineRecord {
  std::string line_id;
  std::string township_code;
  std::string neighbour;
  std::string name;
};

struct MarkerRecord {
  std::string marker_id;
  std::string line_id;
  MarkerDraft marker;
  std::optional<absl::CivilDay> board_installed_on;
};

struct InspectionRecord {
  std::string line_id;
  InspectionDraft inspection;
  std::string recorded_by;
};

// The boundary figures of a period.
struct BoundaryFigures {
  std::vector<std::string> neighbours_inspected;  // lines' neighbours, inspections in period
  int lines_inspected = 0;
  int tri_points_with_boards = 0;  // boards installed on or before the period's end
};

using ScopeCheck = std::function<absl::Status(const std::string&)>;

class BoundaryStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit BoundaryStore(PgPool* pool);

  // Creates a line. FAILED_PRECONDITION "township_code: …" when the township is not in the
  // tree; ALREADY_EXISTS "name: …" for a name taken.
  absl::StatusOr<LineRecord> CreateLine(const LineDraft& draft, const std::string& actor);

  // Lines along townships within `region_prefix`, by name.
  absl::StatusOr<std::vector<LineRecord>> Lines(const std::string& region_prefix);

  // Adds a marker to `line_id` after `check_scope` on its township. NOT_FOUND for an unknown
  // line; ALREADY_EXISTS "code: …" for a code taken.
  absl::StatusOr<MarkerRecord> AddMarker(const std::string& line_id, const MarkerDraft& marker,
                                         const std::string& actor, const ScopeCheck& check_scope);

  // Records the notice board of `marker_id` installed on `on`, after CheckBoard.
  // FAILED_PRECONDITION "marker_id: …" when it has one already; NOT_FOUND for an unknown marker.
  absl::StatusOr<MarkerRecord> InstallBoard(const std::string& marker_id, absl::CivilDay on,
                                            const ScopeCheck& check_scope);

  // Records the joint inspection of `line_id` for its year. ALREADY_EXISTS "year: …" when that
  // year's inspection is recorded already.
  absl::StatusOr<InspectionRecord> RecordInspection(const std::string& line_id,
                                                    const InspectionDraft& inspection,
                                                    const std::string& actor,
                                                    const ScopeCheck& check_scope);

  // The markers and inspections of `line_id` (NOT_FOUND for an unknown line).
  struct LineDetail {
    LineRecord line;
    std::vector<MarkerRecord> markers;
    std::vector<InspectionRecord> inspections;
  };
  absl::StatusOr<LineDetail> Get(const std::string& line_id);

  // Lines within `region_prefix` with an inspection completed inside [start, end], and tri-point
  // markers with boards installed by `end`.
  absl::StatusOr<BoundaryFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                          absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
