#include "services/assistance/event_handlers.h"

#include "services/common/clock.h"
#include "services/common/deaths.h"
#include "services/common/id_number.h"
#include "services/common/log.h"

namespace civil::assistance {

void RegisterEventHandlers(EventConsumer* consumer, EnrolmentStore* enrolments, Clock clock) {
  OnDeath(
      *consumer, enrolments->deaths(),
      [enrolments, clock](pqxx::transaction_base& txn, const RecordedDeath& death) -> absl::Status {
        absl::StatusOr<int> ended =
            enrolments->EndForDeath(txn, death.subject_index, death.date.day, clock());
        if (!ended.ok()) return ended.status();
        Log(LogLevel::kInfo, "death applied",
            {{"source", absl::string_view(death.source)},
             {"record_kind", absl::string_view(death.record_kind)},
             {"enrolments", static_cast<int64_t>(*ended)}});
        return absl::OkStatus();
      });
  consumer->On<civil::events::v1::PersonMovedOut>(
      "exchange",
      [enrolments, clock](pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
                          const civil::events::v1::PersonMovedOut& move) -> absl::Status {
        absl::StatusOr<absl::CivilDay> moved = ParseDay(move.moved_out_on());
        if (!moved.ok()) return absl::InvalidArgumentError("moved_out_on unreadable");
        absl::StatusOr<int> ended =
            enrolments->EndForMoveOut(txn, envelope.subject_index(), *moved, clock());
        if (!ended.ok()) return ended.status();
        Log(LogLevel::kInfo, "move out applied",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"enrolments", static_cast<int64_t>(*ended)}});
        return absl::OkStatus();
      });
}

}  // namespace civil::assistance
