// What the assistance department does with other departments' events.
#pragma once

#include "services/assistance/programme_store.h"
#include "services/common/events.h"

namespace civil::assistance {

// Subscribes assistance to:
//   affairs PersonDeceased → every active enrolment part of the person ends with reason DEATH,
//   effective the month after death (EnrolmentStore::EndForDeath), emitting EnrolmentEnded.
void RegisterEventHandlers(EventConsumer* consumer, EnrolmentStore* enrolments);

}  // namespace civil::assistance
