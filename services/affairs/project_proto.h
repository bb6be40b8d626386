// The project RPCs of the funeral (cemeteries) and disability (pilots) adapters: proto ⇄ domain
// and the bodies they share. Each RPC authorises its own method and names the project kinds it
// may touch; everything after that is the same for both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "civil/affairs/v1/project.pb.h"
#include "services/affairs/project_store.h"
#include "services/common/caller.h"

namespace civil::affairs {

// Fills `out` with `record`, its status and overdue flag computed on `as_of`; milestones dated
// after `as_of` are left out.
void ProjectToProto(const ProjectRecord& record, absl::CivilDay as_of, v1::Project* out);

// The fields of a Create…Project request.
struct ProjectInput {
  ProjectKind kind;
  absl::string_view name;
  absl::string_view region_code;
  int32_t target_year = 0;
  absl::string_view due_date;
};

// Validates `input`, checks its region against the caller's scope and creates the project.
absl::Status CreateProject(const Caller& caller, ProjectStore& projects, const ProjectInput& input,
                           absl::CivilDay today, v1::Project* out);

// Records `milestone` (a v1::Milestone number) on `date` ("" = today) for a project of one of
// `kinds` within the caller's scope.
absl::Status RecordProjectMilestone(const Caller& caller, ProjectStore& projects,
                                    const std::vector<ProjectKind>& kinds,
                                    absl::string_view project_id, int milestone,
                                    absl::string_view date, absl::CivilDay today, v1::Project* out);

// The filters of a List…Projects request; `kinds` already chosen by the RPC.
struct ProjectQuery {
  std::vector<ProjectKind> kinds;
  absl::string_view region_prefix;
  int32_t target_year = 0;
  int status = 0;  // v1::ProjectStatus; 0 = any
  bool overdue_only = false;
  absl::string_view as_of;
  int32_t page_size = 0;
  absl::string_view page_token;
};

// One page of projects matching `query` within the caller's scope; page tokens are of
// `token_kind` ("cemetery-projects", …).
absl::Status ListProjects(const Caller& caller, ProjectStore& projects, const ProjectQuery& query,
                          absl::string_view token_kind, absl::CivilDay today,
                          google::protobuf::RepeatedPtrField<v1::Project>* out,
                          std::string* next_page_token);

}  // namespace civil::affairs
