// The departments' GetSummary, asked by the report: one call per department, all at once, each
// with the deadline and the report's own service token (role `system`), outside any transaction;
// their answers mapped to the plain DepartmentPart of work_summary.h (figures with department,
// measure and unit; the department's own sentences). A department without a summary contract the
// report calls would be a part with answered = false and error NOT_PROVIDED; all six have one.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "civil/affairs/v1/summary.grpc.pb.h"
#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "civil/governance/v1/summary.grpc.pb.h"
#include "civil/socialorg/v1/summary.grpc.pb.h"
#include "services/common/identity.h"
#include "services/report/work_summary.h"

namespace civil::report {

// Each department's answer as a part (exposed for the unit of mapping; no I/O).
DepartmentPart AssistancePart(const civil::assistance::v1::GetSummaryResponse& r);
DepartmentPart EldercarePart(const civil::eldercare::v1::GetSummaryResponse& r);
DepartmentPart ChildWelfarePart(const civil::childwelfare::v1::GetSummaryResponse& r);
DepartmentPart AffairsPart(const civil::affairs::v1::GetSummaryResponse& r);
DepartmentPart SocialorgPart(const civil::socialorg::v1::GetSummaryResponse& r);

class SummarySources {
 public:
  // `addresses`: department → host:port; `tokens` (not owned) is the report's.
  SummarySources(const std::map<std::string, std::string>& addresses,
                 std::chrono::milliseconds deadline, ServiceTokens* tokens);

  // One part per department of kDepartments, in that order: asked concurrently, each call
  // bounded by the deadline; one that fails or does not answer in time is answered = false with
  // the status code's name in `error`. Never fails as a whole.
  std::vector<DepartmentPart> Collect(const std::string& period_start,
                                      const std::string& period_end,
                                      const std::string& region_prefix);

  // One department's GetSummary(context, period_start, period_end, region_prefix).
  using Ask = std::function<absl::StatusOr<DepartmentPart>(grpc::ClientContext&, const std::string&,
                                                           const std::string&, const std::string&)>;

 private:
  std::map<std::string, Ask> asks_;
  std::chrono::milliseconds deadline_;
  ServiceTokens* tokens_;
};

}  // namespace civil::report
