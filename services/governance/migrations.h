// The governance schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::governance {

// Every migration of the governance database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::governance
