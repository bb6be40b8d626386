#include "services/childwelfare/left_behind_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {
namespace {

constexpr char kChildColumns[] =
    "care_id::text, name, id_masked, birth_date::text, region_code, kind, father, mother, "
    "carer_name, carer_relation, school, difficulty, registered_on::text, recorded_by, id_index";

// care_open_on's last visit, after kChildColumns.
constexpr int kLastVisitColumn = 15;

CareChildRecord ChildFromRow(const pqxx::row& row) {
  CareChildRecord c;
  c.care_id = row[0].as<std::string>();
  c.name = row[1].as<std::string>();
  c.id_masked = row[2].as<std::string>();
  c.birth_date = DayOf(row[3]);
  c.region_code = row[4].as<std::string>();
  c.kind = static_cast<CareKind>(kCareKindNames.Value(row[5].as<std::string>()));
  c.father = static_cast<Whereabouts>(kWhereaboutsNames.Value(row[6].as<std::string>()));
  c.mother = static_cast<Whereabouts>(kWhereaboutsNames.Value(row[7].as<std::string>()));
  c.carer_name = row[8].as<std::string>();
  c.carer_relation = row[9].as<std::string>();
  c.school = row[10].as<std::string>();
  c.difficulty = row[11].as<std::string>();
  c.registered_on = DayOf(row[12]);
  c.recorded_by = row[13].as<std::string>();
  c.id_index = row[14].as<std::string>();
  return c;
}

}  // namespace

LeftBehindStore::LeftBehindStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("care_register",
                 absl::StrCat("INSERT INTO care_children (name, id_cipher, id_index, id_masked, "
                              "birth_date, region_code, kind, father, mother, carer_name, "
                              "carer_relation, school, difficulty, registered_on, recorded_by) "
                              "VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10, $11, $12, "
                              "$13, $14::date, $15) RETURNING ",
                              kChildColumns));
  pool_->Prepare("care_worker_insert",
                 "INSERT INTO care_workers (name, role, region_code, appointed_on, recorded_by) "
                 "VALUES ($1, $2, $3, $4::date, $5) RETURNING worker_id::text");
  pool_->Prepare("care_child_lock", absl::StrCat("SELECT ", kChildColumns,
                                                 " FROM care_children WHERE care_id = $1::uuid "
                                                 "AND closed_on IS NULL FOR UPDATE"));
  pool_->Prepare("care_worker_get",
                 "SELECT role, region_code, appointed_on::text, left_on IS NOT NULL AND left_on "
                 "<= $2::date FROM care_workers WHERE worker_id = $1::uuid");
  pool_->Prepare("care_visit_insert",
                 "INSERT INTO care_visits (care_id, worker_id, visit_date, findings, "
                 "follow_up_needed, follow_up, recorded_by) VALUES ($1::uuid, $2::uuid, "
                 "$3::date, $4, $5, $6, $7) RETURNING visit_id::text");
  // Open by $2 within $3, with the last visit up to $2; the caller keeps those before $1.
  pool_->Prepare(
      "care_open_on",
      absl::StrCat("SELECT ", kChildColumns,
                   ", (SELECT max(v.visit_date) FROM care_visits v WHERE v.care_id = "
                   "c.care_id AND v.visit_date <= $2::date)::text FROM care_children c WHERE "
                   "c.registered_on <= $2::date AND (c.closed_on IS NULL OR c.closed_on > "
                   "$2::date) AND c.region_code LIKE $3 || '%' AND $1::date <= $2::date "
                   "ORDER BY c.region_code, c.seq"));
  pool_->Prepare("care_follow_ups",
                 "SELECT count(*) FROM care_visits v JOIN care_children c USING (care_id) WHERE "
                 "v.follow_up_needed AND v.visit_date >= $1::date AND v.visit_date <= $2::date "
                 "AND c.region_code LIKE $3 || '%'");
  // Workers in office on $1 within (or containing) the prefix $2.
  pool_->Prepare("care_workers_on",
                 "SELECT role, region_code FROM care_workers WHERE appointed_on <= $1::date AND "
                 "(left_on IS NULL OR left_on > $1::date) AND (region_code LIKE $2 || '%' OR $2 "
                 "LIKE region_code || '%')");
}

absl::StatusOr<CareChildRecord> LeftBehindStore::Register(const CareChildDraft& d,
                                                          const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, d.id));
  CareChildRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      created = ChildFromRow(txn.exec_prepared1(
          "care_register", d.name, Bytes(stored.cipher), stored.index, stored.masked,
          FormatDay(d.id.birth_date()), d.region.value(),
          std::string(kCareKindNames.Name(static_cast<int>(d.kind))),
          std::string(kWhereaboutsNames.Name(static_cast<int>(d.father))),
          std::string(kWhereaboutsNames.Name(static_cast<int>(d.mother))), d.carer_name,
          d.carer_relation, d.school, d.difficulty, FormatDay(d.on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", stored.masked, " is registered already"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<WorkerRecord> LeftBehindStore::AddWorker(const WorkerDraft& worker,
                                                        const std::string& actor) {
  std::string worker_id;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    worker_id =
        txn.exec_prepared1("care_worker_insert", worker.name,
                           std::string(kWorkerRoleNames.Name(static_cast<int>(worker.role))),
                           worker.region.value(), FormatDay(worker.appointed_on), actor)[0]
            .as<std::string>();
    return absl::OkStatus();
  }));
  return WorkerRecord{worker_id, worker};
}

absl::StatusOr<VisitRecord> LeftBehindStore::RecordVisit(const std::string& care_id,
                                                         const VisitDraft& visit,
                                                         const std::string& actor,
                                                         const RegionGuard& check_region) {
  VisitRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result c = txn.exec_prepared("care_child_lock", care_id);
    if (c.empty()) return absl::NotFoundError("care_id: no such open registration");
    const CareChildRecord child = ChildFromRow(c[0]);
    CIVIL_RETURN_IF_ERROR(check_region(child.region_code));
    const pqxx::result w =
        txn.exec_prepared("care_worker_get", visit.worker_id, FormatDay(visit.on));
    if (w.empty()) return absl::NotFoundError("worker_id: no such children's worker");
    CIVIL_RETURN_IF_ERROR(
        CheckVisitor(static_cast<WorkerRole>(kWorkerRoleNames.Value(w[0][0].as<std::string>())),
                     w[0][1].as<std::string>(), DayOf(w[0][2]), w[0][3].as<bool>(),
                     child.region_code, child.registered_on, visit.on));
    created = VisitRecord{
        txn.exec_prepared1("care_visit_insert", care_id, visit.worker_id, FormatDay(visit.on),
                           visit.findings, visit.follow_up_needed, visit.follow_up, actor)[0]
            .as<std::string>(),
        care_id, visit, actor};
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<std::vector<CareChildRecord>> LeftBehindStore::NotVisited(
    const std::string& region_prefix, absl::CivilDay since, absl::CivilDay as_of) {
  std::vector<CareChildRecord> open;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    open.clear();
    for (const auto& row :
         txn.exec_prepared("care_open_on", FormatDay(since), FormatDay(as_of), region_prefix)) {
      CareChildRecord c = ChildFromRow(row);
      c.last_visit = OptionalDayOf(row[kLastVisitColumn]);
      if (c.last_visit && *c.last_visit >= since) continue;
      open.push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  return open;
}

absl::StatusOr<CareCounts> LeftBehindStore::Counts(const std::string& region_prefix,
                                                   absl::CivilDay since, absl::CivilDay as_of) {
  CareCounts counts;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        counts = CareCounts();
        for (const auto& row :
             txn.exec_prepared("care_open_on", FormatDay(since), FormatDay(as_of), region_prefix)) {
          const CareChildRecord c = ChildFromRow(row);
          (c.kind == CareKind::kLeftBehind ? counts.left_behind : counts.in_difficulty)++;
          const std::optional<absl::CivilDay> last = OptionalDayOf(row[kLastVisitColumn]);
          (last && *last >= since ? counts.visited : counts.not_visited)++;
          ++counts.villages[c.region_code].children;
        }
        counts.follow_ups = txn.exec_prepared1("care_follow_ups", FormatDay(since),
                                               FormatDay(as_of), region_prefix)[0]
                                .as<int>();
        const pqxx::result workers =
            txn.exec_prepared("care_workers_on", FormatDay(as_of), region_prefix);
        for (const auto& row : workers) {
          const std::string region = row[1].as<std::string>();
          if (row[0].as<std::string>() == "DIRECTOR" &&
              region.compare(0, region_prefix.size(), region_prefix) == 0) {
            ++counts.villages[region].directors;
          }
        }
        for (auto& [village, v] : counts.villages) {
          for (const auto& row : workers) {
            if (row[0].as<std::string>() == "SUPERVISOR" &&
                village.compare(0, 9, row[1].as<std::string>()) == 0) {
              ++v.supervisors;
            }
          }
        }
        return absl::OkStatus();
      }));
  return counts;
}

}  // namespace civil::childwelfare
