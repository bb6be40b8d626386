// What the elderly-care department does with other departments' events.
#pragma once

#include "services/common/events.h"
#include "services/eldercare/allowance_store.h"

namespace civil::eldercare {

// Subscribes eldercare to PersonDeceased from affairs (a cremation record) and from assistance
// (when it reports a death): the person's 高龄津贴 stops after the month of death.
void RegisterEventHandlers(EventConsumer* consumer, AllowanceStore* allowances);

}  // namespace civil::eldercare
