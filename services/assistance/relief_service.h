// Kept for the includes of programme_service.cc: ReliefSummaryLines lives in
// relief_figures_service.h. Include that instead.
#pragma once

#include "services/assistance/relief_figures_service.h"
