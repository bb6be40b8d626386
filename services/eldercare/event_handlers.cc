#include "services/eldercare/event_handlers.h"

#include "services/common/log.h"

namespace civil::eldercare {

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths,
                           AllowanceStore* allowances) {
  OnDeath(*consumer, *deaths,
          [allowances](pqxx::transaction_base& txn, const RecordedDeath& death) -> absl::Status {
            absl::StatusOr<int> stopped =
                allowances->OnDeath(txn, death.subject_index, death.date.day);
            if (!stopped.ok()) return stopped.status();
            Log(LogLevel::kInfo, "death applied to the 高龄津贴",
                {{"source", absl::string_view(death.source)},
                 {"enrolments_stopped", static_cast<int64_t>(*stopped)}});
            return absl::OkStatus();
          });
}

}  // namespace civil::eldercare
