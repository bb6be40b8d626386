// The adapters' side of privacy.h: a child's name as one caller may see it in a response.
#pragma once

#include <string>

#include "services/childwelfare/privacy.h"
#include "services/common/caller.h"

namespace civil::childwelfare {

class NameView {
 public:
  explicit NameView(const Caller& caller)
      : case_worker_(caller.HasRole(kCaseWorkerRole)), scope_(caller.region_prefix) {}

  // `name` of a child living in `region_code`: in full for the child's township case workers,
  // MaskName otherwise.
  std::string Shown(const std::string& name, const std::string& region_code) const {
    return SeesFullName(case_worker_, scope_, region_code) ? name : MaskName(name);
  }

 private:
  bool case_worker_;
  std::string scope_;
};

}  // namespace civil::childwelfare
