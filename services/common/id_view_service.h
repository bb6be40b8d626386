// civil.audit.v1.IdViewAuditService over a department's IdViewLog (id_views.h): auditors list who
// saw which person's full ID number, when and why. The kit's bootstrap serves it in every
// department (department.cc), so no department writes it.
#pragma once

#include <string>

#include "civil/audit/v1/id_views.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"
#include "services/common/pii.h"

namespace civil {

class IdViewAuditServiceImpl final : public civil::audit::v1::IdViewAuditService::Service {
 public:
  // `department`: the name this process answers for (a request naming another is NOT_FOUND).
  // None is owned. `clock` tells today (an ID number's birth date may not be after it).
  IdViewAuditServiceImpl(std::string department, IdViewLog* log, const PiiProtector* pii,
                         Clock clock)
      : department_(std::move(department)), log_(log), pii_(pii), clock_(std::move(clock)) {}

  grpc::Status ListIdViews(grpc::ServerContext* context,
                           const civil::audit::v1::ListIdViewsRequest* request,
                           civil::audit::v1::ListIdViewsResponse* response) override;

 private:
  std::string department_;
  IdViewLog* log_;
  const PiiProtector* pii_;
  Clock clock_;
};

}  // namespace civil
