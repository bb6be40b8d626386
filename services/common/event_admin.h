// civil.events.v1.EventAdminService over a service's EventConsumer: operators list the events
// the service gave up on and replay them once the cause is fixed.
#pragma once

#include "civil/events/v1/admin.grpc.pb.h"
#include "services/common/events.h"

namespace civil {

class EventAdminServiceImpl final : public civil::events::v1::EventAdminService::Service {
 public:
  explicit EventAdminServiceImpl(EventConsumer* consumer) : consumer_(consumer) {}
  grpc::Status ListDeadLetters(grpc::ServerContext* context,
                               const civil::events::v1::ListDeadLettersRequest* request,
                               civil::events::v1::ListDeadLettersResponse* response) override;
  grpc::Status ReplayDeadLetter(grpc::ServerContext* context,
                                const civil::events::v1::ReplayDeadLetterRequest* request,
                                civil::events::v1::ReplayDeadLetterResponse* response) override;

 private:
  EventConsumer* consumer_;
};

}  // namespace civil
