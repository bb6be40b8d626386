// What the exchange does with other departments' events:
// - every department's PersonDeceased (a cremation in affairs, a 低保 exit for death in
//   assistance, …) is recorded in the exchange's own death registry, so that a later notice of
//   the same death is a DUPLICATE (or a CONFLICT when its date differs) and never a second death;
// - the changes external systems subscribe to (subscription.h's ChangeTypes: assistance's
//   enrolments, affairs' disability subsidies, deaths once per death, the exchange's own moves
//   out and deaths) are queued for every subscription that covers them, in the consumer's
//   transaction, so a redelivered event queues nothing twice.
// The exchange pays nothing, so nothing else is applied.
#pragma once

#include "services/common/deaths.h"
#include "services/common/events.h"
#include "services/exchange/subscription_store.h"

namespace civil::exchange {

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths);

}  // namespace civil::exchange
