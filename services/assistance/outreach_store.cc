#include "services/assistance/outreach_store.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/programme_store_util.h"
#include "services/common/id_number.h"

namespace civil::assistance {

namespace {

constexpr char kVisitColumns[] =
    "v.visit_id::text, v.household_id::text, v.member_id::text, hm.name, hm.id_masked, "
    "v.region_code, v.visited_on::text, v.note, v.visited_by, v.late_entry, v.seq";
constexpr char kVisitFrom[] =
    " FROM outreach_visits v JOIN household_members hm ON hm.member_id = v.member_id";

constexpr char kDemandColumns[] =
    "demand_id::text, description, status, resolved_on::text, resolution, resolved_by";

v1::Demand DemandFromRow(const pqxx::row& r) {
  v1::Demand d;
  d.set_demand_id(r[0].as<std::string>());
  d.set_description(r[1].as<std::string>());
  d.set_status(r[2].as<std::string>() == "RESOLVED" ? v1::DEMAND_STATUS_RESOLVED
                                                    : v1::DEMAND_STATUS_OPEN);
  d.set_resolved_on(TextOf(r[3]));
  d.set_resolution(r[4].as<std::string>());
  d.set_resolved_by(r[5].as<std::string>());
  return d;
}

v1::Visit VisitFromRow(pqxx::transaction_base& txn, const pqxx::row& r) {
  v1::Visit v;
  v.set_visit_id(r[0].as<std::string>());
  v.set_household_id(r[1].as<std::string>());
  v.set_member_id(r[2].as<std::string>());
  v.set_name(r[3].as<std::string>());
  v.set_id_number_masked(r[4].as<std::string>());
  v.set_region_code(r[5].as<std::string>());
  v.set_visited_on(r[6].as<std::string>());
  v.set_note(r[7].as<std::string>());
  v.set_visited_by(r[8].as<std::string>());
  v.set_late_entry(r[9].as<bool>());
  for (const auto& d : txn.exec_prepared("outreach_visit_demands", v.visit_id())) {
    *v.add_demands() = DemandFromRow(d);
  }
  return v;
}

constexpr char kBatchColumns[] =
    "batch_id::text, region_prefix, provider, name, service, started_on::text, created_by";

v1::HealthCheckBatch BatchFromRow(const pqxx::row& r) {
  v1::HealthCheckBatch b;
  b.set_batch_id(r[0].as<std::string>());
  b.set_region_prefix(r[1].as<std::string>());
  b.set_provider(r[2].as<std::string>());
  b.set_name(r[3].as<std::string>());
  b.set_service(r[4].as<std::string>());
  b.set_started_on(r[5].as<std::string>());
  b.set_created_by(r[6].as<std::string>());
  return b;
}

constexpr char kCheckColumns[] =
    "c.check_id::text, c.batch_id::text, c.household_id::text, c.member_id::text, hm.name, "
    "hm.id_masked, c.region_code, c.enrolment_id::text, c.checked_on::text, c.health_record, "
    "c.recorded_by, c.seq";
constexpr char kCheckFrom[] =
    " FROM health_checks c JOIN household_members hm ON hm.member_id = c.member_id";

v1::HealthCheck CheckFromRow(const pqxx::row& r) {
  v1::HealthCheck c;
  c.set_check_id(r[0].as<std::string>());
  c.set_batch_id(r[1].as<std::string>());
  c.set_household_id(r[2].as<std::string>());
  c.set_member_id(r[3].as<std::string>());
  c.set_name(r[4].as<std::string>());
  c.set_id_number_masked(r[5].as<std::string>());
  c.set_region_code(r[6].as<std::string>());
  c.set_enrolment_id(r[7].as<std::string>());
  c.set_checked_on(r[8].as<std::string>());
  c.set_health_record(r[9].as<std::string>());
  c.set_recorded_by(r[10].as<std::string>());
  return c;
}

}  // namespace

OutreachStore::OutreachStore(PgPool* pool, const AssistanceRules& rules)
    : pool_(pool), rules_(rules) {
  PrepareLoadPerson(pool_);
  pool_->Prepare(
      "outreach_visit_demands",
      absl::StrCat("SELECT ", kDemandColumns,
                   " FROM outreach_demands WHERE visit_id = $1::uuid ORDER BY position"));
  pool_->Prepare("outreach_record_visit_insert_outreach_visits",
                 "INSERT INTO outreach_visits (household_id, member_id, id_index, region_code, "
                 "visited_on, note, visited_by, late_entry) VALUES ($1::uuid, $2::uuid, $3, $4, "
                 "$5::date, $6, $7, $8) RETURNING visit_id::text");
  pool_->Prepare(
      "outreach_record_visit_insert_outreach_demands",
      "INSERT INTO outreach_demands (visit_id, position, description) VALUES ($1::uuid, $2, "
      "$3)");
  pool_->Prepare("outreach_get_visit", absl::StrCat("SELECT ", kVisitColumns, kVisitFrom,
                                                    " WHERE v.visit_id = $1::uuid"));
  pool_->Prepare(
      "outreach_list_visits",
      absl::StrCat("SELECT ", kVisitColumns, kVisitFrom,
                   " WHERE v.region_code LIKE $1 || '%' AND v.seq > $2 ORDER BY v.seq LIMIT $3"));
  pool_->Prepare("outreach_resolve_demand_select_outreach_demands",
                 "SELECT d.status, v.region_code, v.visited_on::text FROM outreach_demands d JOIN "
                 "outreach_visits v USING (visit_id) WHERE d.demand_id = $1::uuid FOR UPDATE OF d");
  pool_->Prepare(
      "outreach_resolve_demand_update_outreach_demands",
      absl::StrCat("UPDATE outreach_demands SET status = 'RESOLVED', resolved_on = $2::date, "
                   "resolution = $3, resolved_by = $4 WHERE demand_id = $1::uuid RETURNING ",
                   kDemandColumns));
  pool_->Prepare(
      "outreach_create_batch",
      absl::StrCat("INSERT INTO health_check_batches (region_prefix, provider, name, service, "
                   "started_on, created_by) VALUES ($1, $2, $3, $4, $5::date, $6) RETURNING ",
                   kBatchColumns));
  pool_->Prepare(
      "outreach_record_health_check_select_health_check_batches",
      "SELECT region_prefix, started_on::text FROM health_check_batches WHERE batch_id = "
      "$1::uuid");
  pool_->Prepare(
      "outreach_record_health_check_select_enrolment_members",
      "SELECT e.enrolment_id::text FROM enrolment_members m JOIN enrolments e USING "
      "(enrolment_id) WHERE m.id_index = $1 AND e.programme = 'TEKUN' AND e.care_mode = "
      "'DISPERSED' AND m.start_month <= $2::date AND (m.end_month IS NULL OR m.end_month >= "
      "$2::date) ORDER BY m.start_month DESC LIMIT 1");
  pool_->Prepare("outreach_record_health_check_insert_health_checks",
                 "INSERT INTO health_checks (batch_id, household_id, member_id, id_index, "
                 "region_code, enrolment_id, checked_on, health_record, recorded_by) VALUES "
                 "($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::uuid, $7::date, $8, $9) RETURNING "
                 "check_id::text");
  pool_->Prepare("outreach_get_health_check", absl::StrCat("SELECT ", kCheckColumns, kCheckFrom,
                                                           " WHERE c.check_id = $1::uuid"));
  pool_->Prepare("outreach_list_health_checks_batch",
                 "SELECT 1 FROM health_check_batches WHERE batch_id = $1::uuid");
  pool_->Prepare(
      "outreach_list_health_checks",
      absl::StrCat("SELECT ", kCheckColumns, kCheckFrom,
                   " WHERE c.batch_id = $1::uuid AND c.region_code LIKE $2 || '%' AND c.seq > "
                   "$3 ORDER BY c.seq LIMIT $4"));
}

absl::StatusOr<v1::Visit> OutreachStore::RecordVisit(const Actor& actor, const VisitDraft& draft,
                                                     absl::CivilDay today) {
  v1::Visit out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    absl::StatusOr<Person> person = LoadPerson(txn, actor, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    const std::string id =
        txn.exec_prepared1("outreach_record_visit_insert_outreach_visits", draft.household_id,
                           draft.member_id, person->id_index, person->region_code,
                           FormatDay(draft.visited_on), draft.note, actor.subject,
                           IsLateEntry(rules_, draft.visited_on, today))[0]
            .as<std::string>();
    for (size_t i = 0; i < draft.demands.size(); ++i) {
      txn.exec_prepared("outreach_record_visit_insert_outreach_demands", id, static_cast<int>(i),
                        draft.demands[i]);
    }
    out = VisitFromRow(txn, txn.exec_prepared1("outreach_get_visit", id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Page<v1::Visit>> OutreachStore::ListVisits(const std::string& region_prefix,
                                                          int64_t after, int page_size) {
  Page<v1::Visit> out;
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared("outreach_list_visits", region_prefix, after, page_size + 1);
    out = TakePage<v1::Visit>(rows, page_size, 10,
                              [&](const pqxx::row& r) { return VisitFromRow(txn, r); });
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Demand> OutreachStore::ResolveDemand(const Actor& actor,
                                                        const std::string& demand_id,
                                                        absl::CivilDay resolved_on,
                                                        const std::string& resolution) {
  v1::Demand out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result rows =
        txn.exec_prepared("outreach_resolve_demand_select_outreach_demands", demand_id);
    if (rows.empty() || !actor.CanActOn(rows[0][1].as<std::string>())) {
      return absl::NotFoundError(NotFound("demand_id", "demand"));
    }
    if (absl::Status s = CheckDemandResolution(rows[0][0].as<std::string>() == "RESOLVED",
                                               DayOf(rows[0][2]), resolved_on);
        !s.ok()) {
      return s;
    }
    out = DemandFromRow(txn.exec_prepared1("outreach_resolve_demand_update_outreach_demands",
                                           demand_id, FormatDay(resolved_on), resolution,
                                           actor.subject));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::HealthCheckBatch> OutreachStore::CreateBatch(const Actor& actor,
                                                                const v1::HealthCheckBatch& b) {
  v1::HealthCheckBatch out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      out =
          BatchFromRow(txn.exec_prepared1("outreach_create_batch", b.region_prefix(), b.provider(),
                                          b.name(), b.service(), b.started_on(), actor.subject));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          "name: this provider already has a batch of that name in the region");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::HealthCheck> OutreachStore::RecordHealthCheck(const Actor& actor,
                                                                 const HealthCheckDraft& draft) {
  v1::HealthCheck out;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result batch = txn.exec_prepared(
        "outreach_record_health_check_select_health_check_batches", draft.batch_id);
    if (batch.empty()) return absl::NotFoundError(NotFound("batch_id", "health-check batch"));
    const std::string batch_region = batch[0][0].as<std::string>();
    const absl::CivilDay started_on = DayOf(batch[0][1]);
    absl::StatusOr<Person> person = LoadPerson(txn, actor, draft.household_id, draft.member_id);
    if (!person.ok()) return person.status();
    if (absl::Status s =
            CheckHealthCheckPlace(batch_region, started_on, person->region_code, draft.checked_on);
        !s.ok()) {
      return s;
    }
    // The person must be covered, that month, by a 特困 enrolment with dispersed care.
    pqxx::result enrolment =
        txn.exec_prepared("outreach_record_health_check_select_enrolment_members", person->id_index,
                          MonthDay(absl::CivilMonth(draft.checked_on)));
    if (enrolment.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("member_id: ", person->id_masked,
                       " is not in an active 特困 enrolment with dispersed care (分散供养) on ",
                       FormatDay(draft.checked_on)));
    }
    try {
      const std::string id =
          txn.exec_prepared1("outreach_record_health_check_insert_health_checks", draft.batch_id,
                             draft.household_id, draft.member_id, person->id_index,
                             person->region_code, enrolment[0][0].as<std::string>(),
                             FormatDay(draft.checked_on), draft.health_record, actor.subject)[0]
              .as<std::string>();
      out = CheckFromRow(txn.exec_prepared1("outreach_get_health_check", id));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("member_id: ", person->id_masked, " is in this batch already"));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<Page<v1::HealthCheck>> OutreachStore::ListHealthChecks(
    const std::string& batch_id, const std::string& region_prefix, int64_t after, int page_size) {
  absl::StatusOr<Page<v1::HealthCheck>> out = absl::NotFoundError("");
  absl::Status status = pool_->Read([&](pqxx::transaction_base& txn) {
    if (txn.exec_prepared("outreach_list_health_checks_batch", batch_id).empty()) {
      out = absl::NotFoundError(NotFound("batch_id", "health-check batch"));
      return absl::OkStatus();
    }
    pqxx::result rows = txn.exec_prepared("outreach_list_health_checks", batch_id, region_prefix,
                                          after, page_size + 1);
    out = TakePage<v1::HealthCheck>(rows, page_size, 11, CheckFromRow);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace civil::assistance
