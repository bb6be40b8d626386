// Proto ⇄ domain for projects, shared by the funeral (cemeteries) and disability (pilots)
// adapters.
#pragma once

#include "absl/time/civil_time.h"
#include "civil/affairs/v1/project.pb.h"
#include "services/affairs/project_store.h"

namespace civil::affairs {

// Fills `out` with `record`, its status and overdue flag computed on `as_of`; milestones dated
// after `as_of` are left out.
void ProjectToProto(const ProjectRecord& record, absl::CivilDay as_of, v1::Project* out);

}  // namespace civil::affairs
