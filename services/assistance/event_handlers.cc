#include "services/assistance/event_handlers.h"

#include "services/common/id_number.h"
#include "services/common/log.h"

namespace civil::assistance {

void RegisterEventHandlers(EventConsumer* consumer, EnrolmentStore* enrolments) {
  consumer->On<civil::events::v1::PersonDeceased>(
      "affairs",
      [enrolments](pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
                   const civil::events::v1::PersonDeceased& death) -> absl::Status {
        absl::StatusOr<absl::CivilDay> died = ParseDay(death.date_of_death());
        if (!died.ok()) return absl::InvalidArgumentError("date_of_death unreadable");
        absl::StatusOr<int> ended =
            enrolments->EndForDeath(txn, envelope.subject_index(), *died, Today());
        if (!ended.ok()) return ended.status();
        Log(LogLevel::kInfo, "death applied",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"enrolments", static_cast<int64_t>(*ended)}});
        return absl::OkStatus();
      });
}

}  // namespace civil::assistance
