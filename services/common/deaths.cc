#include "services/common/deaths.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/outbox.h"

namespace civil {
namespace {

constexpr char kDeathColumns[] =
    "subject_index, subject_masked, date_of_death::text, upper_bound, source, record_kind, "
    "record_id, coalesce(event_id::text, ''), conflict, reports, seq";

RecordedDeath DeathFromRow(const pqxx::row& row) {
  RecordedDeath d;
  d.subject_index = row[0].as<std::string>();
  d.subject_masked = row[1].as<std::string>();
  d.date.day = ParseDay(row[2].as<std::string>()).value_or(absl::CivilDay());
  d.date.upper_bound = row[3].as<bool>();
  d.source = row[4].as<std::string>();
  d.record_kind = row[5].as<std::string>();
  d.record_id = row[6].as<std::string>();
  d.event_id = row[7].as<std::string>();
  d.conflict = row[8].as<bool>();
  d.reports = row[9].as<int>();
  return d;
}

std::optional<std::string> OrNullText(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

const std::vector<std::string>& Departments() {
  static const std::vector<std::string>* departments = new std::vector<std::string>{
      "assistance", "eldercare", "childwelfare", "governance", "socialorg", "affairs",
      // The exchange publishes the deaths other departments' systems report (公安, 卫健).
      "exchange"};
  return *departments;
}

absl::string_view DeathOutcomeName(DeathOutcome outcome) {
  switch (outcome) {
    case DeathOutcome::kFirst:
      return "FIRST";
    case DeathOutcome::kSame:
      return "SAME";
    case DeathOutcome::kEarlier:
      return "EARLIER";
    case DeathOutcome::kLater:
      return "LATER";
  }
  return "";
}

DeathDecision DecideDeath(const std::optional<DeathDate>& recorded, const DeathDate& reported) {
  DeathDecision d;
  if (!recorded) {
    d.outcome = DeathOutcome::kFirst;
    d.recorded = reported;
    d.store = d.apply = d.emit = true;
    return d;
  }
  if (reported.day == recorded->day) {
    d.outcome = DeathOutcome::kSame;
    d.recorded = *recorded;
    // A bound confirmed as the exact day: the registry learns the day is exact, nothing stops
    // earlier, so nothing is applied or propagated.
    if (recorded->upper_bound && !reported.upper_bound) {
      d.recorded.upper_bound = false;
      d.store = true;
    }
    return d;
  }
  if (reported.day < recorded->day) {
    d.outcome = DeathOutcome::kEarlier;
    d.recorded = reported;
    d.store = d.apply = d.emit = true;
    // The recorded day was exact: the person cannot have died on it and earlier too.
    d.conflict = !recorded->upper_bound;
    return d;
  }
  d.outcome = DeathOutcome::kLater;
  d.recorded = *recorded;
  // An exact day after the day the person was known dead by (or died on) contradicts it; a later
  // upper bound agrees.
  d.conflict = !reported.upper_bound;
  return d;
}

DeathRegistry::DeathRegistry(std::string department, PgPool* pool, prometheus::Registry* metrics)
    : department_(std::move(department)) {
  if (metrics != nullptr) {
    reports_ = &prometheus::BuildCounter()
                    .Name("civil_death_reports_total")
                    .Help("Reports of a death recorded in the registry, by origin and outcome")
                    .Register(*metrics);
    conflicts_ = &prometheus::BuildCounter()
                      .Name("civil_death_conflicts_total")
                      .Help("Reports of a death whose date contradicts the recorded one")
                      .Register(*metrics)
                      .Add({});
  }
  pool->Prepare("civil_death_find", absl::StrCat("SELECT ", kDeathColumns,
                                                 " FROM death_registry WHERE subject_index = $1"));
  pool->Prepare("civil_death_lock",
                absl::StrCat("SELECT ", kDeathColumns,
                             " FROM death_registry WHERE subject_index = $1 FOR UPDATE"));
  pool->Prepare("civil_death_subject_lock",
                "SELECT pg_advisory_xact_lock(hashtextextended('civil.deaths:' || $1, 0))");
  pool->Prepare(
      "civil_death_insert",
      "INSERT INTO death_registry (subject_index, subject_masked, date_of_death, upper_bound, "
      "source, record_kind, record_id, event_id) VALUES ($1, $2, $3::date, $4, $5, $6, "
      "$7, $8::uuid) ON CONFLICT (subject_index) DO NOTHING RETURNING seq");
  pool->Prepare(
      "civil_death_update",
      "UPDATE death_registry SET date_of_death = $2::date, upper_bound = $3, source = $4, "
      "record_kind = $5, record_id = $6, event_id = coalesce($7::uuid, event_id), "
      "conflict = conflict OR $8, reports = reports + 1, updated_at = now() "
      "WHERE subject_index = $1");
  pool->Prepare(
      "civil_death_count_report",
      "UPDATE death_registry SET conflict = conflict OR $2, reports = reports + 1, updated_at = "
      "now() WHERE subject_index = $1");
  pool->Prepare("civil_death_report_insert",
                "INSERT INTO death_reports (subject_index, date_of_death, upper_bound, source, "
                "record_kind, record_id, region_code, event_id, outcome, conflict) VALUES ($1, "
                "$2::date, $3, $4, $5, $6, $7, $8::uuid, $9, $10)");
  pool->Prepare(
      "civil_death_conflicts",
      absl::StrCat("SELECT ", kDeathColumns,
                   " FROM death_registry WHERE conflict AND seq > $1 ORDER BY seq LIMIT $2"));
  pool->Prepare("civil_death_reports_of",
                "SELECT subject_index, date_of_death::text, upper_bound, source, record_kind, "
                "record_id, region_code, coalesce(event_id::text, ''), outcome, conflict FROM "
                "death_reports WHERE subject_index = $1 ORDER BY report_id");
}

absl::StatusOr<DeathDecision> DeathRegistry::RecordOwn(pqxx::transaction_base& txn,
                                                       DeathReport report) {
  report.source = department_;
  report.event_id.clear();
  return Record(txn, report, /*own=*/true);
}

absl::StatusOr<DeathDecision> DeathRegistry::RecordReceived(
    pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope,
    const civil::events::v1::PersonDeceased& death) {
  absl::StatusOr<absl::CivilDay> day = ParseDay(death.date_of_death());
  if (!day.ok()) return absl::InvalidArgumentError("date_of_death unreadable");
  if (envelope.subject_index().empty()) return absl::InvalidArgumentError("subject missing");
  DeathReport report;
  report.subject_index = envelope.subject_index();
  report.subject_masked = envelope.subject_masked();
  report.date = DeathDate{*day, death.date_is_upper_bound()};
  report.source = envelope.source();
  // Events from before record_kind existed are cremations.
  report.record_kind = death.record_kind().empty() ? "CREMATION" : death.record_kind();
  report.record_id = death.record_id().empty() ? death.cremation_id() : death.record_id();
  report.region_code = death.region_code();
  report.event_id = envelope.event_id();
  return Record(txn, report, /*own=*/false);
}

absl::StatusOr<DeathDecision> DeathRegistry::Record(pqxx::transaction_base& txn,
                                                    DeathReport& report, bool own) {
  // Reports of one person wait for each other (also a first report, which has no row to lock):
  // under read committed the row read after the lock is the one the previous report committed.
  txn.exec_prepared("civil_death_subject_lock", report.subject_index);
  std::optional<DeathDate> recorded;
  pqxx::result current = txn.exec_prepared("civil_death_lock", report.subject_index);
  if (!current.empty()) recorded = DeathFromRow(current[0]).date;
  DeathDecision decision = DecideDeath(recorded, report.date);
  if (!own) decision.emit = false;
  if (decision.emit) {
    civil::events::v1::PersonDeceased event;
    event.set_date_of_death(FormatDay(report.date.day));
    if (report.record_kind == "CREMATION") event.set_cremation_id(report.record_id);
    event.set_region_code(report.region_code);
    event.set_record_kind(report.record_kind);
    event.set_record_id(report.record_id);
    event.set_date_is_upper_bound(report.date.upper_bound);
    report.event_id = WriteEvent(txn, department_,
                                 EventSubject{report.subject_index, report.subject_masked}, event);
    decision.event_id = report.event_id;
  }
  if (decision.outcome == DeathOutcome::kFirst) {
    pqxx::result inserted =
        txn.exec_prepared("civil_death_insert", report.subject_index, report.subject_masked,
                          FormatDay(report.date.day), report.date.upper_bound, report.source,
                          report.record_kind, report.record_id, OrNullText(report.event_id));
    // Only a writer that bypassed the lock gets here; the caller's transaction is run again.
    if (inserted.empty()) return absl::AbortedError("deaths: concurrent first report");
  } else if (decision.store) {
    txn.exec_prepared("civil_death_update", report.subject_index, FormatDay(decision.recorded.day),
                      decision.recorded.upper_bound, report.source, report.record_kind,
                      report.record_id, OrNullText(report.event_id), decision.conflict);
  } else {
    txn.exec_prepared("civil_death_count_report", report.subject_index, decision.conflict);
  }
  txn.exec_prepared("civil_death_report_insert", report.subject_index, FormatDay(report.date.day),
                    report.date.upper_bound, report.source, report.record_kind, report.record_id,
                    report.region_code, OrNullText(report.event_id),
                    std::string(DeathOutcomeName(decision.outcome)), decision.conflict);
  if (reports_ != nullptr) {
    reports_
        ->Add({{"origin", own ? "own" : "received"},
               {"outcome", std::string(DeathOutcomeName(decision.outcome))}})
        .Increment();
  }
  if (decision.conflict) {
    if (conflicts_ != nullptr) conflicts_->Increment();
    Log(LogLevel::kWarn, "death reports conflict",
        {{"subject", absl::string_view(report.subject_masked)},
         {"reported", absl::string_view(FormatDay(report.date.day))},
         {"recorded", absl::string_view(FormatDay(decision.recorded.day))},
         {"source", absl::string_view(report.source)},
         {"record_kind", absl::string_view(report.record_kind)},
         {"record_id", absl::string_view(report.record_id)}});
  }
  return decision;
}

std::optional<RecordedDeath> DeathRegistry::Find(pqxx::transaction_base& txn,
                                                 const std::string& subject_index) const {
  pqxx::result r = txn.exec_prepared("civil_death_find", subject_index);
  if (r.empty()) return std::nullopt;
  return DeathFromRow(r[0]);
}

std::vector<RecordedDeath> DeathRegistry::Conflicts(pqxx::transaction_base& txn, int64_t after,
                                                    int limit, int64_t* next) const {
  std::vector<RecordedDeath> out;
  *next = 0;
  pqxx::result rows = txn.exec_prepared("civil_death_conflicts", after, limit + 1);
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
    out.push_back(DeathFromRow(rows[i]));
    *next = rows[i][10].as<int64_t>();
  }
  if (static_cast<int>(rows.size()) <= limit) *next = 0;
  return out;
}

std::vector<DeathRegistry::StoredReport> DeathRegistry::Reports(
    pqxx::transaction_base& txn, const std::string& subject_index) const {
  std::vector<StoredReport> out;
  for (const auto& row : txn.exec_prepared("civil_death_reports_of", subject_index)) {
    StoredReport s;
    s.report.subject_index = row[0].as<std::string>();
    s.report.date.day = ParseDay(row[1].as<std::string>()).value_or(absl::CivilDay());
    s.report.date.upper_bound = row[2].as<bool>();
    s.report.source = row[3].as<std::string>();
    s.report.record_kind = row[4].as<std::string>();
    s.report.record_id = row[5].as<std::string>();
    s.report.region_code = row[6].as<std::string>();
    s.report.event_id = row[7].as<std::string>();
    const std::string outcome = row[8].as<std::string>();
    s.outcome = outcome == "SAME"      ? DeathOutcome::kSame
                : outcome == "EARLIER" ? DeathOutcome::kEarlier
                : outcome == "LATER"   ? DeathOutcome::kLater
                                       : DeathOutcome::kFirst;
    s.conflict = row[9].as<bool>();
    out.push_back(std::move(s));
  }
  return out;
}

void OnDeath(EventConsumer& consumer, DeathRegistry& registry, DeathHandler handler) {
  OnDeathReport(consumer, registry,
                [handler = std::move(handler)](
                    pqxx::transaction_base& txn, const RecordedDeath& death,
                    const civil::events::v1::Envelope&,
                    const civil::events::v1::PersonDeceased&) { return handler(txn, death); });
}

void OnDeathReport(EventConsumer& consumer, DeathRegistry& registry, DeathReportHandler handler) {
  for (const std::string& source : Departments()) {
    if (source == registry.department()) continue;
    consumer.On<civil::events::v1::PersonDeceased>(
        source,
        [&registry, handler](pqxx::transaction_base& txn,
                             const civil::events::v1::Envelope& envelope,
                             const civil::events::v1::PersonDeceased& death) -> absl::Status {
          CIVIL_ASSIGN_OR_RETURN(const DeathDecision decision,
                                 registry.RecordReceived(txn, envelope, death));
          Log(LogLevel::kInfo, "death received",
              {{"event_id", absl::string_view(envelope.event_id())},
               {"source", absl::string_view(envelope.source())},
               {"outcome", DeathOutcomeName(decision.outcome)}});
          if (!decision.apply) return absl::OkStatus();
          std::optional<RecordedDeath> recorded = registry.Find(txn, envelope.subject_index());
          if (!recorded) return absl::InternalError("deaths: recorded death not found");
          return handler(txn, *recorded, envelope, death);
        });
  }
}

}  // namespace civil
