#include "services/affairs/project_proto.h"

#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::affairs {

void ProjectToProto(const ProjectRecord& record, absl::CivilDay as_of, v1::Project* out) {
  out->set_project_id(record.project_id);
  out->set_kind(static_cast<v1::ProjectKind>(record.kind));
  out->set_name(record.name);
  out->set_region_code(record.region_code);
  out->set_target_year(record.target_year);
  out->set_due_date(FormatDay(record.dates.due_date));
  out->set_status(static_cast<v1::ProjectStatus>(StatusOn(record.dates, as_of)));
  auto reached = [&](const std::optional<absl::CivilDay>& d) {
    return d && *d <= as_of ? FormatDay(*d) : std::string();
  };
  out->set_started_date(reached(record.dates.started));
  out->set_completed_date(reached(record.dates.completed));
  out->set_accepted_date(reached(record.dates.accepted));
  out->set_overdue(OverdueOn(record.dates, as_of));
  out->set_as_of(FormatDay(as_of));
  *out->mutable_create_time() = TimestampOf(record.create_time_micros);
  out->set_version(record.version);
}

absl::Status CreateProject(const Caller& caller, ProjectStore& projects, const ProjectInput& input,
                           absl::CivilDay today, v1::Project* out) {
  CIVIL_ASSIGN_OR_RETURN(const ProjectDraft draft,
                         ValidateProject(input.kind, input.name, input.region_code,
                                         input.target_year, input.due_date));
  CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
  CIVIL_ASSIGN_OR_RETURN(const ProjectRecord record, projects.Create(draft, caller.subject));
  ProjectToProto(record, today, out);
  return absl::OkStatus();
}

absl::Status RecordProjectMilestone(const Caller& caller, ProjectStore& projects,
                                    const std::vector<ProjectKind>& kinds,
                                    absl::string_view project_id, int milestone,
                                    absl::string_view date, absl::CivilDay today,
                                    v1::Project* out) {
  CIVIL_RETURN_IF_ERROR(RequireUuid("project_id", project_id));
  if (!kMilestoneNames.Valid(milestone)) {
    return InvalidField("milestone", "must be given");
  }
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day, EventDate("date", date, today));
  CIVIL_ASSIGN_OR_RETURN(
      const ProjectRecord record,
      projects.RecordMilestone(std::string(project_id), kinds, static_cast<Milestone>(milestone),
                               day, caller.subject, RegionCheck(caller)));
  ProjectToProto(record, today, out);
  return absl::OkStatus();
}

absl::Status ListProjects(const Caller& caller, ProjectStore& projects, const ProjectQuery& query,
                          absl::string_view token_kind, absl::CivilDay today,
                          google::protobuf::RepeatedPtrField<v1::Project>* out,
                          std::string* next_page_token) {
  ProjectFilter filter;
  filter.kinds = query.kinds;
  CIVIL_ASSIGN_OR_RETURN(filter.region_prefix,
                         ScopedPrefix(caller, std::string(query.region_prefix)));
  if (query.target_year != 0 &&
      (query.target_year < kMinTargetYear || query.target_year > kMaxTargetYear)) {
    return InvalidField("target_year", "must be 0 or from 2000 to 2100");
  }
  filter.target_year = query.target_year;
  if (query.status != v1::PROJECT_STATUS_UNSPECIFIED) {
    if (!v1::ProjectStatus_IsValid(query.status)) {
      return InvalidField("status", "must be a defined status");
    }
    filter.status = static_cast<ProjectStatus>(query.status);
  }
  filter.overdue_only = query.overdue_only;
  CIVIL_ASSIGN_OR_RETURN(const auto as_of, OptionalDate("as_of", query.as_of));
  filter.as_of = as_of.value_or(today);
  CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(query.page_size));
  CIVIL_ASSIGN_OR_RETURN(const int64_t after, DecodePageToken(token_kind, query.page_token));
  CIVIL_ASSIGN_OR_RETURN(const auto page, projects.List(filter, after, size));
  for (const ProjectRecord& r : page.items) {
    ProjectToProto(r, filter.as_of, out->Add());
  }
  if (page.next_after > 0) {
    *next_page_token = EncodePageToken(token_kind, page.next_after);
  }
  return absl::OkStatus();
}

}  // namespace civil::affairs
