// The report schema, compiled from migrations/*.sql (see cmake/CivilMigrations.cmake).
#pragma once

#include <vector>

#include "services/common/migrate.h"

namespace civil::report {

// Every migration of the report database, in version order.
const std::vector<civil::Migration>& Migrations();

}  // namespace civil::report
