#include "services/eldercare/visit_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

constexpr char kPilotColumns[] =
    "township_code, township_name, starts_on::text, ends_on::text, declared_by";

PilotRecord PilotFromRow(const pqxx::row& row) {
  return PilotRecord{row[0].as<std::string>(), row[1].as<std::string>(), DayOf(row[2]),
                     OptionalDayOf(row[3]), row[4].as<std::string>()};
}

constexpr char kPersonColumns[] =
    "p.person_id::text, p.name, p.id_masked, p.region_code, p.circumstances, "
    "p.registered_on::text, p.deregistered_on::text, p.deregister_reason, p.recorded_by, p.seq";
constexpr int kPersonSeq = 9;

VisitPersonRecord PersonFromRow(const pqxx::row& row) {
  VisitPersonRecord p;
  p.person_id = row[0].as<std::string>();
  p.name = row[1].as<std::string>();
  p.id_masked = row[2].as<std::string>();
  p.region_code = row[3].as<std::string>();
  p.circumstances = row[4].as<std::string>();
  p.registered_on = DayOf(row[5]);
  p.deregistered_on = OptionalDayOf(row[6]);
  p.deregister_reason = row[7].as<std::string>();
  p.recorded_by = row[8].as<std::string>();
  return p;
}

const std::string& VisitColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("v.visit_id::text, v.person_id::text, p.name, p.id_masked, v.region_code, "
                   "v.visited_on::text, v.visitor, v.findings, v.follow_up_needed, v.follow_up, "
                   "v.follow_up_closed_on::text, v.follow_up_close_note, v.recorded_by, ",
                   MicrosOf("v.created_at"), ", v.seq"));
  return *columns;
}
constexpr int kVisitSeq = 14;

VisitRecord VisitFromRow(const pqxx::row& row) {
  VisitRecord v;
  v.visit_id = row[0].as<std::string>();
  v.person_id = row[1].as<std::string>();
  v.name = row[2].as<std::string>();
  v.id_masked = row[3].as<std::string>();
  v.region_code = row[4].as<std::string>();
  v.visited_on = DayOf(row[5]);
  v.visitor = row[6].as<std::string>();
  v.findings = row[7].as<std::string>();
  v.follow_up_needed = row[8].as<bool>();
  v.follow_up = row[9].as<std::string>();
  v.follow_up_closed_on = OptionalDayOf(row[10]);
  v.follow_up_close_note = row[11].as<std::string>();
  v.recorded_by = row[12].as<std::string>();
  v.create_time_micros = row[13].as<int64_t>();
  return v;
}

// The persons of a township on the register on a day ($2), not known dead by then, with no visit
// in the week $3..$4.
constexpr char kUnvisitedWhere[] =
    " FROM visit_persons p WHERE p.region_code LIKE $1 || '%' AND p.registered_on <= $2::date "
    "AND (p.deregistered_on IS NULL OR p.deregistered_on > $2::date) AND NOT EXISTS (SELECT 1 "
    "FROM death_registry d WHERE d.subject_index = p.id_index AND d.date_of_death <= $2::date)";
constexpr char kNotVisitedInWeek[] =
    " AND NOT EXISTS (SELECT 1 FROM visits x WHERE x.person_id = p.person_id AND x.visited_on "
    "BETWEEN $3::date AND $4::date)";

}  // namespace

VisitStore::VisitStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("visit_pilot_insert",
                 absl::StrCat("INSERT INTO visit_pilots (township_code, township_name, starts_on, "
                              "declared_by) VALUES ($1, $2, $3::date, $4) RETURNING ",
                              kPilotColumns));
  pool_->Prepare("visit_pilot_get", absl::StrCat("SELECT ", kPilotColumns,
                                                 " FROM visit_pilots WHERE township_code = $1"));
  pool_->Prepare("visit_pilot_lock",
                 absl::StrCat("SELECT ", kPilotColumns,
                              " FROM visit_pilots WHERE township_code = $1 FOR UPDATE"));
  pool_->Prepare("visit_pilot_end",
                 absl::StrCat("UPDATE visit_pilots SET ends_on = $2::date, updated_at = now() "
                              "WHERE township_code = $1 RETURNING ",
                              kPilotColumns));
  pool_->Prepare(
      "visit_pilot_list",
      absl::StrCat("SELECT ", kPilotColumns,
                   " FROM visit_pilots WHERE township_code LIKE $1 || '%' OR (length($1) "
                   "> 9 AND $1 LIKE township_code || '%') ORDER BY township_code"));
  pool_->Prepare(
      "visit_person_insert",
      absl::StrCat("WITH p AS (INSERT INTO visit_persons (name, id_cipher, id_index, id_masked, "
                   "region_code, circumstances, registered_on, recorded_by) VALUES ($1, $2, $3, "
                   "$4, $5, $6, $7::date, $8) RETURNING *) SELECT ",
                   kPersonColumns, " FROM p"));
  pool_->Prepare("visit_person_lock",
                 absl::StrCat("SELECT ", kPersonColumns,
                              " FROM visit_persons p WHERE p.person_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("visit_person_deregister",
                 absl::StrCat("WITH p AS (UPDATE visit_persons SET deregistered_on = $2::date, "
                              "deregister_reason = $3, updated_at = now() WHERE person_id = "
                              "$1::uuid RETURNING *) SELECT ",
                              kPersonColumns, " FROM p"));
  // The registration covering the day, else the latest one (for the message).
  pool_->Prepare("visit_person_on",
                 absl::StrCat("SELECT ", kPersonColumns,
                              ", (p.registered_on <= $2::date AND (p.deregistered_on IS NULL OR "
                              "p.deregistered_on > $2::date)) AS covers FROM visit_persons p WHERE "
                              "p.id_index = $1 ORDER BY covers DESC, p.registered_on DESC LIMIT 1 "
                              "FOR UPDATE"));
  pool_->Prepare("visit_insert",
                 absl::StrCat("WITH v AS (INSERT INTO visits (person_id, region_code, visited_on, "
                              "visitor, findings, follow_up_needed, follow_up, recorded_by) VALUES "
                              "($1::uuid, $2, $3::date, $4, $5, $6, $7, $8) RETURNING *) SELECT ",
                              VisitColumns(), " FROM v JOIN visit_persons p USING (person_id)"));
  pool_->Prepare("visit_lock", absl::StrCat("SELECT ", VisitColumns(),
                                            " FROM visits v JOIN visit_persons p USING "
                                            "(person_id) WHERE v.visit_id = $1::uuid FOR UPDATE "
                                            "OF v"));
  pool_->Prepare("visit_close",
                 absl::StrCat("WITH v AS (UPDATE visits SET follow_up_closed_on = $2::date, "
                              "follow_up_close_note = $3, updated_at = now() WHERE visit_id = "
                              "$1::uuid RETURNING *) SELECT ",
                              VisitColumns(), " FROM v JOIN visit_persons p USING (person_id)"));
  pool_->Prepare(
      "visit_list",
      absl::StrCat("SELECT ", VisitColumns(),
                   " FROM visits v JOIN visit_persons p USING (person_id) WHERE v.region_code "
                   "LIKE $1 || '%' AND ($2 = '' OR v.person_id::text = $2) AND (NOT $3 OR "
                   "(v.follow_up_needed AND v.follow_up_closed_on IS NULL)) AND ($4 = 0 OR v.seq "
                   "< $4) ORDER BY v.seq DESC LIMIT $5"));
  pool_->Prepare(
      "visit_unvisited",
      absl::StrCat("SELECT ", kPersonColumns,
                   ", (SELECT max(x.visited_on) FROM visits x WHERE x.person_id = "
                   "p.person_id AND x.visited_on < $3::date)::text",
                   kUnvisitedWhere, kNotVisitedInWeek, " AND p.seq > $5 ORDER BY p.seq LIMIT $6"));
  pool_->Prepare("visit_unvisited_counts",
                 absl::StrCat("SELECT count(*)::int, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 "
                              "FROM visits x WHERE x.person_id = p.person_id AND x.visited_on "
                              "BETWEEN $3::date AND $4::date))::int",
                              kUnvisitedWhere));
  pool_->Prepare("visit_figures",
                 "SELECT count(*)::int, count(DISTINCT person_id)::int FROM visits WHERE "
                 "region_code LIKE $1 || '%' AND visited_on BETWEEN $2::date AND $3::date");
}

absl::StatusOr<PilotRecord> VisitStore::DeclarePilot(const PilotDraft& draft,
                                                     const std::string& actor) {
  PilotRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      created = PilotFromRow(txn.exec_prepared1("visit_pilot_insert", draft.township.value(),
                                                draft.name, FormatDay(draft.starts_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("township_code: ", draft.township.value(), " is a visit pilot already"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<PilotRecord> VisitStore::EndPilot(const std::string& township_code,
                                                 absl::CivilDay on) {
  PilotRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("visit_pilot_lock", township_code);
    if (r.empty()) return absl::NotFoundError("township_code: not a visit pilot");
    const PilotRecord current = PilotFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(CheckPilotEnd(current.starts_on, current.ends_on, on));
    updated = PilotFromRow(txn.exec_prepared1("visit_pilot_end", township_code, FormatDay(on)));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<std::vector<PilotRecord>> VisitStore::ListPilots(const std::string& region_prefix) {
  std::vector<PilotRecord> pilots;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("visit_pilot_list", region_prefix)) {
      pilots.push_back(PilotFromRow(row));
    }
    return absl::OkStatus();
  }));
  return pilots;
}

absl::StatusOr<VisitPersonRecord> VisitStore::Register(const RegisterDraft& draft,
                                                       const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId stored, ProtectId(*pii_, draft.id));
  VisitPersonRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      created = PersonFromRow(txn.exec_prepared1(
          "visit_person_insert", draft.name, Bytes(stored.cipher), stored.index, stored.masked,
          draft.region.value(), draft.circumstances, FormatDay(draft.registered_on), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", stored.masked, " is on the register already"));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<VisitPersonRecord> VisitStore::Deregister(const std::string& person_id,
                                                         absl::CivilDay on,
                                                         const std::string& reason,
                                                         const RegionCheckFn& check_region) {
  VisitPersonRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("visit_person_lock", person_id);
    if (r.empty()) return absl::NotFoundError("person_id: no such person on the register");
    const VisitPersonRecord current = PersonFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckDeregistration(current.registered_on, current.deregistered_on, on));
    updated = PersonFromRow(
        txn.exec_prepared1("visit_person_deregister", person_id, FormatDay(on), reason));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<VisitRecord> VisitStore::RecordVisit(const VisitDraft& draft,
                                                    const std::string& actor,
                                                    const RegionCheckFn& check_region) {
  const std::string index = pii_->BlindIndex(draft.id.value());
  VisitRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("visit_person_on", index, FormatDay(draft.visited_on));
    if (r.empty()) {
      return CheckVisitOfPerson(false, draft.visited_on, std::nullopt, draft.visited_on);
    }
    const VisitPersonRecord person = PersonFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(person.region_code));
    CIVIL_RETURN_IF_ERROR(
        CheckVisitOfPerson(true, person.registered_on, person.deregistered_on, draft.visited_on));
    const std::string township = person.region_code.substr(0, 9);
    pqxx::result pilot = txn.exec_prepared("visit_pilot_get", township);
    if (pilot.empty()) {
      return CheckPilotRuns("township", township, false, draft.visited_on, std::nullopt,
                            draft.visited_on);
    }
    const PilotRecord p = PilotFromRow(pilot[0]);
    CIVIL_RETURN_IF_ERROR(
        CheckPilotRuns("township", township, true, p.starts_on, p.ends_on, draft.visited_on));
    created = VisitFromRow(txn.exec_prepared1(
        "visit_insert", person.person_id, person.region_code, FormatDay(draft.visited_on),
        draft.visitor, draft.findings, draft.follow_up_needed, draft.follow_up, actor));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<VisitRecord> VisitStore::CloseFollowUp(const std::string& visit_id,
                                                      absl::CivilDay on, const std::string& note,
                                                      const RegionCheckFn& check_region) {
  VisitRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("visit_lock", visit_id);
    if (r.empty()) return absl::NotFoundError("visit_id: no such visit");
    const VisitRecord current = VisitFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckFollowUpClose(current.follow_up_needed, current.follow_up_closed_on,
                                             current.visited_on, on));
    updated = VisitFromRow(txn.exec_prepared1("visit_close", visit_id, FormatDay(on), note));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<Page<VisitRecord>> VisitStore::ListVisits(const std::string& region_prefix,
                                                         const std::string& person_id,
                                                         bool open_follow_ups, int64_t before,
                                                         int page_size) {
  Page<VisitRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("visit_list", region_prefix, person_id, open_follow_ups,
                                          before, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(VisitFromRow(rows[i]));
      page.next_after = rows[i][kVisitSeq].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<UnvisitedPage> VisitStore::Unvisited(const std::string& township_code,
                                                    absl::CivilDay day, int64_t after,
                                                    int page_size) {
  UnvisitedPage out;
  out.week = IsoWeekOf(day);
  const std::string on = FormatDay(day), monday = FormatDay(out.week.monday),
                    sunday = FormatDay(out.week.sunday);
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result pilot = txn.exec_prepared("visit_pilot_get", township_code);
    if (pilot.empty()) {
      return CheckPilotRuns("township_code", township_code, false, day, std::nullopt, day);
    }
    const PilotRecord p = PilotFromRow(pilot[0]);
    CIVIL_RETURN_IF_ERROR(
        CheckPilotRuns("township_code", township_code, true, p.starts_on, p.ends_on, day));
    const pqxx::row counts =
        txn.exec_prepared1("visit_unvisited_counts", township_code, on, monday, sunday);
    out.registered = counts[0].as<int>();
    out.unvisited = counts[1].as<int>();
    pqxx::result rows = txn.exec_prepared("visit_unvisited", township_code, on, monday, sunday,
                                          after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      VisitPersonRecord person = PersonFromRow(rows[i]);
      person.last_visit_on = OptionalDayOf(rows[i][kPersonSeq + 1]);
      out.page.items.push_back(std::move(person));
      out.page.next_after = rows[i][kPersonSeq].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) out.page.next_after = 0;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<VisitFigures> VisitStore::Figures(const std::string& region_prefix,
                                                 absl::CivilDay first, absl::CivilDay last) {
  VisitFigures figures;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("visit_pilot_list", region_prefix)) {
      PilotRecord p = PilotFromRow(row);
      if (PilotActiveIn(p.starts_on, p.ends_on, first, last)) {
        figures.pilots.push_back(std::move(p));
      }
    }
    const pqxx::row counts =
        txn.exec_prepared1("visit_figures", region_prefix, FormatDay(first), FormatDay(last));
    figures.visits = counts[0].as<int>();
    figures.persons_visited = counts[1].as<int>();
    return absl::OkStatus();
  }));
  return figures;
}

}  // namespace civil::eldercare
