// The exchange schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::exchange {

// Every migration of the exchange database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::exchange
