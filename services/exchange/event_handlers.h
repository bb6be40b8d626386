// What the exchange does with other departments' events: every department's PersonDeceased (a
// cremation in affairs, a 低保 exit for death in assistance, …) is recorded in the exchange's own
// death registry, so that a later notice of the same death is a DUPLICATE (or a CONFLICT when
// its date differs) and never a second death. The exchange pays nothing, so nothing is applied.
#pragma once

#include "services/common/deaths.h"
#include "services/common/events.h"

namespace civil::exchange {

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths);

}  // namespace civil::exchange
