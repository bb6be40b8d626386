// What the social affairs department does with other departments' events.
#pragma once

#include "services/affairs/disability_store.h"
#include "services/common/events.h"

namespace civil::affairs {

// Subscribes affairs to:
//   assistance EnrolmentEnded of 低保 → the person's living subsidy (困难残疾人生活补贴, which
//   requires 低保) stops from the first month no longer covered by 低保.
void RegisterEventHandlers(EventConsumer* consumer, DisabilityStore* disability);

}  // namespace civil::affairs
