// The eldercare schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::eldercare {

// Every migration of the eldercare database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::eldercare
