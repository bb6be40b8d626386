// Kept for the includes of programme_service.h: the report figures of temporary relief, mutual
// aid, outreach, audits and reviews live in relief_figures_store.h. Include that instead.
#pragma once

#include "services/assistance/relief_figures_store.h"
