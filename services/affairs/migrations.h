// The affairs schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::affairs {

// Every migration of the affairs database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::affairs
