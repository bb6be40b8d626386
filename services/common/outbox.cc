#include "services/common/outbox.h"

#include <google/protobuf/util/time_util.h>

#include "absl/time/clock.h"
#include "civil/events/v1/events.pb.h"
#include "services/common/log.h"

namespace civil::common {
// Generated from services/common/migrations (cmake/CivilMigrations.cmake).
const std::vector<civil::Migration>& Migrations();
}  // namespace civil::common

namespace civil {

std::string WriteEvent(pqxx::transaction_base& txn, absl::string_view source,
                       const EventSubject& subject, const google::protobuf::Message& payload) {
  civil::events::v1::Envelope envelope;
  const std::string event_id = NewUuid();
  envelope.set_event_id(event_id);
  envelope.set_type(payload.GetDescriptor()->full_name());
  envelope.set_source(std::string(source));
  *envelope.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  envelope.set_subject_index(subject.index);
  envelope.set_subject_masked(subject.masked);
  envelope.set_schema_version(1);
  envelope.mutable_payload()->PackFrom(payload);
  const std::string bytes = envelope.SerializeAsString();
  txn.exec_params("INSERT INTO outbox (event_id, event_type, envelope) VALUES ($1::uuid, $2, $3)",
                  event_id, envelope.type(), pqxx::binarystring(bytes.data(), bytes.size()));
  // Wakes the relay at once instead of waiting for its next poll.
  txn.exec("NOTIFY civil_outbox");
  return event_id;
}

std::vector<Migration> WithCommonMigrations(const std::vector<Migration>& service_migrations) {
  std::vector<Migration> all = service_migrations;
  for (const Migration& m : civil::common::Migrations()) all.push_back(m);
  return all;
}

}  // namespace civil
