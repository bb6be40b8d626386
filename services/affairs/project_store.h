// PostgreSQL access for projects (township cemeteries and disability service pilots): creation,
// milestones with their history, listings with the status and overdue flag on a date. All SQL of
// the `projects` and `project_history` tables lives here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/affairs/project.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"

namespace civil::affairs {

struct ProjectRecord {
  std::string project_id;
  ProjectKind kind = ProjectKind::kCemetery;
  std::string name;
  std::string region_code;
  int target_year = 0;
  ProjectDates dates;
  int64_t version = 0;
  int64_t create_time_micros = 0;
};

// Listing filters; an unset one does not filter.
struct ProjectFilter {
  std::vector<ProjectKind> kinds;  // at least one
  std::string region_prefix;
  int target_year = 0;
  std::optional<ProjectStatus> status;  // on as_of
  bool overdue_only = false;            // on as_of
  absl::CivilDay as_of;
};

class ProjectStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit ProjectStore(PgPool* pool);

  absl::StatusOr<ProjectRecord> Create(const ProjectDraft& draft, const std::string& actor);

  // The project `project_id` if it is of one of `kinds`; NOT_FOUND otherwise.
  absl::StatusOr<ProjectRecord> Get(const std::string& project_id,
                                    const std::vector<ProjectKind>& kinds);

  // Records `milestone` on `date` under a row lock, after CheckMilestone (FAILED_PRECONDITION),
  // with a history row. NOT_FOUND as Get. `check_region` is called with the project's region
  // before anything is written (PERMISSION_DENIED from it is returned as is).
  absl::StatusOr<ProjectRecord> RecordMilestone(
      const std::string& project_id, const std::vector<ProjectKind>& kinds, Milestone milestone,
      absl::CivilDay date, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);

  // Projects matching `filter` after position `after`, oldest entry first.
  absl::StatusOr<Page<ProjectRecord>> List(const ProjectFilter& filter, int64_t after,
                                           int page_size);

 private:
  PgPool* pool_;
};

}  // namespace civil::affairs
