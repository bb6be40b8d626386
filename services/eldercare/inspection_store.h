// PostgreSQL access for 双随机、一公开 inspections: the inspectors' pool, draws (pools read and the
// picks written in one transaction), results with their rectification items, publishing, closing
// items and the overdue list. The rules are inspection.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/eldercare/inspection.h"

namespace civil::eldercare {

struct InspectorRecord {
  std::string inspector_id;
  std::string name;
  std::string organisation;
  std::string region_code;
  absl::CivilDay added_on;
  std::optional<absl::CivilDay> retired_on;
  std::string added_by;
};

struct RectificationRecord {
  std::string rectification_id;
  std::string inspection_id;
  InspectionArea area = InspectionArea::kFire;
  std::string item;
  absl::CivilDay due_on;
  std::optional<absl::CivilDay> closed_on;
  std::string close_note;
  std::string facility_id;
  std::string facility_name;
  std::string region_code;
};

struct ResultRecord {
  InspectionArea area = InspectionArea::kFire;
  bool passed = false;
  std::string findings;
  absl::CivilDay inspected_on;
  std::string recorded_by;
  std::vector<RectificationRecord> rectifications;
};

struct InspectionRecord {
  std::string inspection_id;
  std::string facility_id;
  std::string facility_name;
  std::string region_code;
  std::vector<ResultRecord> results;  // FIRE, FOOD, MEDICAL order
};

struct DrawnInspectorRecord {
  std::string inspector_id;
  std::string name;
  std::string organisation;
};

struct DrawRecord {
  std::string draw_id;
  std::string region_prefix;
  uint64_t seed = 0;
  std::string algorithm;
  absl::CivilDay drawn_on;
  std::string drawn_by;
  std::vector<std::string> inspector_pool;
  std::vector<std::string> institution_pool;
  std::vector<DrawnInspectorRecord> inspectors;  // Get, Draw, RecordResult, Publish
  std::vector<InspectionRecord> inspections;     // the same; ListDraws: without results
  DrawStatus status = DrawStatus::kDrawn;
  std::optional<absl::CivilDay> published_on;
  std::string published_by;
};

// What a draw asks for.
struct DrawRequest {
  std::string region_prefix;  // "" = everywhere
  uint64_t seed = 0;
  int inspectors = 0;
  int institutions = 0;
  absl::CivilDay on;
};

using RegionCheckFn = std::function<absl::Status(const std::string&)>;

class InspectionStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit InspectionStore(PgPool* pool);

  absl::StatusOr<InspectorRecord> AddInspector(const InspectorDraft& draft,
                                               const std::string& actor);
  // After CheckRetirement under a row lock; NOT_FOUND when there is none.
  absl::StatusOr<InspectorRecord> RetireInspector(const std::string& inspector_id,
                                                  absl::CivilDay on,
                                                  const RegionCheckFn& check_region);
  absl::StatusOr<std::vector<InspectorRecord>> ListInspectors(const std::string& region_prefix);

  // The pools on `request.on` — inspectors added by then and not retired, whose region contains
  // the draw's or lies within it; township and smart-care institutions operating by then within
  // it — drawn from (Draw) and recorded with the picks, in one transaction.
  absl::StatusOr<DrawRecord> Draw(const DrawRequest& request, const std::string& actor);

  // NOT_FOUND when there is none.
  absl::StatusOr<DrawRecord> Get(const std::string& draw_id);
  // Newest first, without pools' picks' results; `before` 0 = from the newest.
  absl::StatusOr<Page<DrawRecord>> ListDraws(const std::string& region_prefix, int64_t before,
                                             int page_size);

  // After CheckResultStep, under the draw's row lock; `check_region` vets the institution's
  // region. ALREADY_EXISTS "area: …" when the area is recorded. Returns the draw.
  absl::StatusOr<DrawRecord> RecordResult(const std::string& inspection_id,
                                          const ResultDraft& draft, const std::string& actor,
                                          const RegionCheckFn& check_region);
  // After CheckPublish, under the draw's row lock; `check_region` vets the draw's region.
  absl::StatusOr<DrawRecord> Publish(const std::string& draw_id, absl::CivilDay on,
                                     const std::string& actor, const RegionCheckFn& check_region);

  // After CheckRectificationClose, under a row lock.
  absl::StatusOr<RectificationRecord> CloseRectification(const std::string& rectification_id,
                                                         absl::CivilDay on, const std::string& note,
                                                         const std::string& actor,
                                                         const RegionCheckFn& check_region);
  // Items overdue on `day` (Overdue) within the region, most overdue first, from `offset`.
  absl::StatusOr<std::vector<RectificationRecord>> Overdue(const std::string& region_prefix,
                                                           absl::CivilDay day, int64_t offset,
                                                           int limit);

 private:
  PgPool* pool_;
};

}  // namespace civil::eldercare
