#include "services/exchange/event_handlers.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "services/exchange/subscription.h"

namespace civil::exchange {

namespace {

using civil::events::v1::Envelope;

// Queues the event for its subscribers.
absl::Status Notify(pqxx::transaction_base& txn, const Envelope& envelope,
                    const google::protobuf::Message& payload, const std::string& region_code) {
  std::optional<std::string> type = ChangeTypeOf(envelope.type());
  if (!type) return absl::OkStatus();
  Change change;
  change.event_id = envelope.event_id();
  change.type = *type;
  change.source = envelope.source();
  change.occurred_at = google::protobuf::util::TimeUtil::ToString(envelope.occurred_at());
  change.region_code = region_code;
  change.subject_masked = envelope.subject_masked();
  if (!google::protobuf::util::MessageToJsonString(payload, &change.payload_json).ok()) {
    return absl::InternalError("subscriptions: event payload not printable as JSON");
  }
  SubscriptionStore::Queue(txn, change);
  return absl::OkStatus();
}

template <typename Payload>
void NotifyOn(EventConsumer& consumer, const std::string& source) {
  consumer.On<Payload>(
      source, [](pqxx::transaction_base& txn, const Envelope& envelope, const Payload& payload) {
        return Notify(txn, envelope, payload, payload.region_code());
      });
}

}  // namespace

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths) {
  // Another department's death: recorded, and notified once per death (its first report or an
  // earlier date), however many departments report it.
  OnDeathReport(*consumer, *deaths,
                [](pqxx::transaction_base& txn, const RecordedDeath&, const Envelope& envelope,
                   const civil::events::v1::PersonDeceased& report) {
                  return Notify(txn, envelope, report, report.region_code());
                });
  NotifyOn<civil::events::v1::EnrolmentStarted>(*consumer, "assistance");
  NotifyOn<civil::events::v1::EnrolmentEnded>(*consumer, "assistance");
  NotifyOn<civil::events::v1::EnrolmentReinstated>(*consumer, "assistance");
  NotifyOn<civil::events::v1::DisabilitySubsidyStopped>(*consumer, "affairs");
  NotifyOn<civil::events::v1::DisabilitySubsidyResumed>(*consumer, "affairs");
  // The exchange's own facts: a death it publishes is one the platform did not know (the
  // registry emits only a first report or an earlier date), a move out is published once.
  NotifyOn<civil::events::v1::PersonDeceased>(*consumer, "exchange");
  NotifyOn<civil::events::v1::PersonMovedOut>(*consumer, "exchange");
}

}  // namespace civil::exchange
