// Writing events: the producer side of the inter-department exchange. An event is written into
// the service's `outbox` table in the same transaction as the change it reports, so it is
// published if and only if the change commits (the relay that publishes it lives apart).
#pragma once

#include <google/protobuf/message.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/migrate.h"

namespace civil {

// The person an event is about, without the clear ID number.
struct EventSubject {
  std::string index;   // HMAC blind index (PiiProtector::BlindIndex)
  std::string masked;  // 340722********1234
};

// Inserts an Envelope{type, source, occurred_at = now, subject, payload} into `outbox` within
// `txn` and returns its event id. Throws what libpqxx throws (the caller's transaction helper maps
// it).
std::string WriteEvent(pqxx::transaction_base& txn, absl::string_view source,
                       const EventSubject& subject, const google::protobuf::Message& payload);

// The common runtime's migrations (outbox, inbox), versions 9000 and up; a service applies them
// together with its own: ApplyMigrations(dsn, name, WithCommonMigrations(Migrations())).
std::vector<Migration> WithCommonMigrations(const std::vector<Migration>& service_migrations);

}  // namespace civil
