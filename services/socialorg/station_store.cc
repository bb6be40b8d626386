#include "services/socialorg/station_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {

StationStore::StationStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("socialorg_station_insert",
                 "INSERT INTO stations (name, region_code, level, established_on, recorded_by) "
                 "VALUES ($1, $2, $3, $4::date, $5) RETURNING station_id::text");
  pool_->Prepare("socialorg_station_get",
                 "SELECT name, region_code, level, established_on::text, recorded_by FROM "
                 "stations WHERE station_id = $1::uuid");
  pool_->Prepare("socialorg_station_lock",
                 "SELECT name, region_code, level, established_on::text, recorded_by FROM "
                 "stations WHERE station_id = $1::uuid FOR UPDATE");
  pool_->Prepare("socialorg_station_acceptances",
                 "SELECT accepted_on::text, result, notes FROM station_acceptances WHERE "
                 "station_id = $1::uuid ORDER BY accepted_on");
  pool_->Prepare("socialorg_station_tasks",
                 "SELECT t.task_id::text, t.year, t.title, t.due_on::text, c.completed_on::text, "
                 "c.evidence FROM station_tasks t LEFT JOIN station_task_completions c ON "
                 "c.task_id = t.task_id WHERE t.station_id = $1::uuid ORDER BY t.year, t.due_on, "
                 "t.seq");
  pool_->Prepare("socialorg_station_visits",
                 "SELECT visited_on::text, visitor, findings FROM station_visits WHERE station_id "
                 "= $1::uuid ORDER BY visited_on, created_at");
  pool_->Prepare("socialorg_station_accept",
                 "INSERT INTO station_acceptances (station_id, accepted_on, result, notes, "
                 "recorded_by) VALUES ($1::uuid, $2::date, $3, $4, $5)");
  pool_->Prepare("socialorg_station_task_insert",
                 "INSERT INTO station_tasks (station_id, year, title, due_on, recorded_by) VALUES "
                 "($1::uuid, $2, $3, $4::date, $5) RETURNING task_id::text");
  pool_->Prepare("socialorg_station_task_station",
                 "SELECT station_id::text FROM station_tasks WHERE task_id = $1::uuid");
  pool_->Prepare("socialorg_station_complete",
                 "INSERT INTO station_task_completions (task_id, completed_on, evidence, "
                 "recorded_by) VALUES ($1::uuid, $2::date, $3, $4)");
  pool_->Prepare("socialorg_station_visit",
                 "INSERT INTO station_visits (station_id, visited_on, visitor, findings, "
                 "recorded_by) VALUES ($1::uuid, $2::date, $3, $4, $5)");
  pool_->Prepare("socialorg_station_visited",
                 "SELECT count(DISTINCT s.station_id) FROM stations s JOIN station_visits v ON "
                 "v.station_id = s.station_id WHERE s.level = 'TOWNSHIP' AND s.region_code LIKE "
                 "$1 || '%' AND v.visited_on BETWEEN $2::date AND $3::date");
  pool_->Prepare("socialorg_station_ids",
                 "SELECT station_id::text FROM stations WHERE region_code LIKE $1 || '%' ORDER BY "
                 "seq");
}

absl::StatusOr<StationRecord> StationStore::Load(pqxx::transaction_base& txn,
                                                 const std::string& station_id, bool lock) {
  pqxx::result r =
      txn.exec_prepared(lock ? "socialorg_station_lock" : "socialorg_station_get", station_id);
  if (r.empty()) return absl::NotFoundError("station_id: no such station");
  StationRecord s;
  s.station_id = station_id;
  s.station.name = r[0][0].as<std::string>();
  s.station.region_code = r[0][1].as<std::string>();
  s.station.level = static_cast<StationLevel>(kStationLevelNames.Value(r[0][2].as<std::string>()));
  s.station.established_on = DayOf(r[0][3]);
  s.recorded_by = r[0][4].as<std::string>();
  for (const auto& row : txn.exec_prepared("socialorg_station_acceptances", station_id)) {
    s.acceptances.push_back(
        {DayOf(row[0]),
         static_cast<AcceptanceResult>(kAcceptanceResultNames.Value(row[1].as<std::string>())),
         row[2].as<std::string>()});
  }
  for (const auto& row : txn.exec_prepared("socialorg_station_tasks", station_id)) {
    TaskRecord t;
    t.task_id = row[0].as<std::string>();
    t.task = {row[1].as<int>(), row[2].as<std::string>(), DayOf(row[3])};
    if (!row[4].is_null()) t.completion = TaskCompletion{DayOf(row[4]), row[5].as<std::string>()};
    s.tasks.push_back(std::move(t));
  }
  for (const auto& row : txn.exec_prepared("socialorg_station_visits", station_id)) {
    s.visits.push_back({DayOf(row[0]), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  return s;
}

absl::StatusOr<StationRecord> StationStore::Create(const Station& station,
                                                   const std::string& actor) {
  StationRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::string id;
    try {
      id = txn.exec_prepared1("socialorg_station_insert", station.name, station.region_code,
                              std::string(kStationLevelNames.Name(static_cast<int>(station.level))),
                              FormatDay(station.established_on), actor)[0]
               .as<std::string>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("region_code: ", station.region_code, " has a station already"));
    }
    CIVIL_ASSIGN_OR_RETURN(created, Load(txn, id, false));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<StationRecord> StationStore::Get(const std::string& station_id,
                                                const RegionVet& vet) {
  StationRecord s;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        CIVIL_ASSIGN_OR_RETURN(s, Load(txn, station_id, false));
        return vet(s.station.region_code);
      }));
  return s;
}

absl::StatusOr<StationRecord> StationStore::Accept(const std::string& station_id,
                                                   const Acceptance& acceptance,
                                                   const std::string& actor, const RegionVet& vet) {
  StationRecord s;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(s, Load(txn, station_id, true));
    CIVIL_RETURN_IF_ERROR(vet(s.station.region_code));
    CIVIL_RETURN_IF_ERROR(CheckAcceptable(s.station, s.acceptances, acceptance));
    txn.exec_prepared("socialorg_station_accept", station_id, FormatDay(acceptance.accepted_on),
                      std::string(kAcceptanceResultNames.Name(static_cast<int>(acceptance.result))),
                      acceptance.notes, actor);
    s.acceptances.push_back(acceptance);
    return absl::OkStatus();
  }));
  return s;
}

absl::StatusOr<std::string> StationStore::AddTask(const std::string& station_id,
                                                  const StationTask& task, const std::string& actor,
                                                  const RegionVet& vet) {
  std::string task_id;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const StationRecord s, Load(txn, station_id, true));
    CIVIL_RETURN_IF_ERROR(vet(s.station.region_code));
    try {
      task_id = txn.exec_prepared1("socialorg_station_task_insert", station_id, task.year,
                                   task.title, FormatDay(task.due_on), actor)[0]
                    .as<std::string>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("title: the station's ", task.year, " list has this task already"));
    }
    return absl::OkStatus();
  }));
  return task_id;
}

absl::StatusOr<StationRecord> StationStore::Complete(const std::string& task_id,
                                                     const TaskCompletion& completion,
                                                     const std::string& actor,
                                                     const RegionVet& vet) {
  StationRecord s;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_station_task_station", task_id);
    if (r.empty()) return absl::NotFoundError("task_id: no such task");
    CIVIL_ASSIGN_OR_RETURN(s, Load(txn, r[0][0].as<std::string>(), true));
    CIVIL_RETURN_IF_ERROR(vet(s.station.region_code));
    for (TaskRecord& t : s.tasks) {
      if (t.task_id != task_id) continue;
      CIVIL_RETURN_IF_ERROR(CheckCompletable(t.task, t.completion, completion));
      txn.exec_prepared("socialorg_station_complete", task_id, FormatDay(completion.completed_on),
                        completion.evidence, actor);
      t.completion = completion;
    }
    return absl::OkStatus();
  }));
  return s;
}

absl::StatusOr<StationRecord> StationStore::RecordVisit(const std::string& station_id,
                                                        const Visit& visit,
                                                        const std::string& actor,
                                                        const RegionVet& vet) {
  StationRecord s;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(s, Load(txn, station_id, true));
    CIVIL_RETURN_IF_ERROR(vet(s.station.region_code));
    if (visit.visited_on < s.station.established_on) {
      return absl::FailedPreconditionError(
          absl::StrCat("visited_date: must not be before the station's establishment on ",
                       FormatDay(s.station.established_on)));
    }
    txn.exec_prepared("socialorg_station_visit", station_id, FormatDay(visit.visited_on),
                      visit.visitor, visit.findings, actor);
    s.visits.push_back(visit);
    return absl::OkStatus();
  }));
  return s;
}

absl::StatusOr<StationCounts> StationStore::CountAsOf(const std::string& region_prefix,
                                                      absl::CivilDay day) {
  std::vector<StationFacts> facts;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    facts.clear();
    for (const auto& row : txn.exec_prepared("socialorg_station_ids", region_prefix)) {
      CIVIL_ASSIGN_OR_RETURN(StationRecord s, Load(txn, row[0].as<std::string>(), false));
      StationFacts f{s.station, s.acceptances, {}};
      for (const TaskRecord& t : s.tasks) f.tasks.emplace_back(t.task, t.completion);
      facts.push_back(std::move(f));
    }
    return absl::OkStatus();
  }));
  return CountStationsAsOf(facts, day);
}

absl::StatusOr<int> StationStore::TownshipsVisitedIn(const std::string& region_prefix,
                                                     absl::CivilDay start, absl::CivilDay end) {
  int visited = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    visited = txn.exec_prepared1("socialorg_station_visited", region_prefix, FormatDay(start),
                                 FormatDay(end))[0]
                  .as<int>();
    return absl::OkStatus();
  }));
  return visited;
}

}  // namespace civil::socialorg
