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
  // The federation's certificate events, received by the exchange: recorded, and a revocation or
  // a grade that no longer qualifies stops the subsidy from the month after.
  consumer->On<civil::events::v1::DisabilityCertificateChanged>(
      "exchange",
      [disability, clock](
          pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
          const civil::events::v1::DisabilityCertificateChanged& changed) -> absl::Status {
        absl::StatusOr<absl::CivilDay> day = ParseDay(changed.event_date());
        if (!day.ok()) return absl::InvalidArgumentError("event_date unreadable");
        FederationCertificate certificate;
        certificate.id_index = envelope.subject_index();
        certificate.id_masked = envelope.subject_masked();
        certificate.certificate_number = changed.certificate_number();
        certificate.category = changed.category();
        certificate.change.revoked = changed.event() == "REVOKED";
        certificate.change.grade = changed.grade();
        certificate.change.event_date = *day;
        certificate.event_id = envelope.event_id();
        absl::StatusOr<int> closed = disability->OnCertificateChanged(txn, certificate, clock());
        if (!closed.ok()) return closed.status();
        Log(LogLevel::kInfo, "disability certificate applied",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"event", absl::string_view(changed.event())},
             {"subsidies_closed", static_cast<int64_t>(*closed)}});
        return absl::OkStatus();
      });
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
  consumer->On<civil::events::v1::EnrolmentReinstated>(
      "assistance",
      [disability, clock](
          pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
          const civil::events::v1::EnrolmentReinstated& reinstated) -> absl::Status {
        if (reinstated.programme() != "PROGRAMME_DIBAO") return absl::OkStatus();
        absl::StatusOr<absl::CivilMonth> month = ParseMonth(reinstated.effective_month());
        if (!month.ok()) return absl::InvalidArgumentError("effective_month unreadable");
        absl::StatusOr<Reinstatement> resumed = disability->OnDibaoReinstated(
            txn,
            {.id_index = envelope.subject_index(),
             .id_masked = envelope.subject_masked(),
             .effective = *month,
             .reason = "back in 低保 (grievance " + reinstated.grievance_id() + ")",
             .event_id = envelope.event_id()},
            clock());
        if (!resumed.ok()) return resumed.status();
        Log(LogLevel::kInfo, "dibao reinstatement applied",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"subsidies_resumed", static_cast<int64_t>(resumed->resumed)},
             {"back_paid_months", static_cast<int64_t>(resumed->back_paid_months)},
             {"back_paid_fen", resumed->back_paid_fen}});
        return absl::OkStatus();
      });
  // Public security's move out of the county, received by the exchange: every subsidy stops from
  // the month after the move.
  consumer->On<civil::events::v1::PersonMovedOut>(
      "exchange",
      [disability](pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
                   const civil::events::v1::PersonMovedOut& move) -> absl::Status {
        if (envelope.subject_index().empty()) {
          return absl::InvalidArgumentError("subject_index missing");
        }
        absl::StatusOr<absl::CivilDay> moved = ParseDay(move.moved_out_on());
        if (!moved.ok()) return absl::InvalidArgumentError("moved_out_on unreadable");
        absl::StatusOr<int> closed =
            disability->OnMoveOut(txn, {.id_index = envelope.subject_index(),
                                        .id_masked = envelope.subject_masked(),
                                        .moved_on = *moved,
                                        .record_id = move.record_id(),
                                        .event_id = envelope.event_id()});
        if (!closed.ok()) return closed.status();
        Log(LogLevel::kInfo, "move out applied to the disability subsidies",
            {{"event_id", absl::string_view(envelope.event_id())},
             {"subsidies_closed", static_cast<int64_t>(*closed)}});
        return absl::OkStatus();
      });
}

}  // namespace civil::affairs
