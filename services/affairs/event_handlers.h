// What the social affairs department does with other departments' events.
#pragma once

#include <vector>

#include "services/affairs/death.h"
#include "services/affairs/disability_store.h"
#include "services/common/clock.h"
#include "services/common/deaths.h"
#include "services/common/events.h"

namespace civil::affairs {

// Subscribes affairs to:
//   assistance EnrolmentEnded of 低保 → the person's living subsidy (困难残疾人生活补贴, which
//   requires 低保) stops from the first month no longer covered by 低保;
//   exchange DisabilityCertificateChanged (残联) → the person's federation certificate recorded
//   (type and grade followed when registered); a revocation stops every subsidy, a grade above 2
//   the care subsidy, from the month after the event;
//   assistance EnrolmentReinstated of 低保 (an exit reversed by an upheld grievance) → the
//   living subsidy that exit stopped resumes, and the months a run passed while it was stopped
//   are paid back once (OnDibaoReinstated);
//   exchange PersonMovedOut (public security: the registration moved out of the county) → every
//   subsidy of the person stops from the month after the move, pending ones are rejected
//   (OnMoveOut);
//   when `deaths` is given, PersonDeceased from every other department (OnDeath: a 低保 exit for
//   death in assistance, …) → recorded in the registry, and when the death is new or earlier,
//   `death_hooks` run from its date, as for a cremation: the subsidies stop after the month of
//   death and the marriage ends on the date of death.
void RegisterEventHandlers(EventConsumer* consumer, DisabilityStore* disability,
                           DeathRegistry* deaths = nullptr, std::vector<DeathHook> death_hooks = {},
                           Clock clock = SystemClock());

}  // namespace civil::affairs
