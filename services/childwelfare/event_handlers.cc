#include "services/childwelfare/event_handlers.h"

#include "services/common/log.h"

namespace civil::childwelfare {

void RegisterEventHandlers(EventConsumer* consumer, DeathRegistry* deaths, ChildStore* children) {
  OnDeath(*consumer, *deaths,
          [children](pqxx::transaction_base& txn, const RecordedDeath& death) -> absl::Status {
            absl::StatusOr<int> stopped =
                children->OnDeath(txn, death.subject_index, death.date.day);
            if (!stopped.ok()) return stopped.status();
            Log(LogLevel::kInfo, "death applied to the child allowance",
                {{"source", absl::string_view(death.source)},
                 {"cases_stopped", static_cast<int64_t>(*stopped)}});
            return absl::OkStatus();
          });
}

}  // namespace civil::childwelfare
