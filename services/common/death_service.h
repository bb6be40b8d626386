// civil.events.v1.DeathRegistryService over a department's DeathRegistry (deaths.h): the clerk's
// read of the deaths whose reports disagree, and of one person's death with every report of it.
// A department serves it next to its registry:
//   d.Serve<DeathRegistryServiceImpl>(civil::events::v1::DeathRegistryService::service_full_name(),
//                                     &deaths, &d.pool(), &d.pii());
#pragma once

#include <utility>

#include "civil/events/v1/deaths.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/deaths.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil {

class DeathRegistryServiceImpl final : public civil::events::v1::DeathRegistryService::Service {
 public:
  // None is owned. `clock` tells today (an ID number's birth date may not be after it).
  DeathRegistryServiceImpl(const DeathRegistry* registry, PgPool* pool, const PiiProtector* pii,
                           Clock clock)
      : registry_(registry), pool_(pool), pii_(pii), clock_(std::move(clock)) {}

  grpc::Status ListDeathConflicts(grpc::ServerContext* context,
                                  const civil::events::v1::ListDeathConflictsRequest* request,
                                  civil::events::v1::ListDeathConflictsResponse* response) override;
  grpc::Status GetDeath(grpc::ServerContext* context,
                        const civil::events::v1::GetDeathRequest* request,
                        civil::events::v1::GetDeathResponse* response) override;

 private:
  const DeathRegistry* registry_;
  PgPool* pool_;
  const PiiProtector* pii_;
  Clock clock_;
};

}  // namespace civil
