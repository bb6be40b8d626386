#include "services/eldercare/event_handlers.h"

#include "services/common/id_number.h"
#include "services/common/log.h"

namespace civil::eldercare {

void RegisterEventHandlers(EventConsumer* consumer, AllowanceStore* allowances) {
  for (const char* source : {"affairs", "assistance"}) {
    consumer->On<civil::events::v1::PersonDeceased>(
        source,
        [allowances](pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
                     const civil::events::v1::PersonDeceased& death) -> absl::Status {
          absl::StatusOr<absl::CivilDay> died = ParseDay(death.date_of_death());
          if (!died.ok()) return absl::InvalidArgumentError("date_of_death unreadable");
          absl::StatusOr<int> stopped =
              allowances->OnDeath(txn, envelope.subject_index(), *died, death.cremation_id());
          if (!stopped.ok()) return stopped.status();
          Log(LogLevel::kInfo, "death applied to the 高龄津贴",
              {{"event_id", absl::string_view(envelope.event_id())},
               {"enrolments_stopped", static_cast<int64_t>(*stopped)}});
          return absl::OkStatus();
        });
  }
}

}  // namespace civil::eldercare
