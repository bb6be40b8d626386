#include "services/affairs/project_proto.h"

#include "services/affairs/service_util.h"
#include "services/common/id_number.h"

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

}  // namespace civil::affairs
