// Deaths: a fact about a person, not about one programme. Every department keeps a registry of
// the deaths it knows (table `death_registry`, a common migration), keyed by the person's blind
// index, and every department learns every other department's deaths through `PersonDeceased`.
//
//   own record (a cremation, a 低保 exit for death)
//     ──► DeathRegistry::RecordOwn in the record's transaction ──► PersonDeceased in the outbox
//         (only when the registry learnt something: a first report or an earlier date)
//   another department's PersonDeceased
//     ──► OnDeath(consumer, registry, apply) ──► RecordReceived in the consumer's transaction
//         (never re-emitted) ──► `apply` with the registry's date (first report or earlier date)
//
// One death however many records report it: the earliest date wins (an earlier date updates the
// registry and is propagated, so consumers stop from the earlier month); a second report of the
// same date changes nothing and emits nothing; two dates that contradict each other are flagged
// as a conflict (column `death_registry.conflict`, metric `civil_death_conflicts_total`, a warning
// in the log), and every report is kept in `death_reports` for the clerk who resolves it.
#pragma once

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "civil/events/v1/events.pb.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/common/events.h"
#include "services/common/pg.h"

namespace civil {

// The departments of the platform, as they name their event sources. Every department subscribes
// to PersonDeceased from each of the others (OnDeath).
const std::vector<std::string>& Departments();

// What one report of a death says about the day.
struct DeathDate {
  absl::CivilDay day;
  // The record knows the person dead by `day`, not the day itself (an assistance exit for death
  // decided that day): any earlier exact date agrees with it.
  bool upper_bound = false;
};

// How a report relates to what the registry holds.
enum class DeathOutcome {
  kFirst,    // nothing recorded: the report is the death
  kSame,     // the recorded day again
  kEarlier,  // an earlier day: it replaces the recorded one
  kLater,    // a later day: the recorded one stays
};
absl::string_view DeathOutcomeName(DeathOutcome outcome);

// The registry's decision on one report (DecideDeath), pure.
struct DeathDecision {
  DeathOutcome outcome = DeathOutcome::kFirst;
  DeathDate recorded;     // what the registry holds after the report
  bool store = false;     // the registry row is written (first, earlier, or a bound made exact)
  bool apply = false;     // benefits stop from the month after `recorded.day` (first or earlier)
  bool emit = false;      // an own record is propagated as PersonDeceased (= apply)
  bool conflict = false;  // this report contradicts the recorded one
  std::string event_id;   // the PersonDeceased RecordOwn wrote (emit), else empty
};

// Decides a report `reported` against the registry's `recorded` death, if any. The earliest day
// wins. Two different days conflict when the later of them is exact (a person known dead by one
// day cannot have died on a later one); an upper bound later than another day agrees with it.
// The same day as an upper bound, now exact, is stored as exact but neither applied nor emitted.
DeathDecision DecideDeath(const std::optional<DeathDate>& recorded, const DeathDate& reported);

// A report of a death by one record.
struct DeathReport {
  std::string subject_index;   // HMAC blind index of the person (the envelope's subject)
  std::string subject_masked;  // 340722********1234
  DeathDate date;
  std::string source;       // department holding the record: "affairs", "assistance", …
  std::string record_kind;  // "CREMATION", "ENROLMENT_EXIT", …
  std::string record_id;    // the record's id in that department
  std::string region_code;  // residence region of the deceased, when known
  std::string event_id;     // the PersonDeceased carrying it (received; set by RecordOwn)
};

// A death as the registry holds it.
struct RecordedDeath {
  std::string subject_index;
  std::string subject_masked;
  DeathDate date;
  std::string source;  // the report that set the date
  std::string record_kind;
  std::string record_id;
  std::string event_id;  // the PersonDeceased that carried that report
  bool conflict = false;
  int reports = 0;
};

// One department's registry of deaths, in its own database (tables `death_registry`,
// `death_reports`). Stateless apart from its name and metrics: thread-safe.
class DeathRegistry {
 public:
  // `department` is the department's event source name. Prepares its statements on `pool` (not
  // owned; the transactions passed in must come from it); `metrics` may be null (no metrics).
  DeathRegistry(std::string department, PgPool* pool, prometheus::Registry* metrics = nullptr);

  const std::string& department() const { return department_; }

  // The department's own record of a death, within the record's transaction: decides, writes
  // the registry and the report, and writes PersonDeceased to the outbox when the decision says
  // emit (report.event_id is then that event's id). `report.source` is set to the department.
  absl::StatusOr<DeathDecision> RecordOwn(pqxx::transaction_base& txn, DeathReport report);

  // Another department's PersonDeceased, within the consumer's transaction: decides and writes,
  // never emits. INVALID_ARGUMENT when the date is unreadable.
  absl::StatusOr<DeathDecision> RecordReceived(pqxx::transaction_base& txn,
                                               const civil::events::v1::Envelope& envelope,
                                               const civil::events::v1::PersonDeceased& death);

  // The death recorded for `subject_index`, or nullopt.
  std::optional<RecordedDeath> Find(pqxx::transaction_base& txn,
                                    const std::string& subject_index) const;

  // Deaths flagged as conflicting, in registry order, after registry position `after`, at most
  // `limit`; `*next` is the position to continue from (0 at the end).
  std::vector<RecordedDeath> Conflicts(pqxx::transaction_base& txn, int64_t after, int limit,
                                       int64_t* next) const;

  // The reports of one person's death, in the order received.
  struct StoredReport {
    DeathReport report;
    DeathOutcome outcome;
    bool conflict;
  };
  std::vector<StoredReport> Reports(pqxx::transaction_base& txn,
                                    const std::string& subject_index) const;

 private:
  absl::StatusOr<DeathDecision> Record(pqxx::transaction_base& txn, DeathReport& report, bool own);

  std::string department_;
  prometheus::Family<prometheus::Counter>* reports_ = nullptr;
  prometheus::Counter* conflicts_ = nullptr;
};

// Applies a death to a department's records (stops its benefits after the month of death), in
// the transaction that recorded it. Called with the registry's death when a report is the first
// or moves the date earlier.
using DeathHandler =
    std::function<absl::Status(pqxx::transaction_base& txn, const RecordedDeath& death)>;

// Subscribes `consumer` to PersonDeceased from every other department (Departments()): each is
// recorded in `registry` (not re-emitted) and, when it is new or earlier, applied by `handler`.
void OnDeath(EventConsumer& consumer, DeathRegistry& registry, DeathHandler handler);

// The same, for a handler that also reads the event that brought the death (its envelope and
// report: the region, the record): the exchange's subscriptions notify from it.
using DeathReportHandler = std::function<absl::Status(
    pqxx::transaction_base& txn, const RecordedDeath& death,
    const civil::events::v1::Envelope& envelope, const civil::events::v1::PersonDeceased& report)>;
void OnDeathReport(EventConsumer& consumer, DeathRegistry& registry, DeathReportHandler handler);

}  // namespace civil
