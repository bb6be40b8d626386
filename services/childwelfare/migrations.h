// The childwelfare schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::childwelfare {

// Every migration of the childwelfare database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::childwelfare
