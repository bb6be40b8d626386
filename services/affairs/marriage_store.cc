#include "services/affairs/marriage_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "civil/events/v1/events.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/calendar_store.h"
#include "services/common/errors.h"
#include "services/common/outbox.h"

namespace civil::affairs {
namespace {

const std::string& MarriageColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("marriage_id::text, region_code, registered_on::text, certificate_number, "
                   "status, ended_on::text, ",
                   MicrosOf("created_at")));
  return *columns;
}

MarriageRecord MarriageFromRow(const pqxx::row& row) {
  MarriageRecord m;
  m.marriage_id = row[0].as<std::string>();
  m.region_code = row[1].as<std::string>();
  m.registered_on = DayOf(row[2]);
  m.certificate_number = row[3].as<std::string>();
  m.status = row[4].as<std::string>();
  m.ended_on = OptionalDayOf(row[5]);
  m.create_time_micros = row[6].as<int64_t>();
  return m;
}

const std::string& DivorceColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "application_id::text, marriage_id::text, region_code, applied_on::text, "
      "completed_on::text, withdrawn_on::text, terminated_on::text, coalesce(withdrawn_by, 0), "
      "coalesce(certificate_number, ''), ",
      MicrosOf("created_at"), ", seq, cooling_off_end::text, window_end::text"));
  return *columns;
}

DivorceRecord DivorceFromRow(const pqxx::row& row) {
  DivorceRecord d;
  d.application_id = row[0].as<std::string>();
  d.marriage_id = row[1].as<std::string>();
  d.region_code = row[2].as<std::string>();
  d.facts.applied = DayOf(row[3]);
  d.facts.completed = OptionalDayOf(row[4]);
  d.facts.withdrawn = OptionalDayOf(row[5]);
  d.facts.terminated = OptionalDayOf(row[6]);
  d.withdrawn_by = row[7].as<int>();
  d.certificate_number = row[8].as<std::string>();
  d.create_time_micros = row[9].as<int64_t>();
  const absl::CivilDay cooling_off_end = DayOf(row[11]);
  const absl::CivilDay window_end = DayOf(row[12]);
  d.facts.timeline = DivorceTimeline{d.facts.applied, cooling_off_end, cooling_off_end + 1,
                                     window_end, window_end + 1};
  return d;
}

// Progress "as of" the end of time: all of it (no record is dated in the future).
const absl::CivilDay kEndOfTime(9999, 12, 31);

constexpr absl::string_view kDivorceStateNames[] = {
    "",          "COOLING_OFF", "AWAITING_CERTIFICATE",
    "COMPLETED", "WITHDRAWN",   "WITHDRAWN_BY_LAW",
    "TERMINATED"};

const std::string& BatchColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "b.batch_id::text, b.region_code, b.covers_from::text, b.covers_to::text, b.files_total, "
      "b.received_on::text, ",
      MicrosOf("b.created_at"),
      ", coalesce(sum(p.files) FILTER (WHERE p.stage = 'SCANNED'), 0), "
      "coalesce(sum(p.files) FILTER (WHERE p.stage = 'VERIFIED'), 0), "
      "coalesce(sum(p.files) FILTER (WHERE p.stage = 'TRANSFERRED'), 0), "
      "(SELECT min(d)::text FROM (SELECT on_date AS d, sum(files) OVER (ORDER BY on_date, "
      "progress_id) AS done FROM archive_progress WHERE batch_id = b.batch_id AND stage = "
      "'TRANSFERRED' AND on_date <= $1::date) x WHERE done >= b.files_total), b.seq"));
  return *columns;
}

ArchiveBatchRecord BatchFromRow(const pqxx::row& row) {
  ArchiveBatchRecord b;
  b.batch_id = row[0].as<std::string>();
  b.region_code = row[1].as<std::string>();
  b.covers_from = absl::CivilMonth(DayOf(row[2]));
  b.covers_to = absl::CivilMonth(DayOf(row[3]));
  b.totals.total = row[4].as<int64_t>();
  b.received_on = DayOf(row[5]);
  b.create_time_micros = row[6].as<int64_t>();
  b.totals.scanned = row[7].as<int64_t>();
  b.totals.verified = row[8].as<int64_t>();
  b.totals.transferred = row[9].as<int64_t>();
  b.done_on = OptionalDayOf(row[10]);
  return b;
}

}  // namespace

MarriageStore::MarriageStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("marriage_current_of",
                 "SELECT 1 FROM marriage_parties WHERE active AND id_index = $1");
  pool_->Prepare("marriage_last_ended_of",
                 "SELECT max(m.ended_on)::text FROM marriage_parties p JOIN marriages m "
                 "USING (marriage_id) WHERE p.id_index = $1");
  pool_->Prepare("marriage_certificate_taken",
                 "SELECT 1 FROM marriages WHERE certificate_number = $1 UNION ALL "
                 "SELECT 1 FROM divorce_applications WHERE certificate_number = $1");
  pool_->Prepare("marriage_insert",
                 "INSERT INTO marriages (region_code, registered_on, certificate_number, "
                 "created_by) VALUES ($1, $2::date, $3, $4) RETURNING marriage_id::text");
  pool_->Prepare("marriage_party_insert",
                 "INSERT INTO marriage_parties (marriage_id, side, name, id_cipher, id_index, "
                 "id_masked, birth_date, sex) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::date, $8)");
  pool_->Prepare("marriage_history_insert",
                 "INSERT INTO marriage_history (marriage_id, application_id, actor, action, "
                 "on_date, detail) VALUES ($1::uuid, $2::uuid, $3, $4, $5::date, $6::jsonb)");
  pool_->Prepare("marriage_get", absl::StrCat("SELECT ", MarriageColumns(),
                                              " FROM marriages WHERE marriage_id = $1::uuid"));
  pool_->Prepare("marriage_parties_of",
                 "SELECT side, name, id_masked, birth_date::text, sex, id_index FROM "
                 "marriage_parties WHERE marriage_id = $1::uuid ORDER BY side");
  pool_->Prepare("marriage_between",
                 "SELECT m.marriage_id::text, m.registered_on::text FROM marriages m "
                 "JOIN marriage_parties a ON a.marriage_id = m.marriage_id AND a.active AND "
                 "a.id_index = $1 JOIN marriage_parties b ON b.marriage_id = m.marriage_id AND "
                 "b.active AND b.id_index = $2 FOR UPDATE OF m");
  pool_->Prepare("divorce_of_marriage",
                 absl::StrCat("SELECT ", DivorceColumns(),
                              " FROM divorce_applications WHERE marriage_id = $1::uuid AND "
                              "state IN ('PENDING', 'WITHDRAWN') ORDER BY applied_on"));
  pool_->Prepare("divorce_persist_lapsed",
                 "UPDATE divorce_applications SET state = 'WITHDRAWN_BY_LAW' WHERE marriage_id = "
                 "$1::uuid AND state = 'PENDING' AND window_end < $2::date");
  pool_->Prepare(
      "divorce_insert",
      absl::StrCat("INSERT INTO divorce_applications (marriage_id, region_code, "
                   "applied_on, created_by, cooling_off_end, window_end) VALUES ($1::uuid, $2, "
                   "$3::date, $4, $5::date, $6::date) "
                   "RETURNING ",
                   DivorceColumns()));
  pool_->Prepare("divorce_get", absl::StrCat("SELECT ", DivorceColumns(),
                                             " FROM divorce_applications WHERE application_id = "
                                             "$1::uuid"));
  pool_->Prepare("divorce_lock", absl::StrCat("SELECT ", DivorceColumns(),
                                              " FROM divorce_applications WHERE application_id = "
                                              "$1::uuid FOR UPDATE"));
  pool_->Prepare("divorce_withdraw",
                 "UPDATE divorce_applications SET state = 'WITHDRAWN', withdrawn_on = $2::date, "
                 "withdrawn_by = $3 WHERE application_id = $1::uuid");
  pool_->Prepare("divorce_complete",
                 "UPDATE divorce_applications SET state = 'COMPLETED', completed_on = $2::date, "
                 "certificate_number = $3 WHERE application_id = $1::uuid");
  pool_->Prepare("marriage_end",
                 "UPDATE marriages SET status = $2, ended_on = greatest($3::date, registered_on) "
                 "WHERE marriage_id = $1::uuid");
  pool_->Prepare("marriage_parties_close",
                 "UPDATE marriage_parties SET active = false WHERE marriage_id = $1::uuid");
  // The state on $2 mirrors DivorceStateOn (marriage.h) on the periods kept with each row.
  pool_->Prepare(
      "divorce_list",
      absl::StrCat("SELECT ", DivorceColumns(),
                   " FROM divorce_applications WHERE region_code LIKE $1 || '%' AND seq > $3 AND "
                   "($4 = '' OR $4 = CASE WHEN completed_on <= $2::date THEN 'COMPLETED' "
                   "WHEN withdrawn_on <= $2::date THEN 'WITHDRAWN' "
                   "WHEN terminated_on <= $2::date THEN 'TERMINATED' "
                   "WHEN $2::date <= cooling_off_end THEN 'COOLING_OFF' "
                   "WHEN $2::date <= window_end THEN "
                   "'AWAITING_CERTIFICATE' ELSE 'WITHDRAWN_BY_LAW' END) ORDER BY seq LIMIT $5"));
  pool_->Prepare("marriage_current_of_person_lock",
                 "SELECT m.marriage_id::text FROM marriage_parties p JOIN marriages m USING "
                 "(marriage_id) WHERE p.active AND p.id_index = $1 FOR UPDATE OF m");
  pool_->Prepare("divorce_terminate",
                 "UPDATE divorce_applications SET state = CASE WHEN window_end < "
                 "$2::date THEN 'WITHDRAWN_BY_LAW' ELSE 'TERMINATED' END, terminated_on = CASE "
                 "WHEN window_end < $2::date THEN NULL ELSE greatest($2::date, "
                 "applied_on) END WHERE marriage_id = $1::uuid AND state = 'PENDING'");
  pool_->Prepare("archive_batch_insert",
                 "INSERT INTO archive_batches (region_code, covers_from, covers_to, files_total, "
                 "received_on, created_by) VALUES ($1, $2::date, $3::date, $4, $5::date, $6) "
                 "RETURNING batch_id::text");
  pool_->Prepare("archive_batch_get",
                 absl::StrCat("SELECT ", BatchColumns(),
                              " FROM archive_batches b LEFT JOIN archive_progress p ON "
                              "p.batch_id = b.batch_id AND p.on_date <= $1::date WHERE b.batch_id "
                              "= $2::uuid GROUP BY b.batch_id"));
  pool_->Prepare("archive_batch_lock",
                 "SELECT 1 FROM archive_batches WHERE batch_id = $1::uuid FOR UPDATE");
  pool_->Prepare("archive_progress_insert",
                 "INSERT INTO archive_progress (batch_id, stage, files, on_date, actor) VALUES "
                 "($1::uuid, $2, $3, $4::date, $5)");
  pool_->Prepare("archive_batch_list",
                 absl::StrCat("SELECT ", BatchColumns(),
                              " FROM archive_batches b LEFT JOIN archive_progress p ON "
                              "p.batch_id = b.batch_id AND p.on_date <= $1::date WHERE "
                              "b.region_code LIKE $2 || '%' AND b.seq > $3 GROUP BY b.batch_id "
                              "ORDER BY b.seq LIMIT $4"));
}

std::vector<PartyRecord> MarriageStore::Parties(pqxx::transaction_base& txn,
                                                const std::string& marriage_id) {
  std::vector<PartyRecord> parties;
  for (const auto& row : txn.exec_prepared("marriage_parties_of", marriage_id)) {
    parties.push_back(PartyRecord{row[0].as<int>(), row[1].as<std::string>(),
                                  row[2].as<std::string>(), DayOf(row[3]),
                                  row[4].as<std::string>()});
  }
  return parties;
}

absl::StatusOr<MarriageRecord> MarriageStore::LoadMarriage(pqxx::transaction_base& txn,
                                                           const std::string& marriage_id) {
  pqxx::result r = txn.exec_prepared("marriage_get", marriage_id);
  if (r.empty()) return absl::NotFoundError("marriage_id: no such marriage");
  MarriageRecord m = MarriageFromRow(r[0]);
  m.parties = Parties(txn, marriage_id);
  return m;
}

absl::StatusOr<DivorceRecord> MarriageStore::LoadDivorce(pqxx::transaction_base& txn,
                                                         const std::string& application_id,
                                                         bool lock) {
  pqxx::result r = txn.exec_prepared(lock ? "divorce_lock" : "divorce_get", application_id);
  if (r.empty()) return absl::NotFoundError("application_id: no such divorce application");
  DivorceRecord d = DivorceFromRow(r[0]);
  d.parties = Parties(txn, d.marriage_id);
  return d;
}

absl::StatusOr<MarriageRecord> MarriageStore::Register(const MarriageDraft& draft,
                                                       const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId a, ProtectId(*pii_, draft.a.id));
  CIVIL_ASSIGN_OR_RETURN(const StoredId b, ProtectId(*pii_, draft.b.id));
  MarriageRecord created;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::pair<const char*, const StoredId*> parties[] = {{"party_a", &a}, {"party_b", &b}};
    for (const auto& [field, id] : parties) {
      if (std::optional<absl::CivilDay> death = DeathOf(txn, id->index)) {
        return absl::FailedPreconditionError(
            absl::StrCat(field, ".id_number: the platform records the death of ", id->masked,
                         " on ", FormatDay(*death)));
      }
      if (!txn.exec_prepared("marriage_current_of", id->index).empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            field, ".id_number: ", id->masked,
            " is currently married according to the platform's records (民法典第1042条 "
            "prohibits bigamy)"));
      }
      pqxx::result ended = txn.exec_prepared("marriage_last_ended_of", id->index);
      if (!ended.empty() && !ended[0][0].is_null() && DayOf(ended[0][0]) > draft.registered_on) {
        return absl::FailedPreconditionError(
            absl::StrCat(field, ".id_number: a previous marriage of ", id->masked, " ended on ",
                         ended[0][0].as<std::string>(), ", after the registration date"));
      }
    }
    if (!txn.exec_prepared("marriage_certificate_taken", draft.certificate_number).empty()) {
      return absl::AlreadyExistsError("certificate_number: is already registered");
    }
    std::string marriage_id;
    try {
      marriage_id =
          txn.exec_prepared1("marriage_insert", draft.region.value(),
                             FormatDay(draft.registered_on), draft.certificate_number, actor)[0]
              .as<std::string>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError("certificate_number: is already registered");
    }
    const PartyDraft* drafts[] = {&draft.a, &draft.b};
    for (int side = 1; side <= 2; ++side) {
      const StoredId& id = side == 1 ? a : b;
      const PartyDraft& party = *drafts[side - 1];
      try {
        txn.exec_prepared("marriage_party_insert", marriage_id, side, party.name, Bytes(id.cipher),
                          id.index, id.masked, FormatDay(party.id.birth_date()), SexCode(party.id));
      } catch (const pqxx::unique_violation&) {
        // A concurrent registration married this person after our check.
        return absl::FailedPreconditionError(absl::StrCat(
            side == 1 ? "party_a" : "party_b", ".id_number: ", id.masked,
            " is currently married according to the platform's records (民法典第1042条 "
            "prohibits bigamy)"));
      }
    }
    for (int side = 1; side <= 2; ++side) {
      const StoredId& subject = side == 1 ? a : b;
      const StoredId& spouse = side == 1 ? b : a;
      civil::events::v1::MarriageRegistered event;
      event.set_marriage_id(marriage_id);
      event.set_spouse_index(spouse.index);
      event.set_registered_on(FormatDay(draft.registered_on));
      WriteEvent(txn, "affairs", EventSubject{subject.index, subject.masked}, event);
    }
    txn.exec_prepared("marriage_history_insert", marriage_id, nullptr, actor, "REGISTERED",
                      FormatDay(draft.registered_on), "{}");
    CIVIL_ASSIGN_OR_RETURN(created, LoadMarriage(txn, marriage_id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<MarriageRecord> MarriageStore::GetMarriage(const std::string& marriage_id) {
  absl::StatusOr<MarriageRecord> result = absl::NotFoundError("marriage_id: no such marriage");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    result = LoadMarriage(txn, marriage_id);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<DivorceRecord> MarriageStore::ApplyDivorce(const IdNumber& a, const IdNumber& b,
                                                          absl::CivilDay date,
                                                          const RegionCode& region,
                                                          const std::string& actor) {
  const std::string a_index = pii_->BlindIndex(a.value());
  const std::string b_index = pii_->BlindIndex(b.value());
  DivorceRecord created;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result m = txn.exec_prepared("marriage_between", a_index, b_index);
    if (m.empty()) {
      return absl::FailedPreconditionError(
          "party_b_id_number: the parties have no current marriage with each other in the "
          "platform's records");
    }
    const std::string marriage_id = m[0][0].as<std::string>();
    if (date < DayOf(m[0][1])) {
      return absl::FailedPreconditionError(
          absl::StrCat("application_date: must not be before the marriage was registered on ",
                       m[0][1].as<std::string>()));
    }
    std::vector<DivorceFacts> earlier;
    for (const auto& row : txn.exec_prepared("divorce_of_marriage", marriage_id)) {
      earlier.push_back(DivorceFromRow(row).facts);
    }
    CIVIL_RETURN_IF_ERROR(CheckNewApplication(earlier, date));
    txn.exec_prepared("divorce_persist_lapsed", marriage_id, FormatDay(date));
    // The periods over the holiday calendar as it stands at filing (民法典 第203条).
    CIVIL_ASSIGN_OR_RETURN(const HolidayCalendar calendar, LoadHolidayCalendar(txn));
    const DivorceTimeline t = TimelineOf(date, calendar);
    DivorceRecord d = DivorceFromRow(
        txn.exec_prepared1("divorce_insert", marriage_id, region.value(), FormatDay(date), actor,
                           FormatDay(t.cooling_off_end), FormatDay(t.window_end)));
    txn.exec_prepared("marriage_history_insert", marriage_id, d.application_id, actor,
                      "DIVORCE_APPLIED", FormatDay(date), "{}");
    d.parties = Parties(txn, marriage_id);
    created = std::move(d);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<DivorceRecord> MarriageStore::GetDivorce(const std::string& application_id) {
  absl::StatusOr<DivorceRecord> result =
      absl::NotFoundError("application_id: no such divorce application");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    result = LoadDivorce(txn, application_id, false);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<DivorceRecord> MarriageStore::WithdrawDivorce(
    const std::string& application_id, int side, absl::CivilDay date, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_region) {
  DivorceRecord updated;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(DivorceRecord d, LoadDivorce(txn, application_id, true));
    CIVIL_RETURN_IF_ERROR(check_region(d.region_code));
    CIVIL_RETURN_IF_ERROR(CheckWithdrawal(d.facts, date));
    txn.exec_prepared("divorce_withdraw", application_id, FormatDay(date), side);
    nlohmann::json detail = {{"side", side}};
    txn.exec_prepared("marriage_history_insert", d.marriage_id, application_id, actor,
                      "DIVORCE_WITHDRAWN", FormatDay(date), detail.dump());
    d.facts.withdrawn = date;
    d.withdrawn_by = side;
    updated = std::move(d);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<DivorceRecord> MarriageStore::CompleteDivorce(
    const std::string& application_id, absl::CivilDay date, const std::string& certificate_number,
    const std::string& actor, const std::function<absl::Status(const std::string&)>& check_region) {
  DivorceRecord updated;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(DivorceRecord d, LoadDivorce(txn, application_id, true));
    CIVIL_RETURN_IF_ERROR(check_region(d.region_code));
    CIVIL_RETURN_IF_ERROR(CheckCompletion(d.facts, date));
    if (!txn.exec_prepared("marriage_certificate_taken", certificate_number).empty()) {
      return absl::AlreadyExistsError("certificate_number: is already registered");
    }
    try {
      txn.exec_prepared("divorce_complete", application_id, FormatDay(date), certificate_number);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError("certificate_number: is already registered");
    }
    txn.exec_prepared("marriage_end", d.marriage_id, "DIVORCED", FormatDay(date));
    txn.exec_prepared("marriage_parties_close", d.marriage_id);
    std::vector<std::pair<std::string, std::string>> subjects;  // index, masked
    for (const auto& row : txn.exec_prepared("marriage_parties_of", d.marriage_id)) {
      subjects.emplace_back(row[5].as<std::string>(), row[2].as<std::string>());
    }
    for (size_t i = 0; i < subjects.size(); ++i) {
      civil::events::v1::DivorceCompleted event;
      event.set_marriage_id(d.marriage_id);
      event.set_spouse_index(subjects[subjects.size() - 1 - i].first);
      event.set_completed_on(FormatDay(date));
      WriteEvent(txn, "affairs", EventSubject{subjects[i].first, subjects[i].second}, event);
    }
    txn.exec_prepared("marriage_history_insert", d.marriage_id, application_id, actor,
                      "DIVORCE_COMPLETED", FormatDay(date), "{}");
    d.facts.completed = date;
    d.certificate_number = certificate_number;
    updated = std::move(d);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<Page<DivorceRecord>> MarriageStore::ListDivorces(const std::string& region_prefix,
                                                                std::optional<DivorceState> state,
                                                                absl::CivilDay as_of, int64_t after,
                                                                int page_size) {
  const std::string state_name =
      state ? std::string(kDivorceStateNames[static_cast<int>(*state)]) : "";
  Page<DivorceRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("divorce_list", region_prefix, FormatDay(as_of), after,
                                          state_name, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      DivorceRecord d = DivorceFromRow(rows[i]);
      d.parties = Parties(txn, d.marriage_id);
      page.items.push_back(std::move(d));
      page.next_after = rows[i][10].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::Status MarriageStore::OnDeath(pqxx::transaction_base& txn, const Death& death) {
  for (const auto& row : txn.exec_prepared("marriage_current_of_person_lock", death.id_index)) {
    const std::string marriage_id = row[0].as<std::string>();
    txn.exec_prepared("marriage_end", marriage_id, "ENDED_BY_DEATH",
                      FormatDay(death.date_of_death));
    txn.exec_prepared("marriage_parties_close", marriage_id);
    txn.exec_prepared("divorce_terminate", marriage_id, FormatDay(death.date_of_death));
    nlohmann::json detail = {{"cremation_id", death.cremation_id}};
    txn.exec_prepared("marriage_history_insert", marriage_id, nullptr, death.actor,
                      "ENDED_BY_DEATH", FormatDay(death.date_of_death), detail.dump());
  }
  return absl::OkStatus();
}

absl::StatusOr<ArchiveBatchRecord> MarriageStore::CreateArchiveBatch(const ArchiveBatchDraft& draft,
                                                                     const std::string& actor) {
  ArchiveBatchRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string id =
        txn.exec_prepared1("archive_batch_insert", draft.region.value(),
                           FormatDay(absl::CivilDay(draft.covers_from)),
                           FormatDay(absl::CivilDay(draft.covers_to)), draft.files_total,
                           FormatDay(draft.received_on), actor)[0]
            .as<std::string>();
    CIVIL_ASSIGN_OR_RETURN(created, LoadBatch(txn, id, kEndOfTime));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<ArchiveBatchRecord> MarriageStore::LoadBatch(pqxx::transaction_base& txn,
                                                            const std::string& batch_id,
                                                            absl::CivilDay as_of) {
  pqxx::result r = txn.exec_prepared("archive_batch_get", FormatDay(as_of), batch_id);
  if (r.empty()) return absl::NotFoundError("batch_id: no such archive batch");
  return BatchFromRow(r[0]);
}

absl::StatusOr<ArchiveBatchRecord> MarriageStore::RecordArchiveProgress(
    const std::string& batch_id, ArchiveStage stage, int64_t files, absl::CivilDay date,
    const std::string& actor, const std::function<absl::Status(const std::string&)>& check_region) {
  ArchiveBatchRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (txn.exec_prepared("archive_batch_lock", batch_id).empty()) {
      return absl::NotFoundError("batch_id: no such archive batch");
    }
    // All progress so far, whatever its date: the stage limits hold over the batch's life.
    CIVIL_ASSIGN_OR_RETURN(const ArchiveBatchRecord all, LoadBatch(txn, batch_id, kEndOfTime));
    CIVIL_RETURN_IF_ERROR(check_region(all.region_code));
    if (date < all.received_on) {
      return absl::FailedPreconditionError(absl::StrCat(
          "date: must not be before the batch was received on ", FormatDay(all.received_on)));
    }
    CIVIL_RETURN_IF_ERROR(CheckArchiveProgress(all.totals, stage, files));
    txn.exec_prepared("archive_progress_insert", batch_id,
                      std::string(kArchiveStageNames.Name(static_cast<int>(stage))), files,
                      FormatDay(date), actor);
    CIVIL_ASSIGN_OR_RETURN(updated, LoadBatch(txn, batch_id, kEndOfTime));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<Page<ArchiveBatchRecord>> MarriageStore::ListArchiveBatches(
    const std::string& region_prefix, absl::CivilDay as_of, int64_t after, int page_size) {
  Page<ArchiveBatchRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("archive_batch_list", FormatDay(as_of), region_prefix,
                                          after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(BatchFromRow(rows[i]));
      page.next_after = rows[i][11].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

}  // namespace civil::affairs
