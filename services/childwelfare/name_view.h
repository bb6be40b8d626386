// The adapters' side of privacy.h: a child's name as one caller may see it in a response, and
// the audit trail of every name shown in full. A response that shows a child's full name (only
// the child's own township case workers see one) leaves the service only after a row of the
// kit's ID-view trail (services/common/id_views.h: who, when, which RPC, which child, why) is
// written for each child it names, with record kind `child_name` / `care_child_name` and the
// reason kCaseWorkReason; auditors list them with GET /v1/childwelfare/id-views.
//
//   NameView names(caller);
//   … out->set_name(names.Shown(c.name, c.region_code, {"child_name", c.child_id, c.id_index,
//                                                     c.id_masked, c.region_code}));
//   return names.Record(*id_views_, caller, "GetChild", response);
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/childwelfare/privacy.h"
#include "services/common/caller.h"
#include "services/common/id_views.h"

namespace civil::childwelfare {

// The reason a case worker's full-name view is recorded with: seeing the names of one's own
// township's children is the case work itself, so no reason is asked of the clerk.
inline constexpr absl::string_view kCaseWorkReason = "本乡镇儿童个案工作 (township case work)";

class NameView {
 public:
  explicit NameView(const Caller& caller)
      : case_worker_(caller.HasRole(kCaseWorkerRole)), scope_(caller.region_prefix) {}

  // `name` of a child living in `region_code`: in full for the child's township case workers
  // (the view of `child` is then kept for Record), MaskName otherwise.
  std::string Shown(const std::string& name, const std::string& region_code,
                    SeenPerson child) const {
    if (!SeesFullName(case_worker_, scope_, region_code)) return MaskName(name);
    seen_.push_back(std::move(child));
    return name;
  }

  // Whether the notes of the history of a child living in `region_code` are shown
  // (SeesHistoryNotes); when they are, the child's name is in full in the same response, so the
  // view is on the trail.
  bool SeesNotes(const std::string& region_code) const {
    return SeesHistoryNotes(case_worker_, scope_, region_code);
  }

  // The full names shown so far.
  const std::vector<SeenPerson>& seen() const { return seen_; }

  // Writes the trail of the full names shown (nothing when none was) before `response` leaves;
  // when the trail cannot be written the response is cleared and the error returned, so no full
  // name leaves without its row.
  absl::Status Record(IdViewLog& log, const Caller& caller, absl::string_view method,
                      google::protobuf::Message* response) const {
    return log.RecordOrClear(caller, method, kCaseWorkReason, seen_, response);
  }

 private:
  bool case_worker_;
  std::string scope_;
  mutable std::vector<SeenPerson> seen_;
};

}  // namespace civil::childwelfare
