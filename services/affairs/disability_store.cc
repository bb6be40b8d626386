#include "services/affairs/disability_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "civil/events/v1/events.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil::affairs {
namespace {

const std::string& PersonColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "person_id::text, name, id_masked, birth_date::text, sex, region_code, category, grade, "
      "certified_on::text, long_term_care, ",
      MicrosOf("created_at"), ", id_cipher, seq, certificate_revoked_on::text"));
  return *columns;
}

PersonRecord PersonFromRow(const pqxx::row& row) {
  PersonRecord p;
  p.person_id = row[0].as<std::string>();
  p.name = row[1].as<std::string>();
  p.id_masked = row[2].as<std::string>();
  p.birth_date = DayOf(row[3]);
  p.sex = row[4].as<std::string>();
  p.region_code = row[5].as<std::string>();
  p.category = kCategoryNames.Value(row[6].as<std::string>());
  p.grade = row[7].as<int>();
  p.certified_on = DayOf(row[8]);
  p.long_term_care = row[9].as<bool>();
  p.create_time_micros = row[10].as<int64_t>();
  p.certificate_revoked_on = OptionalDayOf(row[13]);
  return p;
}

// Subsidy columns, optionally followed by the person's id_cipher (for Subjects).
const std::string& SubsidyColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "s.subsidy_id::text, s.person_id::text, s.kind, s.status, s.applied_on::text, "
      "s.start_month::text, s.end_month::text, s.dibao_enrolment_id, s.dibao_since, s.reason, "
      "s.region_code, ",
      MicrosOf("s.updated_at"), ", s.seq"));
  return *columns;
}

SubsidyRecord SubsidyFromRow(const pqxx::row& row) {
  SubsidyRecord s;
  s.subsidy_id = row[0].as<std::string>();
  s.person_id = row[1].as<std::string>();
  s.kind = static_cast<SubsidyKind>(kSubsidyKindNames.Value(row[2].as<std::string>()));
  s.status = static_cast<SubsidyStatus>(kSubsidyStatusNames.Value(row[3].as<std::string>()));
  s.applied_on = DayOf(row[4]);
  s.start_month = absl::CivilMonth(DayOf(row[5]));
  if (std::optional<absl::CivilDay> end = OptionalDayOf(row[6]))
    s.end_month = absl::CivilMonth(*end);
  s.dibao_enrolment_id = row[7].as<std::string>();
  s.dibao_since = row[8].as<std::string>();
  s.reason = row[9].as<std::string>();
  s.region_code = row[10].as<std::string>();
  s.update_time_micros = row[11].as<int64_t>();
  return s;
}

std::string KindName(SubsidyKind kind) {
  return std::string(kSubsidyKindNames.Name(static_cast<int>(kind)));
}

constexpr char kStandardColumns[] =
    "standard_id::text, kind, grade, region_prefix, effective_month::text, monthly_fen, "
    "(extract(epoch from created_at) * 1000000)::bigint";

StandardRecord StandardFromRow(const pqxx::row& row) {
  return StandardRecord{
      row[0].as<std::string>(),
      StandardDraft{static_cast<SubsidyKind>(kSubsidyKindNames.Value(row[1].as<std::string>())),
                    row[2].as<int>(), *RegionCode::Parse(row[3].as<std::string>()),
                    absl::CivilMonth(DayOf(row[4])), row[5].as<int64_t>()},
      row[6].as<int64_t>()};
}

// The monthly amount (SQL, NULL when no standard applies) of a subsidy of `kind` for a person of
// `grade` living in `region` for the month starting `month` (each an SQL expression): the most
// local standard for the grade (or every grade) effective in the month. The one pricing rule of
// the payment runs and the back-payments.
std::string StandardFenSql(absl::string_view kind, absl::string_view grade,
                           absl::string_view region, absl::string_view month) {
  return absl::StrCat("(SELECT st.monthly_fen FROM subsidy_standards st WHERE st.kind = ", kind,
                      " AND st.grade IN (0, ", grade, ") AND ", region,
                      " LIKE st.region_prefix || '%' AND st.effective_month <= ", month,
                      " ORDER BY length(st.region_prefix) DESC, st.grade DESC, "
                      "st.effective_month DESC LIMIT 1)");
}

// Persons due a payment of kind $1 for the month starting $2 within prefix $3, each with the
// standard that prices it (NULL when none applies).
const std::string& DueSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "WITH due AS (SELECT s.subsidy_id, s.person_id, s.kind, p.region_code, p.grade "
      "FROM subsidies s JOIN disabled_persons p USING (person_id) "
      "WHERE s.kind = $1 AND s.status IN ('ACTIVE', 'STOPPED') AND s.start_month <= $2::date "
      "AND (s.end_month IS NULL OR s.end_month > $2::date) AND p.region_code LIKE $3 || '%' "
      "AND NOT EXISTS (SELECT 1 FROM cremations c WHERE c.id_index = p.id_index "
      "AND c.date_of_death < $2::date) "
      "AND NOT EXISTS (SELECT 1 FROM death_registry d WHERE d.subject_index = p.id_index "
      "AND d.date_of_death < $2::date)), "
      "priced AS (SELECT due.*, ",
      StandardFenSql("due.kind", "due.grade", "due.region_code", "$2::date"),
      " AS monthly_fen FROM due) "));
  return *sql;
}

// Closes what the person with `subject` had from `stop` (a death, a move out of the county) with
// the "subsidy_close_for_person" statement: a history row by `actor` on `on_date` for each
// subsidy stopped or rejected, and a DisabilitySubsidyStopped (`event_reason`, the subsidy's
// region) for each stopped. Returns how many changed.
int CloseForPerson(pqxx::transaction_base& txn, const EventSubject& subject, absl::CivilMonth stop,
                   const std::string& reason, const std::string& actor, absl::CivilDay on_date,
                   const std::string& detail, const std::string& event_reason) {
  int closed = 0;
  for (const auto& row :
       txn.exec_prepared("subsidy_close_for_person", subject.index, MonthDay(stop), reason)) {
    ++closed;
    const std::string subsidy_id = row[0].as<std::string>();
    const std::string action = row[3].as<std::string>();
    txn.exec_prepared("subsidy_history_insert", subsidy_id, actor, action, FormatDay(on_date),
                      detail);
    if (action != "STOPPED") continue;
    civil::events::v1::DisabilitySubsidyStopped event;
    event.set_subsidy(row[1].as<std::string>());
    event.set_effective_month(row[2].as<std::string>().substr(0, 7));
    event.set_reason(event_reason);
    event.set_region_code(row[4].as<std::string>());
    WriteEvent(txn, "affairs", subject, event);
  }
  return closed;
}

}  // namespace

DisabilityStore::DisabilityStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("disabled_person_insert",
                 absl::StrCat("INSERT INTO disabled_persons (name, id_cipher, id_index, id_masked, "
                              "birth_date, sex, region_code, category, grade, certified_on, "
                              "long_term_care, created_by) VALUES ($1, $2, $3, $4, $5::date, $6, "
                              "$7, $8, $9, $10::date, $11, $12) RETURNING ",
                              PersonColumns()));
  pool_->Prepare("disabled_person_get",
                 absl::StrCat("SELECT ", PersonColumns(),
                              ", id_index FROM disabled_persons WHERE person_id = $1::uuid"));
  pool_->Prepare("disabled_person_lock",
                 "SELECT id_index FROM disabled_persons WHERE person_id = $1::uuid FOR UPDATE");
  pool_->Prepare("subsidies_of_person",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              " FROM subsidies s WHERE s.person_id = $1::uuid ORDER BY s.seq"));
  pool_->Prepare("subsidy_open_of",
                 "SELECT status, end_month::text FROM subsidies WHERE person_id = $1::uuid AND "
                 "kind = $2 AND (status IN ('PENDING_ELIGIBILITY', 'ACTIVE') OR "
                 "(status = 'STOPPED' AND end_month > $3::date))");
  pool_->Prepare("subsidy_insert",
                 "INSERT INTO subsidies (person_id, kind, status, applied_on, start_month, "
                 "region_code, dibao_enrolment_id, dibao_since, reason, created_by) SELECT "
                 "$1::uuid, $2, $3, $4::date, $5::date, region_code, $6, $7, $8, $9 FROM "
                 "disabled_persons WHERE person_id = $1::uuid RETURNING subsidy_id::text");
  pool_->Prepare("subsidy_history_insert",
                 "INSERT INTO subsidy_history (subsidy_id, actor, action, on_date, detail) VALUES "
                 "($1::uuid, $2, $3, $4::date, $5::jsonb)");
  pool_->Prepare("subsidy_get", absl::StrCat("SELECT ", SubsidyColumns(),
                                             " FROM subsidies s WHERE s.subsidy_id = $1::uuid"));
  pool_->Prepare("subsidy_lock",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              " FROM subsidies s WHERE s.subsidy_id = $1::uuid FOR UPDATE"));
  pool_->Prepare("subsidy_list",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              " FROM subsidies s WHERE s.region_code LIKE $1 || '%' AND "
                              "($2 = '' OR s.kind = $2) AND ($3 = '' OR s.status = $3) AND "
                              "s.seq > $4 ORDER BY s.seq LIMIT $5"));
  pool_->Prepare("subsidy_pending",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              ", p.id_cipher FROM subsidies s JOIN disabled_persons p USING "
                              "(person_id) WHERE s.status = 'PENDING_ELIGIBILITY' AND "
                              "s.region_code LIKE $1 || '%' AND ($2 = '' OR s.subsidy_id::text = "
                              "$2) ORDER BY s.seq LIMIT $3"));
  pool_->Prepare("subsidy_active_living",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              ", p.id_cipher FROM subsidies s JOIN disabled_persons p USING "
                              "(person_id) WHERE s.status = 'ACTIVE' AND s.kind = 'LIVING' AND "
                              "s.region_code LIKE $1 || '%' ORDER BY s.seq LIMIT $2"));
  pool_->Prepare("subsidy_resolve",
                 "UPDATE subsidies SET status = $2, dibao_enrolment_id = $3, dibao_since = $4, "
                 "reason = $5, version = version + 1, updated_at = now() "
                 "WHERE subsidy_id = $1::uuid");
  pool_->Prepare("subsidy_stop",
                 "UPDATE subsidies SET status = 'STOPPED', end_month = greatest($2::date, "
                 "start_month), reason = $3, version = version + 1, updated_at = now() "
                 "WHERE subsidy_id = $1::uuid");
  pool_->Prepare("subsidy_subject_of",
                 "SELECT p.id_index, p.id_masked FROM subsidies s JOIN disabled_persons p USING "
                 "(person_id) WHERE s.subsidy_id = $1::uuid");
  // A death or a move out of the county: active subsidies stop from $2 (the month after),
  // stopped ones that ran later are brought back to it (an earlier date of death, a move before
  // the stop), pending ones are rejected; stopped ones ending by $2 are left alone, so the same
  // fact applied again changes nothing. One statement, since it runs inside every cremation's
  // (and the event consumer's) transaction.
  pool_->Prepare(
      "subsidy_close_for_person",
      "WITH person AS (SELECT person_id FROM disabled_persons WHERE id_index = $1), "
      "stopped AS (UPDATE subsidies s SET status = 'STOPPED', end_month = greatest($2::date, "
      "s.start_month), reason = $3, version = s.version + 1, updated_at = now() FROM person p "
      "WHERE s.person_id = p.person_id AND (s.status = 'ACTIVE' OR (s.status = 'STOPPED' AND "
      "s.end_month > greatest($2::date, s.start_month))) RETURNING s.subsidy_id::text, "
      "s.kind, s.end_month::text, 'STOPPED' AS action, s.region_code), "
      "rejected AS (UPDATE subsidies s SET status = 'REJECTED', reason = $3, version = s.version "
      "+ 1, updated_at = now() FROM person p WHERE s.person_id = p.person_id AND s.status = "
      "'PENDING_ELIGIBILITY' RETURNING s.subsidy_id::text, s.kind, '' AS end_month, 'REJECTED' "
      "AS action, s.region_code) SELECT * FROM stopped UNION ALL SELECT * FROM rejected");
  pool_->Prepare("subsidies_of_subject",
                 absl::StrCat("SELECT ", SubsidyColumns(),
                              " FROM subsidies s JOIN disabled_persons p USING (person_id) WHERE "
                              "p.id_index = $1 ORDER BY s.seq"));
  pool_->Prepare(
      "federation_certificate_upsert",
      "INSERT INTO federation_certificates (id_index, id_masked, certificate_number, category, "
      "grade, revoked_on, event_date, event_id) VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, "
      "$8::uuid) ON CONFLICT (id_index) DO UPDATE SET certificate_number = "
      "excluded.certificate_number, category = CASE WHEN excluded.category = '' THEN "
      "federation_certificates.category ELSE excluded.category END, grade = CASE WHEN "
      "excluded.grade = 0 THEN federation_certificates.grade ELSE excluded.grade END, "
      "revoked_on = excluded.revoked_on, event_date = excluded.event_date, event_id = "
      "excluded.event_id, updated_at = now()");
  // A registered person follows the federation's certificate: its type and grade (when named)
  // and whether it is revoked.
  pool_->Prepare("disabled_person_follow_certificate",
                 "UPDATE disabled_persons p SET category = CASE WHEN f.category = '' THEN "
                 "p.category ELSE f.category END, grade = CASE WHEN f.grade = 0 THEN p.grade ELSE "
                 "f.grade END, certificate_revoked_on = f.revoked_on FROM federation_certificates "
                 "f WHERE p.id_index = $1 AND f.id_index = p.id_index RETURNING p.grade");
  // The subsidies of kinds $2 (an array literal) of the person stop from $3: active ones (never
  // before their start), pending ones rejected.
  pool_->Prepare(
      "subsidy_close_for_certificate",
      "WITH person AS (SELECT person_id FROM disabled_persons WHERE id_index = $1), "
      "stopped AS (UPDATE subsidies s SET status = 'STOPPED', end_month = greatest($3::date, "
      "s.start_month), reason = $4, version = s.version + 1, updated_at = now() FROM person p "
      "WHERE s.person_id = p.person_id AND s.kind = ANY ($2::text[]) AND s.status = 'ACTIVE' "
      "RETURNING s.subsidy_id::text, s.kind, s.end_month::text, 'STOPPED' AS action, "
      "s.region_code), rejected AS (UPDATE subsidies s SET status = 'REJECTED', reason = $4, "
      "version = s.version "
      "+ 1, updated_at = now() FROM person p WHERE s.person_id = p.person_id AND s.kind = ANY "
      "($2::text[]) AND s.status = 'PENDING_ELIGIBILITY' RETURNING s.subsidy_id::text, s.kind, "
      "'' AS end_month, 'REJECTED' AS action, s.region_code) SELECT * FROM stopped UNION ALL "
      "SELECT * FROM rejected");
  // A resumed living subsidy's back-payment: the latest month a LIVING run completed for the
  // person's region, the months already paid to the person, the price of each month owed, and
  // the adjustment rows (once per person, kind and month, whatever else paid it meanwhile).
  pool_->Prepare("subsidy_back_pay_subject",
                 "SELECT s.person_id::text, p.region_code, p.grade, p.id_index, (SELECT "
                 "max(r.month)::text FROM subsidy_payment_runs r WHERE r.kind = s.kind AND "
                 "p.region_code LIKE r.region_prefix || '%') FROM subsidies s JOIN "
                 "disabled_persons p USING (person_id) WHERE s.subsidy_id = $1::uuid");
  pool_->Prepare("subsidy_paid_months_since",
                 "SELECT month::text FROM subsidy_payments WHERE person_id = $1::uuid AND kind = "
                 "$2 AND month >= $3::date ORDER BY month");
  pool_->Prepare(
      "subsidy_back_pay_price",
      absl::StrCat("SELECT m.month::text, ",
                   StandardFenSql("s.kind", "p.grade", "p.region_code", "m.month"),
                   " FROM subsidies s JOIN disabled_persons p USING (person_id), "
                   "unnest($2::date[]) AS m(month) WHERE s.subsidy_id = $1::uuid ORDER BY "
                   "m.month"));
  pool_->Prepare("subsidy_back_pay_insert",
                 "INSERT INTO subsidy_payments (subsidy_id, person_id, kind, month, amount_fen, "
                 "region_code, run_id, payment_type, event_id) SELECT s.subsidy_id, s.person_id, "
                 "s.kind, m.month, m.fen, p.region_code, NULL, 'ADJUSTMENT', $4 FROM subsidies "
                 "s JOIN disabled_persons p USING (person_id), unnest($2::date[], $3::bigint[]) "
                 "AS m(month, fen) WHERE s.subsidy_id = $1::uuid ON CONFLICT (person_id, kind, "
                 "month) DO NOTHING RETURNING month::text, amount_fen");
  pool_->Prepare("subsidy_standard_insert",
                 absl::StrCat("INSERT INTO subsidy_standards (kind, grade, region_prefix, "
                              "effective_month, monthly_fen, created_by) VALUES ($1, $2, $3, "
                              "$4::date, $5, $6) RETURNING ",
                              kStandardColumns));
  pool_->Prepare("subsidy_standard_list",
                 absl::StrCat("SELECT ", kStandardColumns,
                              " FROM subsidy_standards WHERE region_prefix LIKE $1 || '%' ORDER "
                              "BY kind, region_prefix, grade, effective_month"));
  pool_->Prepare("subsidy_run_insert",
                 "INSERT INTO subsidy_payment_runs (kind, month, region_prefix, due, paid, "
                 "paid_fen, actor) VALUES ($1, $2::date, $3, 0, 0, 0, $4) RETURNING run_id::text");
  pool_->Prepare("subsidy_run_due",
                 absl::StrCat(DueSql(),
                              "SELECT count(*), count(*) FILTER (WHERE monthly_fen IS NULL) "
                              "FROM priced"));
  pool_->Prepare(
      "subsidy_run_pay",
      absl::StrCat(DueSql(),
                   "INSERT INTO subsidy_payments (subsidy_id, person_id, kind, month, amount_fen, "
                   "region_code, run_id) SELECT subsidy_id, person_id, kind, $2::date, "
                   "monthly_fen, region_code, $4::uuid FROM priced WHERE monthly_fen IS NOT NULL "
                   "ON CONFLICT (person_id, kind, month) DO NOTHING RETURNING amount_fen"));
  // The region's back-payments of the kind no run has settled, settled by this one (each once:
  // the primary key makes an overlapping run skip what another took), with their count and money.
  pool_->Prepare(
      "subsidy_run_settle",
      "WITH settled AS (INSERT INTO subsidy_adjustment_settlements (payment_id, run_id) SELECT "
      "p.payment_id, $3::uuid FROM subsidy_payments p WHERE p.payment_type = 'ADJUSTMENT' AND "
      "p.kind = $1 AND p.region_code LIKE $2 || '%' AND NOT EXISTS (SELECT 1 FROM "
      "subsidy_adjustment_settlements s WHERE s.payment_id = p.payment_id) ORDER BY p.payment_id "
      "ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id) SELECT count(*)::int, "
      "coalesce(sum(p.amount_fen), 0)::bigint FROM settled JOIN subsidy_payments p USING "
      "(payment_id)");
  pool_->Prepare("subsidy_run_update",
                 "UPDATE subsidy_payment_runs SET due = $2, paid = $3, paid_fen = $4 WHERE "
                 "run_id = $1::uuid");
}

absl::StatusOr<PersonRecord> DisabilityStore::RegisterPerson(const DisabledPersonDraft& draft,
                                                             const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId id, ProtectId(*pii_, draft.id));
  PersonRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<absl::CivilDay> death = DeathOf(txn, id.index)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "id_number: the platform records the death of ", id.masked, " on ", FormatDay(*death)));
    }
    try {
      created = PersonFromRow(txn.exec_prepared1(
          "disabled_person_insert", draft.name, Bytes(id.cipher), id.index, id.masked,
          FormatDay(draft.id.birth_date()), SexCode(draft.id), draft.region.value(),
          std::string(kCategoryNames.Name(draft.category)), draft.grade,
          FormatDay(draft.certified_on), draft.long_term_care, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("id_number: ", id.masked, " is already registered"));
    }
    // The federation's certificate, when it reported one, is the person's type and grade.
    if (!txn.exec_prepared("disabled_person_follow_certificate", id.index).empty()) {
      created = PersonFromRow(txn.exec_prepared1("disabled_person_get", created.person_id));
    }
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<std::pair<PersonRecord, std::vector<SubsidyRecord>>> DisabilityStore::GetPerson(
    const std::string& person_id) {
  absl::StatusOr<std::pair<PersonRecord, std::vector<SubsidyRecord>>> result =
      absl::NotFoundError("person_id: no such person");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("disabled_person_get", person_id);
    if (r.empty()) return absl::OkStatus();
    std::vector<SubsidyRecord> subsidies;
    for (const auto& row : txn.exec_prepared("subsidies_of_person", person_id)) {
      subsidies.push_back(SubsidyFromRow(row));
    }
    result = std::make_pair(PersonFromRow(r[0]), std::move(subsidies));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::tuple<PersonRecord, IdNumber, std::optional<absl::CivilDay>>>
DisabilityStore::PersonForSubsidy(const std::string& person_id) {
  absl::StatusOr<std::tuple<PersonRecord, IdNumber, std::optional<absl::CivilDay>>> result =
      absl::NotFoundError("person_id: no such person");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("disabled_person_get", person_id);
    if (r.empty()) return absl::OkStatus();
    pqxx::binarystring cipher(r[0][11]);
    CIVIL_ASSIGN_OR_RETURN(const std::string clear, pii_->Decrypt(cipher.str()));
    CIVIL_ASSIGN_OR_RETURN(IdNumber id, IdNumber::Parse(clear, absl::CivilDay(9999, 12, 31)));
    result = std::make_tuple(PersonFromRow(r[0]), std::move(id),
                             DeathOf(txn, r[0][14].as<std::string>()));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<SubsidyRecord> DisabilityStore::AddSubsidy(const NewSubsidy& subsidy,
                                                          const std::string& actor) {
  const absl::CivilMonth start(subsidy.applied_on);
  const std::string kind = KindName(subsidy.kind);
  SubsidyRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result person = txn.exec_prepared("disabled_person_lock", subsidy.person_id);
    if (person.empty()) return absl::NotFoundError("person_id: no such person");
    pqxx::result open =
        txn.exec_prepared("subsidy_open_of", subsidy.person_id, kind, MonthDay(start));
    if (!open.empty()) {
      const std::string status = open[0][0].as<std::string>();
      if (status != "STOPPED") {
        return absl::AlreadyExistsError(absl::StrCat("kind: the person already has a ",
                                                     status == "ACTIVE" ? "active" : "pending", " ",
                                                     kind, " subsidy"));
      }
      return absl::FailedPreconditionError(absl::StrCat("application_date: the person's previous ",
                                                        kind, " subsidy is paid until before ",
                                                        TextOf(open[0][1]).substr(0, 7)));
    }
    std::string id;
    try {
      id = txn.exec_prepared1(
                  "subsidy_insert", subsidy.person_id, kind,
                  std::string(kSubsidyStatusNames.Name(static_cast<int>(subsidy.status))),
                  FormatDay(subsidy.applied_on), MonthDay(start), subsidy.dibao_enrolment_id,
                  subsidy.dibao_since, subsidy.reason, actor)[0]
               .as<std::string>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("kind: the person already has an open ", kind, " subsidy"));
    }
    nlohmann::json detail = {{"status", kSubsidyStatusNames.Name(static_cast<int>(subsidy.status))},
                             {"reason", subsidy.reason},
                             {"dibao_enrolment_id", subsidy.dibao_enrolment_id}};
    txn.exec_prepared("subsidy_history_insert", id, actor, "APPLIED", FormatDay(subsidy.applied_on),
                      detail.dump());
    created = SubsidyFromRow(txn.exec_prepared1("subsidy_get", id));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<SubsidyRecord> DisabilityStore::GetSubsidy(const std::string& subsidy_id) {
  absl::StatusOr<SubsidyRecord> result = absl::NotFoundError("subsidy_id: no such subsidy");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result r = txn.exec_prepared("subsidy_get", subsidy_id);
    if (!r.empty()) result = SubsidyFromRow(r[0]);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<SubsidyRecord>> DisabilityStore::ListSubsidies(
    const std::string& region_prefix, std::optional<SubsidyKind> kind,
    std::optional<SubsidyStatus> status, int64_t after, int page_size) {
  const std::string kind_name = kind ? KindName(*kind) : "";
  const std::string status_name =
      status ? std::string(kSubsidyStatusNames.Name(static_cast<int>(*status))) : "";
  Page<SubsidyRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("subsidy_list", region_prefix, kind_name, status_name,
                                          after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(SubsidyFromRow(rows[i]));
      page.next_after = rows[i][12].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::vector<SubsidySubject>> DisabilityStore::Subjects(const pqxx::result& rows) {
  std::vector<SubsidySubject> subjects;
  for (const auto& row : rows) {
    pqxx::binarystring cipher(row[13]);
    CIVIL_ASSIGN_OR_RETURN(const std::string clear, pii_->Decrypt(cipher.str()));
    CIVIL_ASSIGN_OR_RETURN(IdNumber id, IdNumber::Parse(clear, absl::CivilDay(9999, 12, 31)));
    subjects.push_back(SubsidySubject{SubsidyFromRow(row), std::move(id)});
  }
  return subjects;
}

absl::StatusOr<std::vector<SubsidySubject>> DisabilityStore::PendingSubsidies(
    const std::string& region_prefix, const std::string& subsidy_id, int limit) {
  absl::StatusOr<std::vector<SubsidySubject>> result;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    result = Subjects(txn.exec_prepared("subsidy_pending", region_prefix, subsidy_id, limit));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<SubsidySubject>> DisabilityStore::ActiveLivingSubsidies(
    const std::string& region_prefix, int limit) {
  absl::StatusOr<std::vector<SubsidySubject>> result;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    result = Subjects(txn.exec_prepared("subsidy_active_living", region_prefix, limit));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<SubsidyRecord> DisabilityStore::ResolvePending(const std::string& subsidy_id,
                                                              const LivingEligibility& eligibility,
                                                              const std::string& reason,
                                                              const std::string& actor) {
  SubsidyRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("subsidy_lock", subsidy_id);
    if (r.empty()) return absl::NotFoundError("subsidy_id: no such subsidy");
    const SubsidyRecord current = SubsidyFromRow(r[0]);
    if (current.status != SubsidyStatus::kPendingEligibility) {
      return absl::FailedPreconditionError(absl::StrCat(
          "subsidy_id: the subsidy is ", kSubsidyStatusNames.Name(static_cast<int>(current.status)),
          ", not pending"));
    }
    const std::string status = eligibility.eligible ? "ACTIVE" : "REJECTED";
    const std::string since = eligibility.since ? FormatMonth(*eligibility.since) : "";
    txn.exec_prepared("subsidy_resolve", subsidy_id, status, eligibility.enrolment_id, since,
                      reason);
    nlohmann::json detail = {{"reason", reason}, {"dibao_enrolment_id", eligibility.enrolment_id}};
    txn.exec_prepared("subsidy_history_insert", subsidy_id, actor,
                      eligibility.eligible ? "ACTIVATED" : "REJECTED", nullptr, detail.dump());
    updated = SubsidyFromRow(txn.exec_prepared1("subsidy_get", subsidy_id));
    return absl::OkStatus();
  }));
  return updated;
}

absl::Status DisabilityStore::NoteRecheck(const std::string& subsidy_id, const std::string& reason,
                                          const std::string& actor) {
  return pool_->Transact([&](pqxx::transaction_base& txn) {
    nlohmann::json detail = {{"reason", reason}};
    txn.exec_prepared("subsidy_history_insert", subsidy_id, actor, "RECHECKED", nullptr,
                      detail.dump());
    return absl::OkStatus();
  });
}

absl::StatusOr<SubsidyRecord> DisabilityStore::Stop(
    const std::string& subsidy_id, absl::CivilMonth end_month, absl::CivilDay on_date,
    const std::string& reason, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_region) {
  SubsidyRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("subsidy_lock", subsidy_id);
    if (r.empty()) return absl::NotFoundError("subsidy_id: no such subsidy");
    const SubsidyRecord current = SubsidyFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    if (current.status != SubsidyStatus::kActive) {
      return absl::FailedPreconditionError(
          absl::StrCat("subsidy_id: the subsidy is ",
                       kSubsidyStatusNames.Name(static_cast<int>(current.status)), ", not active"));
    }
    txn.exec_prepared("subsidy_stop", subsidy_id, MonthDay(end_month), reason);
    updated = SubsidyFromRow(txn.exec_prepared1("subsidy_get", subsidy_id));
    nlohmann::json detail = {{"reason", reason}, {"end_month", FormatMonth(*updated.end_month)}};
    txn.exec_prepared("subsidy_history_insert", subsidy_id, actor, "STOPPED", FormatDay(on_date),
                      detail.dump());
    pqxx::row subject = txn.exec_prepared1("subsidy_subject_of", subsidy_id);
    civil::events::v1::DisabilitySubsidyStopped event;
    event.set_subsidy(KindName(current.kind));
    event.set_effective_month(FormatMonth(*updated.end_month));
    event.set_reason(reason);
    event.set_region_code(current.region_code);
    WriteEvent(txn, "affairs",
               EventSubject{subject[0].as<std::string>(), subject[1].as<std::string>()}, event);
    return absl::OkStatus();
  }));
  return updated;
}

absl::Status DisabilityStore::OnDeath(pqxx::transaction_base& txn, const Death& death) {
  const std::string reason = absl::StrCat("deceased on ", FormatDay(death.date_of_death));
  const nlohmann::json detail = {{"reason", reason}, {"cremation_id", death.cremation_id}};
  CloseForPerson(txn, {death.id_index, death.id_masked}, absl::CivilMonth(death.date_of_death) + 1,
                 reason, death.actor, death.date_of_death, detail.dump(), "DECEASED");
  return absl::OkStatus();
}

absl::StatusOr<int> DisabilityStore::OnMoveOut(pqxx::transaction_base& txn, const MoveOut& move) {
  const std::string reason = absl::StrCat("moved out of the county on ", FormatDay(move.moved_on));
  const nlohmann::json detail = {
      {"reason", reason}, {"record_id", move.record_id}, {"event_id", move.event_id}};
  return CloseForPerson(txn, {move.id_index, move.id_masked}, MoveOutStopMonth(move.moved_on),
                        reason, "event:PersonMovedOut", move.moved_on, detail.dump(), "MOVED_OUT");
}

absl::StatusOr<int> DisabilityStore::OnDibaoEnded(pqxx::transaction_base& txn,
                                                  const std::string& id_index,
                                                  const std::string& id_masked,
                                                  absl::CivilMonth stop, absl::CivilDay on_date,
                                                  const std::string& reason) {
  int stopped = 0;
  nlohmann::json detail = {{"reason", reason}};
  for (const auto& row : txn.exec_params(
           "UPDATE subsidies s SET status = 'STOPPED', end_month = greatest($2::date, "
           "s.start_month), reason = $3, version = s.version + 1, updated_at = now() FROM "
           "disabled_persons p WHERE p.id_index = $1 AND s.person_id = p.person_id AND s.kind = "
           "'LIVING' AND s.status = 'ACTIVE' RETURNING s.subsidy_id::text, s.kind, "
           "s.end_month::text, s.region_code",
           id_index, MonthDay(stop), reason)) {
    txn.exec_prepared("subsidy_history_insert", row[0].as<std::string>(), "event:EnrolmentEnded",
                      "STOPPED", FormatDay(on_date), detail.dump());
    civil::events::v1::DisabilitySubsidyStopped event;
    event.set_subsidy(row[1].as<std::string>());
    event.set_effective_month(row[2].as<std::string>().substr(0, 7));
    event.set_reason("LEFT_DIBAO");
    event.set_region_code(row[3].as<std::string>());
    WriteEvent(txn, "affairs", EventSubject{id_index, id_masked}, event);
    ++stopped;
  }
  return stopped;
}

absl::StatusOr<std::vector<SubsidyRecord>> DisabilityStore::SubsidiesOf(
    const std::string& id_index) {
  std::vector<SubsidyRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row : txn.exec_prepared("subsidies_of_subject", id_index)) {
      out.push_back(SubsidyFromRow(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> DisabilityStore::OnCertificateChanged(pqxx::transaction_base& txn,
                                                          const FederationCertificate& certificate,
                                                          absl::CivilDay on_date) {
  const CertificateChange& change = certificate.change;
  txn.exec_prepared(
      "federation_certificate_upsert", certificate.id_index, certificate.id_masked,
      certificate.certificate_number, certificate.category, change.grade,
      change.revoked ? std::optional<std::string>(FormatDay(change.event_date)) : std::nullopt,
      FormatDay(change.event_date), certificate.event_id);
  const pqxx::result person =
      txn.exec_prepared("disabled_person_follow_certificate", certificate.id_index);
  if (person.empty()) return 0;  // not registered here: kept for when they are
  // The grade the person now has (a revocation may name none: the one known before).
  CertificateChange effective = change;
  effective.grade = person[0][0].as<int>();
  const std::vector<SubsidyKind> kinds = SubsidiesStoppedBy(effective);
  if (kinds.empty()) return 0;
  std::vector<std::string> names;
  for (SubsidyKind kind : kinds) names.push_back(KindName(kind));
  const std::string reason = change.revoked
                                 ? absl::StrCat("disability certificate revoked on ",
                                                FormatDay(change.event_date), " (残联)")
                                 : absl::StrCat("disability grade ", effective.grade, " from ",
                                                FormatDay(change.event_date),
                                                " (残联): the care subsidy is for grade 1 or 2");
  const nlohmann::json detail = {{"reason", reason},
                                 {"certificate_number", certificate.certificate_number},
                                 {"event_id", certificate.event_id}};
  int closed = 0;
  for (const auto& row :
       txn.exec_prepared("subsidy_close_for_certificate", certificate.id_index, ArrayLiteral(names),
                         MonthDay(CertificateStopMonth(change.event_date)), reason)) {
    ++closed;
    const std::string action = row[3].as<std::string>();
    txn.exec_prepared("subsidy_history_insert", row[0].as<std::string>(),
                      "event:DisabilityCertificateChanged", action, FormatDay(on_date),
                      detail.dump());
    if (action != "STOPPED") continue;
    civil::events::v1::DisabilitySubsidyStopped event;
    event.set_subsidy(row[1].as<std::string>());
    event.set_effective_month(row[2].as<std::string>().substr(0, 7));
    event.set_reason(change.revoked ? "CERTIFICATE_REVOKED" : "GRADE_NOT_ELIGIBLE");
    event.set_region_code(row[4].as<std::string>());
    WriteEvent(txn, "affairs", EventSubject{certificate.id_index, certificate.id_masked}, event);
  }
  return closed;
}

absl::StatusOr<Reinstatement> DisabilityStore::OnDibaoReinstated(pqxx::transaction_base& txn,
                                                                 const DibaoReinstated& back,
                                                                 absl::CivilDay on_date) {
  Reinstatement result;
  for (const auto& row : txn.exec_params(
           "SELECT s.subsidy_id::text, s.reason, s.start_month::text, s.end_month::text, "
           "EXISTS (SELECT 1 FROM subsidies o WHERE o.person_id = s.person_id AND o.kind = "
           "s.kind AND o.status IN ('PENDING_ELIGIBILITY', 'ACTIVE')), s.region_code FROM "
           "subsidies s JOIN disabled_persons p USING (person_id) WHERE p.id_index = $1 AND "
           "s.kind = 'LIVING' AND s.status = 'STOPPED' ORDER BY s.seq FOR UPDATE OF s",
           back.id_index)) {
    const std::string subsidy_id = row[0].as<std::string>();
    const absl::CivilMonth end(DayOf(row[3]));
    if (!ResumesOnDibaoReinstated(row[1].as<std::string>(), absl::CivilMonth(DayOf(row[2])), end,
                                  back.effective)) {
      continue;
    }
    if (row[4].as<bool>()) {
      Log(LogLevel::kWarn, "dibao reinstated: another living subsidy is open, not resumed",
          {{"subsidy_id", absl::string_view(subsidy_id)}});
      continue;
    }
    CIVIL_ASSIGN_OR_RETURN(const BackPayment paid,
                           BackPay(txn, subsidy_id, end, on_date, back.event_id));
    txn.exec_params(
        "UPDATE subsidies SET status = 'ACTIVE', end_month = NULL, reason = '', version = "
        "version + 1, updated_at = now() WHERE subsidy_id = $1::uuid",
        subsidy_id);
    std::vector<std::string> months;
    for (const absl::CivilMonth m : paid.months) months.push_back(FormatMonth(m));
    const nlohmann::json detail = {{"reason", back.reason},
                                   {"event_id", back.event_id},
                                   {"back_paid_months", months},
                                   {"back_paid_fen", paid.total_fen}};
    txn.exec_prepared("subsidy_history_insert", subsidy_id, "event:EnrolmentReinstated", "RESUMED",
                      FormatDay(on_date), detail.dump());
    civil::events::v1::DisabilitySubsidyResumed event;
    event.set_subsidy("LIVING");
    event.set_effective_month(FormatMonth(end));
    event.set_reason("DIBAO_REINSTATED");
    event.set_region_code(row[5].as<std::string>());
    WriteEvent(txn, "affairs", EventSubject{back.id_index, back.id_masked}, event);
    ++result.resumed;
    result.back_paid_months += static_cast<int>(paid.months.size());
    result.back_paid_fen += paid.total_fen;
  }
  return result;
}

absl::StatusOr<DisabilityStore::BackPayment> DisabilityStore::BackPay(pqxx::transaction_base& txn,
                                                                      const std::string& subsidy_id,
                                                                      absl::CivilMonth end,
                                                                      absl::CivilDay on_date,
                                                                      const std::string& event_id) {
  const pqxx::row subject = txn.exec_prepared1("subsidy_back_pay_subject", subsidy_id);
  const std::string person_id = subject[0].as<std::string>();
  BackPayFacts facts{.end = end, .resumed_on = on_date};
  if (std::optional<absl::CivilDay> last = OptionalDayOf(subject[4])) {
    facts.last_run_month = absl::CivilMonth(*last);
  }
  for (const auto& row :
       txn.exec_prepared("subsidy_paid_months_since", person_id, "LIVING", MonthDay(end))) {
    facts.paid.push_back(absl::CivilMonth(DayOf(row[0])));
  }
  facts.died = DeathOf(txn, subject[3].as<std::string>());
  const std::vector<absl::CivilMonth> owed = BackPayMonths(facts);
  BackPayment paid;
  if (owed.empty()) return paid;
  std::vector<std::string> months, amounts;
  for (const absl::CivilMonth m : owed) months.push_back(MonthDay(m));
  for (const auto& row :
       txn.exec_prepared("subsidy_back_pay_price", subsidy_id, ArrayLiteral(months))) {
    if (row[1].is_null()) {
      return absl::FailedPreconditionError(
          absl::StrCat("month: no LIVING standard prices ", TextOf(row[0]).substr(0, 7),
                       " for grade ", subject[2].as<int>(), " in ", subject[1].as<std::string>(),
                       "; set one with SetSubsidyStandard"));
    }
    amounts.push_back(row[1].as<std::string>());
  }
  for (const auto& row : txn.exec_prepared("subsidy_back_pay_insert", subsidy_id,
                                           ArrayLiteral(months), ArrayLiteral(amounts), event_id)) {
    paid.months.push_back(absl::CivilMonth(DayOf(row[0])));
    paid.total_fen += row[1].as<int64_t>();
  }
  std::sort(paid.months.begin(), paid.months.end());
  return paid;
}

absl::StatusOr<StandardRecord> DisabilityStore::AddStandard(const StandardDraft& standard,
                                                            const std::string& actor) {
  std::optional<StandardRecord> created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    try {
      created = StandardFromRow(
          txn.exec_prepared1("subsidy_standard_insert", KindName(standard.kind), standard.grade,
                             standard.region_prefix.value(), MonthDay(standard.effective_month),
                             standard.monthly_fen, actor));
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("effective_month: a ", KindName(standard.kind), " standard for grade ",
                       standard.grade, " in ", standard.region_prefix.value(), " from ",
                       FormatMonth(standard.effective_month), " exists"));
    }
    return absl::OkStatus();
  }));
  return *std::move(created);
}

absl::StatusOr<std::vector<StandardRecord>> DisabilityStore::ListStandards(
    const std::string& region_prefix) {
  std::vector<StandardRecord> standards;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("subsidy_standard_list", region_prefix)) {
      standards.push_back(StandardFromRow(row));
    }
    return absl::OkStatus();
  }));
  return standards;
}

absl::StatusOr<PaymentRunResult> DisabilityStore::RunPayments(SubsidyKind kind,
                                                              absl::CivilMonth month,
                                                              const std::string& region_prefix,
                                                              const std::string& actor) {
  const std::string kind_name = KindName(kind);
  const std::string month_day = MonthDay(month);
  PaymentRunResult result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    result = PaymentRunResult();
    result.run_id =
        txn.exec_prepared1("subsidy_run_insert", kind_name, month_day, region_prefix, actor)[0]
            .as<std::string>();
    pqxx::row due = txn.exec_prepared1("subsidy_run_due", kind_name, month_day, region_prefix);
    result.due = due[0].as<int>();
    if (const int unpriced = due[1].as<int>(); unpriced > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("month: ", unpriced, " persons due a ", kind_name, " subsidy for ",
                       FormatMonth(month), " have no standard; set one with SetSubsidyStandard"));
    }
    for (const auto& row :
         txn.exec_prepared("subsidy_run_pay", kind_name, month_day, region_prefix, result.run_id)) {
      ++result.paid;
      result.paid_fen += row[0].as<int64_t>();
    }
    result.already_paid = result.due - result.paid;
    const pqxx::row settled =
        txn.exec_prepared1("subsidy_run_settle", kind_name, region_prefix, result.run_id);
    result.adjustments_settled = settled[0].as<int>();
    result.adjustments_fen = settled[1].as<int64_t>();
    txn.exec_prepared("subsidy_run_update", result.run_id, result.due, result.paid,
                      result.paid_fen);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::string> DisabilityStore::ReopenRejected(pqxx::transaction_base& txn,
                                                            const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError("case_id: no such subsidy");
  const pqxx::result rows = txn.exec_params(
      "SELECT status, person_id::text, kind FROM subsidies WHERE subsidy_id = $1::uuid FOR UPDATE",
      request.case_id);
  if (rows.empty()) return absl::NotFoundError("case_id: no such subsidy");
  const int status = kSubsidyStatusNames.Value(rows[0][0].as<std::string>());
  CIVIL_RETURN_IF_ERROR(CheckReopenRejectedSubsidy(static_cast<SubsidyStatus>(status)));
  const pqxx::result open =
      txn.exec_prepared("subsidy_open_of", rows[0][1].as<std::string>(),
                        rows[0][2].as<std::string>(), FormatDay(request.today));
  if (!open.empty()) {
    return absl::FailedPreconditionError(
        "case_id: the person has another open subsidy of the kind");
  }
  txn.exec_params(
      "UPDATE subsidies SET status = 'PENDING_ELIGIBILITY', reason = '', version = version + 1, "
      "updated_at = now() WHERE subsidy_id = $1::uuid",
      request.case_id);
  const nlohmann::json detail = {{"grievance_id", request.grievance_id}};
  txn.exec_prepared("subsidy_history_insert", request.case_id, request.actor, "REOPENED",
                    FormatDay(request.day), detail.dump());
  return std::string("subsidy back to the eligibility check");
}

}  // namespace civil::affairs
