// Rotation of the PII key (CIVIL_PII_KEY): every value sealed under the old key is sealed again
// under the new one, and every blind index computed under the old key is replaced by the new
// key's index of the same value — in every database of the platform, so that a person's index
// still joins across departments (a death registered in one department's registry by the index
// another department computed).
//
// What it rewrites, found by name in each database's public schema (the platform's convention,
// see ../../deploy/RUNBOOK.md "Rotate keys"):
// - sealed values: bytea columns named `*_cipher` or `*_sealed` (PiiProtector::Encrypt);
// - blind indexes: text columns named `*_index` (PiiProtector::BlindIndex).
// An index is mapped through the values the sealed columns hold (old index → new index of the same
// clear value, across all databases); an index of a person no database holds a sealed value for
// (a registry search of a person unknown to the platform, a death notice whose ID number was
// unreadable) cannot be recomputed and is counted as unmapped, left as it is.
//
// The services must be stopped and the outbox drained: an event waiting in an outbox carries
// the old index, so a database with unpublished outbox rows is refused. Each database is
// rewritten in one transaction; a value already sealed under the new key is left alone, so an
// interrupted rotation is finished by running it again. Run it as the databases' owner (the
// services' roles may not update their append-only tables).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pii.h"

namespace civil {

struct PiiRekeyColumn {
  std::string database;  // the DSN's dbname
  std::string table, column;
  bool sealed = false;      // a sealed value (else a blind index)
  int64_t rewritten = 0;    // under the old key, now under the new one
  int64_t already_new = 0;  // already under the new key (sealed), or an index of the new key
  int64_t unmapped = 0;     // indexes no sealed value explains (left as they are)
};

struct PiiRekeyReport {
  std::vector<PiiRekeyColumn> columns;
  int64_t dead_letters = 0;  // events dead-lettered: replayed afterwards they find no one
  bool dry_run = false;
};

// Rewrites the databases `dsns` from `old_key` to `new_key`; with `dry_run` every transaction is
// rolled back and the report says what would change. FAILED_PRECONDITION naming the database when
// its outbox holds unpublished events; DATA_LOSS naming table and column when a value is sealed
// under neither key (nothing is changed then, in any database); UNAVAILABLE when a database
// cannot be reached.
absl::StatusOr<PiiRekeyReport> RekeyPii(const std::vector<std::string>& dsns,
                                        const PiiProtector& old_key, const PiiProtector& new_key,
                                        bool dry_run);

}  // namespace civil
