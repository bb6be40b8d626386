#include "services/eldercare/event_handlers.h"

#include "services/common/id_number.h"
#include "services/common/log.h"

namespace civil::eldercare {

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths,
                           AllowanceStore* allowances, HomeCareStore* homecare) {
  OnDeath(
      *consumer, *deaths,
      [allowances, homecare](pqxx::transaction_base& txn,
                             const RecordedDeath& death) -> absl::Status {
        absl::StatusOr<int> stopped = allowances->OnDeath(txn, death.subject_index, death.date.day);
        if (!stopped.ok()) return stopped.status();
        absl::StatusOr<int> subsidies = homecare->OnDeath(txn, death.subject_index, death.date.day);
        if (!subsidies.ok()) return subsidies.status();
        Log(LogLevel::kInfo, "death applied to the 高龄津贴 and 居家养老服务补贴",
            {{"source", absl::string_view(death.source)},
             {"enrolments_stopped", static_cast<int64_t>(*stopped)},
             {"subsidies_stopped", static_cast<int64_t>(*subsidies)}});
        return absl::OkStatus();
      });
  consumer->On<civil::events::v1::PersonMovedOut>(
      "exchange",
      [allowances, homecare](pqxx::transaction_base& txn,
                             const civil::events::v1::Envelope& envelope,
                             const civil::events::v1::PersonMovedOut& move) -> absl::Status {
        absl::StatusOr<absl::CivilDay> moved = ParseDay(move.moved_out_on());
        if (!moved.ok()) return absl::InvalidArgumentError("moved_out_on unreadable");
        absl::StatusOr<int> stopped = allowances->OnMoveOut(txn, envelope.subject_index(), *moved);
        if (!stopped.ok()) return stopped.status();
        absl::StatusOr<int> subsidies = homecare->OnMoveOut(txn, envelope.subject_index(), *moved);
        if (!subsidies.ok()) return subsidies.status();
        Log(LogLevel::kInfo, "move out applied to the 高龄津贴 and 居家养老服务补贴",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"enrolments_stopped", static_cast<int64_t>(*stopped)},
             {"subsidies_stopped", static_cast<int64_t>(*subsidies)}});
        return absl::OkStatus();
      });
}

}  // namespace civil::eldercare
