// The database roles a department runs as, so that the audit trail is the database's guarantee,
// not a habit of the code: migrations run as the owner (the role of CIVIL_<DEPT>_PG_DSN), the
// service itself connects as `<database>_app`, which may read and write the department's tables
// but never UPDATE, DELETE or TRUNCATE the append-only ones (history, payments, reports of
// deaths): a bug, an injected statement or a compromised process cannot rewrite what happened.
//
// And durability: a service refuses to start against a server that may lose acknowledged
// writes (fsync, synchronous_commit or full_page_writes off) unless told that this is a
// development or test server.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace civil {

// Tables of the kit's own schema that only ever grow.
const std::vector<std::string>& KitAppendOnlyTables();

// As the owner (`owner_dsn`, a key=value connection string): creates the role `<database>_app`
// when it does not exist (LOGIN, no superuser, no inheritance), grants it what a service needs on
// every table, sequence and function of the schema, and revokes UPDATE, DELETE and TRUNCATE on
// `append_only` (tables that do not exist are an error: FAILED_PRECONDITION naming them). Safe to
// run by several processes at once (an advisory lock). Returns the service's connection string:
// `owner_dsn` with `user=<database>_app`. UNAVAILABLE when PostgreSQL cannot be reached.
absl::StatusOr<std::string> PrepareAppRole(const std::string& owner_dsn,
                                           const std::vector<std::string>& append_only);

// FAILED_PRECONDITION naming the settings when fsync, synchronous_commit or full_page_writes is
// off on the server of `dsn`, unless `allow_unsafe` (CIVIL_PG_ALLOW_UNSAFE_DURABILITY).
absl::Status CheckDurability(const std::string& dsn, bool allow_unsafe);

}  // namespace civil
