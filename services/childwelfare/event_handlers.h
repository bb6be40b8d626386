// What the child-welfare department does with other departments' events.
#pragma once

#include "services/childwelfare/child_store.h"
#include "services/common/deaths.h"
#include "services/common/events.h"

namespace civil::childwelfare {

// Subscribes childwelfare to PersonDeceased from every other department through the kit's death
// registry (services/common/deaths.h): a first report of a death, or an earlier date, stops the
// child's allowance after the month of death; and to PersonMovedOut from the exchange (公安's
// move of the household registration out of the county): every running case of the child stops
// from the month after the move with reason MOVED_OUT, its history kept, once per event (the
// consumer's inbox; a stopped case is left alone, so the same move again changes nothing). An
// unreadable `moved_out_on` is INVALID_ARGUMENT (the consumer dead-letters it).
void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths, ChildStore* children);

}  // namespace civil::childwelfare
