// Branches (分支机构) of organisations of the register (pure C++ on Abseil): a social group or a
// foundation may set up branches; a private non-enterprise unit may not (民办非企业单位登记管理
// 暂行条例 第十三条).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/socialorg/lifecycle.h"
#include "services/socialorg/organisation.h"

namespace civil::socialorg {

struct Branch {
  std::string name;
  std::string principal;  // 负责人
  std::string scope;      // 业务范围, within the organisation's
  absl::CivilDay established_on;
};

// A branch as entered: `name`, `principal` and `scope` required, `established_date` default
// `today`, never in the future. INVALID_ARGUMENT naming the field.
absl::StatusOr<Branch> ValidateBranch(absl::string_view name, absl::string_view principal,
                                      absl::string_view scope, absl::string_view established_date,
                                      absl::CivilDay today);

// Whether an organisation of `kind` in `state` may set up `branch`: FAILED_PRECONDITION
// "organisation_id: …" for a private non-enterprise unit or unless registered,
// "established_date: …" before the organisation's establishment.
absl::Status CheckBranch(OrgKind kind, const OrgState& state, const Branch& branch);

}  // namespace civil::socialorg
