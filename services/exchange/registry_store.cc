#include "services/exchange/registry_store.h"

#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/store_util.h"

namespace civil::exchange {

RegistryStore::RegistryStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("registry_search_log",
                 "INSERT INTO registry_searches (caller, caller_scope, subject_index, "
                 "subject_masked, as_of, found, answered, unknown) VALUES ($1, $2, $3, $4, "
                 "$5::date, $6, $7::text[], $8::text[]) RETURNING search_id::text");
}

absl::StatusOr<std::string> RegistryStore::Log(const SearchLogEntry& entry) {
  std::string id;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    id = txn.exec_prepared1("registry_search_log", entry.caller, entry.caller_scope,
                            entry.subject_index, entry.subject_masked, FormatDay(entry.as_of),
                            entry.found, ArrayLiteral(entry.answered),
                            ArrayLiteral(entry.unknown))[0]
             .as<std::string>();
    return absl::OkStatus();
  }));
  return id;
}

}  // namespace civil::exchange
