// The socialorg schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::socialorg {

// Every migration of the socialorg database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::socialorg
