// The assistance schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::assistance {

// Every migration of the assistance database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::assistance
