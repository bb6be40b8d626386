#include "services/affairs/event_handlers.h"

#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/values.h"

namespace civil::affairs {

void RegisterEventHandlers(EventConsumer* consumer, DisabilityStore* disability,
                           DeathRegistry* deaths, std::vector<DeathHook> death_hooks, Clock clock) {
  if (deaths != nullptr) {
    OnDeath(*consumer, *deaths,
            [hooks = std::move(death_hooks)](pqxx::transaction_base& txn,
                                             const RecordedDeath& death) -> absl::Status {
              return RunDeathHooks(txn, hooks, DeathFromRegistry(death, "event:PersonDeceased"));
            });
  }
  consumer->On<civil::events::v1::EnrolmentEnded>(
      "assistance",
      [disability, clock](pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
                          const civil::events::v1::EnrolmentEnded& ended) -> absl::Status {
        if (ended.programme() != "PROGRAMME_DIBAO") return absl::OkStatus();
        absl::StatusOr<absl::CivilMonth> month = ParseMonth(ended.effective_month());
        if (!month.ok()) return absl::InvalidArgumentError("effective_month unreadable");
        absl::StatusOr<int> stopped =
            disability->OnDibaoEnded(txn, envelope.subject_index(), envelope.subject_masked(),
                                     *month, clock(), "left 低保 (" + ended.reason() + ")");
        if (!stopped.ok()) return stopped.status();
        Log(LogLevel::kInfo, "dibao exit applied",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"subsidies_stopped", static_cast<int64_t>(*stopped)}});
        return absl::OkStatus();
      });
}

}  // namespace civil::affairs
