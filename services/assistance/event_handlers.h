// What the assistance department does with other departments' events.
#pragma once

#include "services/assistance/enrolment_store.h"
#include "services/common/clock.h"
#include "services/common/events.h"

namespace civil::assistance {

// Subscribes assistance to:
//   PersonDeceased from every other department (OnDeath: a cremation in affairs, …) → recorded in
//   the enrolment store's death registry (never re-published) and, when the death is new or
//   earlier than the one known, every active enrolment part of the person ends with reason
//   DEATH, effective the month after death (EnrolmentStore::EndForDeath), emitting
//   EnrolmentEnded;
//   PersonMovedOut from the exchange (公安's move out of the county) → every active enrolment part
//   of the person ends with reason MOVED_AWAY, effective the month after the move
//   (EnrolmentStore::EndForMoveOut), emitting EnrolmentEnded; the consumer's inbox applies each
//   event once.
void RegisterEventHandlers(EventConsumer* consumer, EnrolmentStore* enrolments,
                           Clock clock = SystemClock());

}  // namespace civil::assistance
