#include "services/childwelfare/event_handlers.h"

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"
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
  consumer->On<civil::events::v1::PersonMovedOut>(
      "exchange",
      [children](pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
                 const civil::events::v1::PersonMovedOut& move) -> absl::Status {
        absl::StatusOr<absl::CivilDay> moved = ParseDay(move.moved_out_on());
        if (!moved.ok()) return absl::InvalidArgumentError("moved_out_on unreadable");
        const std::string note =
            absl::StrCat("moved out of the county on ", FormatDay(*moved),
                         move.destination().empty() ? "" : absl::StrCat(" to ", move.destination()),
                         " (public security, exchange record ", move.record_id(), ")");
        absl::StatusOr<int> stopped =
            children->OnMoveOut(txn, envelope.subject_index(), *moved, note);
        if (!stopped.ok()) return stopped.status();
        Log(LogLevel::kInfo, "move out applied to the child allowance",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"cases_stopped", static_cast<int64_t>(*stopped)}});
        return absl::OkStatus();
      });
}

}  // namespace civil::childwelfare
