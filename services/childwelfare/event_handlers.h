// What the child-welfare department does with other departments' events.
#pragma once

#include "services/childwelfare/child_store.h"
#include "services/common/deaths.h"
#include "services/common/events.h"

namespace civil::childwelfare {

// Subscribes childwelfare to PersonDeceased from every other department through the kit's death
// registry (services/common/deaths.h): a first report of a death, or an earlier date, stops the
// child's allowance after the month of death.
void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths, ChildStore* children);

}  // namespace civil::childwelfare
