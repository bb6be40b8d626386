#include "services/eldercare/event_handlers.h"

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
}

}  // namespace civil::eldercare
