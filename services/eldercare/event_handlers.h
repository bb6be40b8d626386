// What the elderly-care department does with other departments' events.
#pragma once

#include "services/common/deaths.h"
#include "services/common/events.h"
#include "services/eldercare/allowance_store.h"
#include "services/eldercare/homecare_store.h"

namespace civil::eldercare {

// Subscribes eldercare to PersonDeceased from every other department through the kit's death
// registry (services/common/deaths.h): a first report of a death, or an earlier date, stops the
// person's 高龄津贴 and 居家养老服务补贴 after the month of death, in one transaction; and to
// PersonMovedOut from the exchange (公安's move out of the county): both stop from the month after
// the move (居家养老 with reason MOVED_OUT), once per event (the consumer's inbox).
void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths,
                           AllowanceStore* allowances, HomeCareStore* homecare);

}  // namespace civil::eldercare
