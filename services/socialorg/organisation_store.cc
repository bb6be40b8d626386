#include "services/socialorg/organisation_store.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "civil/socialorg/v1/events.pb.h"
#include "services/common/errors.h"
#include "services/common/outbox.h"
#include "services/common/store_util.h"

namespace civil::socialorg {
namespace {

const std::string& OrgColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "o.organisation_id::text, o.name, o.credit_code, o.kind, o.status, o.supervising_unit, "
      "o.domicile, o.rep_name, o.rep_id_masked, o.registered_capital_fen, o.region_code, "
      "o.business_scope, o.established_on::text, o.deregistered_on::text, o.term_start::text, "
      "o.term_end::text, o.certificate_valid_until::text, o.recorded_by, ",
      MicrosOf("o.updated_at"),
      ", o.seq, EXISTS (SELECT 1 FROM org_events p WHERE p.organisation_id = o.organisation_id "
      "AND p.status = 'PENDING'), o.rep_id_cipher, o.industry_association"));
  return *columns;
}

const std::string& EventColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "e.event_id::text, e.organisation_id::text, e.kind, e.status, e.event_date::text, "
      "e.documents, e.new_name, e.new_domicile, e.new_rep_name, e.new_rep_id_masked, "
      "e.new_business_scope, e.term_start::text, e.term_end::text, "
      "e.certificate_valid_until::text, e.liquidation, e.liquidation_date::text, e.recorded_by, "
      "e.decided_by, e.decided_on::text, e.reason, ",
      MicrosOf("e.created_at")));
  return *columns;
}

std::optional<Term> TermOfRow(const pqxx::field& start, const pqxx::field& end) {
  if (start.is_null() || end.is_null()) return std::nullopt;
  return Term{DayOf(start), DayOf(end)};
}

OrgRecord OrgFromRow(const pqxx::row& row) {
  OrgRecord o;
  o.organisation_id = row[0].as<std::string>();
  o.name = row[1].as<std::string>();
  o.credit_code = row[2].as<std::string>();
  o.kind = static_cast<OrgKind>(kOrgKindNames.Value(row[3].as<std::string>()));
  o.state.status = static_cast<OrgStatus>(kOrgStatusNames.Value(row[4].as<std::string>()));
  o.supervising_unit = row[5].as<std::string>();
  o.domicile = row[6].as<std::string>();
  o.representative_name = row[7].as<std::string>();
  o.representative_masked = row[8].as<std::string>();
  o.registered_capital_fen = row[9].as<int64_t>();
  o.region_code = row[10].as<std::string>();
  o.business_scope = row[11].as<std::string>();
  o.state.established_on = OptionalDayOf(row[12]);
  o.state.deregistered_on = OptionalDayOf(row[13]);
  o.state.term = TermOfRow(row[14], row[15]);
  o.state.certificate_valid_until = OptionalDayOf(row[16]);
  o.recorded_by = row[17].as<std::string>();
  o.update_time_micros = row[18].as<int64_t>();
  o.seq = row[19].as<int64_t>();
  o.state.event_pending = row[20].as<bool>();
  o.industry_association = row[22].as<bool>();
  return o;
}

// A text[] column's elements.
std::vector<std::string> TextArray(const pqxx::field& field) {
  std::vector<std::string> items;
  pqxx::array_parser parser = field.as_array();
  for (auto next = parser.get_next(); next.first != pqxx::array_parser::juncture::done;
       next = parser.get_next()) {
    if (next.first == pqxx::array_parser::juncture::string_value) items.push_back(next.second);
  }
  return items;
}

EventRecord EventFromRow(const pqxx::row& row) {
  EventRecord e;
  e.event_id = row[0].as<std::string>();
  e.organisation_id = row[1].as<std::string>();
  e.kind = static_cast<EventKind>(kEventKindNames.Value(row[2].as<std::string>()));
  e.status = static_cast<EventStatus>(kEventStatusNames.Value(row[3].as<std::string>()));
  e.date = DayOf(row[4]);
  e.documents = TextArray(row[5]);
  e.new_name = TextOf(row[6]);
  e.new_domicile = TextOf(row[7]);
  e.new_representative_name = TextOf(row[8]);
  e.new_representative_masked = TextOf(row[9]);
  e.new_business_scope = TextOf(row[10]);
  e.term = TermOfRow(row[11], row[12]);
  e.certificate_valid_until = OptionalDayOf(row[13]);
  e.liquidation = row[14].as<std::string>();
  e.liquidation_date = OptionalDayOf(row[15]);
  e.recorded_by = row[16].as<std::string>();
  e.decided_by = row[17].as<std::string>();
  e.decided_on = OptionalDayOf(row[18]);
  e.reason = row[19].as<std::string>();
  e.create_time_micros = row[20].as<int64_t>();
  return e;
}

// The lifecycle part of a stored event, as the rules read it.
EventDraft DraftOf(const EventRecord& e) {
  EventDraft d;
  d.kind = e.kind;
  d.date = e.date;
  d.documents = e.documents;
  d.term = e.term;
  d.certificate_valid_until = e.certificate_valid_until;
  d.liquidation = e.liquidation;
  d.liquidation_date = e.liquidation_date;
  return d;
}

std::optional<std::string> DayParam(const std::optional<absl::CivilDay>& day) {
  if (!day) return std::nullopt;
  return FormatDay(*day);
}

std::string Name(OrgKind kind) { return std::string(kOrgKindNames.Name(static_cast<int>(kind))); }
std::string Name(OrgStatus s) { return std::string(kOrgStatusNames.Name(static_cast<int>(s))); }
std::string Name(EventKind kind) {
  return std::string(kEventKindNames.Name(static_cast<int>(kind)));
}

}  // namespace

OrganisationStore::OrganisationStore(PgPool* pool, const PiiProtector* pii)
    : pool_(pool), pii_(pii) {
  pool_->Prepare("socialorg_org_insert",
                 "INSERT INTO organisations (name, credit_code, kind, status, supervising_unit, "
                 "domicile, rep_name, rep_id_cipher, rep_id_index, rep_id_masked, "
                 "registered_capital_fen, region_code, business_scope, recorded_by, "
                 "industry_association) VALUES ($1, $2, $3, 'PENDING_ESTABLISHMENT', $4, $5, $6, "
                 "$7, $8, $9, $10, $11, $12, $13, $14) RETURNING organisation_id::text");
  pool_->Prepare("socialorg_org_get", absl::StrCat("SELECT ", OrgColumns(),
                                                   " FROM organisations o WHERE "
                                                   "o.organisation_id = $1::uuid"));
  pool_->Prepare("socialorg_org_lock",
                 absl::StrCat("SELECT ", OrgColumns(),
                              " FROM organisations o WHERE "
                              "o.organisation_id = $1::uuid FOR UPDATE OF o"));
  pool_->Prepare("socialorg_org_list",
                 absl::StrCat("SELECT ", OrgColumns(),
                              " FROM organisations o WHERE o.region_code LIKE $1 || '%' AND ($2 = "
                              "'' OR o.kind = $2) AND ($3 = '' OR o.status = $3) AND (NOT $6 OR "
                              "o.industry_association) AND o.seq > $4 ORDER BY o.seq LIMIT $5"));
  pool_->Prepare(
      "socialorg_event_insert",
      absl::StrCat("INSERT INTO org_events AS e (organisation_id, kind, status, event_date, "
                   "documents, new_name, new_domicile, new_rep_name, new_rep_id_cipher, "
                   "new_rep_id_index, new_rep_id_masked, new_business_scope, term_start, "
                   "term_end, certificate_valid_until, liquidation, liquidation_date, "
                   "recorded_by) VALUES ($1::uuid, $2, 'PENDING', $3::date, $4::text[], $5, $6, "
                   "$7, decode($8, 'hex'), $9, $10, $11, $12::date, $13::date, $14::date, $15, "
                   "$16::date, $17) RETURNING ",
                   EventColumns()));
  pool_->Prepare("socialorg_event_lock", absl::StrCat("SELECT ", EventColumns(),
                                                      " FROM org_events e WHERE e.event_id = "
                                                      "$1::uuid FOR UPDATE"));
  // An upheld grievance against a rejected event: the history row, the event pending again, the
  // organisation's status, and whether a refused organisation's credit code is taken.
  pool_->Prepare("socialorg_event_history_insert",
                 "INSERT INTO org_event_history (event_id, action, decided_by, decided_on, reason, "
                 "grievance_id, actor, day) VALUES ($1::uuid, $2, $3, $4::date, $5, $6, $7, "
                 "$8::date)");
  pool_->Prepare("socialorg_event_reopen",
                 "UPDATE org_events SET status = 'PENDING', decided_by = '', decided_on = NULL, "
                 "reason = '' WHERE event_id = $1::uuid");
  pool_->Prepare("socialorg_org_status",
                 "UPDATE organisations SET status = $2, updated_at = now() WHERE organisation_id "
                 "= $1::uuid");
  pool_->Prepare("socialorg_credit_code_taken",
                 "SELECT count(*) FROM organisations WHERE credit_code = $1 AND status <> "
                 "'REFUSED' AND organisation_id <> $2::uuid");
  pool_->Prepare("socialorg_event_decide",
                 absl::StrCat("UPDATE org_events e SET status = $2, decided_by = $3, decided_on "
                              "= $4::date, reason = $5 WHERE e.event_id = $1::uuid RETURNING ",
                              EventColumns()));
  // The organisation's state as the rules decided it; an approved change ($9) also its text.
  pool_->Prepare(
      "socialorg_org_apply",
      "UPDATE organisations o SET status = $2, established_on = $3::date, deregistered_on = "
      "$4::date, term_start = $5::date, term_end = $6::date, certificate_valid_until = $7::date, "
      "name = CASE WHEN $9 THEN coalesce(e.new_name, o.name) ELSE o.name END, "
      "domicile = CASE WHEN $9 THEN coalesce(e.new_domicile, o.domicile) ELSE o.domicile END, "
      "rep_name = CASE WHEN $9 THEN coalesce(e.new_rep_name, o.rep_name) ELSE o.rep_name END, "
      "rep_id_cipher = CASE WHEN $9 THEN coalesce(e.new_rep_id_cipher, o.rep_id_cipher) ELSE "
      "o.rep_id_cipher END, "
      "rep_id_index = CASE WHEN $9 THEN coalesce(e.new_rep_id_index, o.rep_id_index) ELSE "
      "o.rep_id_index END, "
      "rep_id_masked = CASE WHEN $9 THEN coalesce(e.new_rep_id_masked, o.rep_id_masked) ELSE "
      "o.rep_id_masked END, "
      "business_scope = CASE WHEN $9 THEN coalesce(e.new_business_scope, o.business_scope) ELSE "
      "o.business_scope END, updated_at = now() FROM org_events e WHERE o.organisation_id = "
      "$1::uuid AND e.event_id = $8::uuid");
  pool_->Prepare("socialorg_events_of",
                 absl::StrCat("SELECT ", EventColumns(),
                              " FROM org_events e WHERE e.organisation_id = $1::uuid ORDER BY "
                              "e.seq"));
  // An event's history: its region (its organisation's), then the kept rows, oldest first.
  pool_->Prepare("socialorg_event_region",
                 "SELECT region_code FROM org_event_cases WHERE event_id = $1::uuid");
  pool_->Prepare("socialorg_event_history_of",
                 "SELECT action, decided_by, decided_on::text, reason, grievance_id, actor, "
                 "day::text FROM org_event_history WHERE event_id = $1::uuid ORDER BY "
                 "history_id");
  pool_->Prepare("socialorg_overdue",
                 absl::StrCat("SELECT ", OrgColumns(),
                              " FROM organisations o WHERE o.status = 'REGISTERED' AND o.term_end "
                              "< $2::date AND o.region_code LIKE $1 || '%' ORDER BY o.term_end, "
                              "o.seq"));
  pool_->Prepare("socialorg_event_counts",
                 "SELECT e.kind, o.kind, count(*)::int, count(DISTINCT o.organisation_id)::int "
                 "FROM org_events e JOIN organisations o USING (organisation_id) WHERE e.status = "
                 "'APPROVED' AND e.event_date BETWEEN $2::date AND $3::date AND o.region_code "
                 "LIKE $1 || '%' GROUP BY e.kind, o.kind ORDER BY e.kind, o.kind");
  pool_->Prepare("socialorg_re_election_or_renewal",
                 "SELECT count(DISTINCT e.organisation_id)::int FROM org_events e JOIN "
                 "organisations o USING (organisation_id) WHERE e.status = 'APPROVED' AND e.kind "
                 "IN ('RE_ELECTION', 'CERTIFICATE_RENEWAL') AND e.event_date BETWEEN $2::date AND "
                 "$3::date AND o.region_code LIKE $1 || '%'");
}

absl::StatusOr<Registered> OrganisationStore::Register(const RegistrationDraft& draft,
                                                       const std::string& actor) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId rep, ProtectId(*pii_, draft.representative_id));
  const EventDraft establishment = EstablishmentOf(draft);
  Registered out;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::string id;
    try {
      id = txn.exec_prepared1("socialorg_org_insert", draft.name, draft.credit_code.value(),
                              Name(draft.kind), draft.supervising_unit, draft.domicile,
                              draft.representative_name, Bytes(rep.cipher), rep.index, rep.masked,
                              draft.registered_capital.fen(), draft.region.value(),
                              draft.business_scope, actor, draft.industry_association)[0]
               .as<std::string>();
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("credit_code: ", draft.credit_code.value(), " is registered already"));
    }
    const std::optional<std::string> none;
    out.establishment = EventFromRow(txn.exec_prepared1(
        "socialorg_event_insert", id, Name(EventKind::kEstablishment),
        FormatDay(establishment.date), ArrayLiteral(establishment.documents), OrNull(none),
        OrNull(none), OrNull(none), OrNull(none), OrNull(none), OrNull(none), OrNull(none),
        OrNull(
            DayParam(establishment.term ? std::optional(establishment.term->start) : std::nullopt)),
        OrNull(
            DayParam(establishment.term ? std::optional(establishment.term->end) : std::nullopt)),
        OrNull(DayParam(establishment.certificate_valid_until)), "", OrNull(none), actor));
    out.organisation = OrgFromRow(txn.exec_prepared1("socialorg_org_get", id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<OrgRecord> OrganisationStore::Get(const std::string& organisation_id, bool reveal) {
  absl::StatusOr<OrgRecord> result = absl::NotFoundError("organisation_id: no such organisation");
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_org_get", organisation_id);
    if (r.empty()) return absl::OkStatus();
    OrgRecord o = OrgFromRow(r[0]);
    if (reveal) {
      pqxx::binarystring cipher(r[0][21]);
      CIVIL_ASSIGN_OR_RETURN(o.representative_id, pii_->Decrypt(cipher.str()));
      o.representative_index = pii_->BlindIndex(o.representative_id);
    }
    result = std::move(o);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Page<OrgRecord>> OrganisationStore::List(const std::string& region_prefix,
                                                        std::optional<OrgKind> kind,
                                                        std::optional<OrgStatus> status,
                                                        bool industry_associations_only,
                                                        int64_t after, int page_size) {
  Page<OrgRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("socialorg_org_list", region_prefix,
                                          kind ? Name(*kind) : "", status ? Name(*status) : "",
                                          after, page_size + 1, industry_associations_only);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(OrgFromRow(rows[i]));
      page.next_after = page.items.back().seq;
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<EventRecord> OrganisationStore::File(const std::string& organisation_id,
                                                    const EventDraft& event,
                                                    const std::string& actor,
                                                    const RegionVet& vet) {
  std::optional<StoredId> rep;
  if (event.change.representative_id) {
    CIVIL_ASSIGN_OR_RETURN(rep, ProtectId(*pii_, *event.change.representative_id));
  }
  EventRecord filed;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("socialorg_org_lock", organisation_id);
    if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
    const OrgRecord current = OrgFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(vet(current.region_code));
    CIVIL_RETURN_IF_ERROR(CheckFiling(current.state, event));
    const ChangeDraft& c = event.change;
    const std::optional<std::string> none;
    try {
      filed = EventFromRow(txn.exec_prepared1(
          "socialorg_event_insert", organisation_id, Name(event.kind), FormatDay(event.date),
          ArrayLiteral(event.documents), OrNull(c.name), OrNull(c.domicile),
          OrNull(c.representative_name),
          OrNull(rep ? std::optional(absl::BytesToHexString(rep->cipher)) : none),
          OrNull(rep ? std::optional(rep->index) : none),
          OrNull(rep ? std::optional(rep->masked) : none), OrNull(c.business_scope),
          OrNull(DayParam(event.term ? std::optional(event.term->start) : std::nullopt)),
          OrNull(DayParam(event.term ? std::optional(event.term->end) : std::nullopt)),
          OrNull(DayParam(event.certificate_valid_until)), event.liquidation,
          OrNull(DayParam(event.liquidation_date)), actor));
    } catch (const pqxx::unique_violation&) {
      return absl::FailedPreconditionError(
          "organisation_id: another event of the organisation is pending; a reviewer decides it "
          "first");
    }
    return absl::OkStatus();
  }));
  return filed;
}

namespace {

// The outbox event of an approved lifecycle event (establishment, change, re-election, renewal,
// deregistration), in the approval's transaction: the approval happens once (the event's row is
// locked and must be PENDING), so each approved event is written once.
void PublishFact(pqxx::transaction_base& txn, const OrgRecord& org, const EventRecord& event,
                 const OrgState& next) {
  const std::string kind(kOrgKindNames.Name(static_cast<int>(org.kind)));
  if (event.kind == EventKind::kEstablishment && next.established_on) {
    v1::OrganisationRegistered fact;
    fact.set_organisation_id(org.organisation_id);
    fact.set_credit_code(org.credit_code);
    fact.set_name(org.name);
    fact.set_kind(kind);
    fact.set_region_code(org.region_code);
    fact.set_established_date(FormatDay(*next.established_on));
    fact.set_event_id(event.event_id);
    WriteEvent(txn, "socialorg", EventSubject{}, fact);
  } else if (event.kind == EventKind::kDeregistration && next.deregistered_on) {
    v1::OrganisationDeregistered fact;
    fact.set_organisation_id(org.organisation_id);
    fact.set_credit_code(org.credit_code);
    fact.set_name(org.name);
    fact.set_kind(kind);
    fact.set_region_code(org.region_code);
    fact.set_deregistered_date(FormatDay(*next.deregistered_on));
    fact.set_event_id(event.event_id);
    WriteEvent(txn, "socialorg", EventSubject{}, fact);
  } else if (event.kind == EventKind::kChange) {
    v1::OrganisationChanged fact;
    fact.set_organisation_id(org.organisation_id);
    fact.set_credit_code(org.credit_code);
    fact.set_name(event.new_name.empty() ? org.name : event.new_name);
    fact.set_kind(kind);
    fact.set_region_code(org.region_code);
    fact.set_changed_date(FormatDay(event.date));
    fact.set_event_id(event.event_id);
    if (!event.new_name.empty()) {
      fact.add_changed_fields("name");
      fact.set_previous_name(org.name);
    }
    if (!event.new_domicile.empty()) {
      fact.add_changed_fields("domicile");
      fact.set_domicile(event.new_domicile);
    }
    if (!event.new_representative_name.empty()) {
      fact.add_changed_fields("legal_representative");
      fact.set_legal_representative_name(event.new_representative_name);
      fact.set_legal_representative_id_masked(event.new_representative_masked);
    }
    if (!event.new_business_scope.empty()) {
      fact.add_changed_fields("business_scope");
      fact.set_business_scope(event.new_business_scope);
    }
    WriteEvent(txn, "socialorg", EventSubject{}, fact);
  } else if (event.kind == EventKind::kReElection && event.term) {
    v1::OrganisationReElected fact;
    fact.set_organisation_id(org.organisation_id);
    fact.set_credit_code(org.credit_code);
    fact.set_name(org.name);
    fact.set_kind(kind);
    fact.set_region_code(org.region_code);
    fact.set_re_election_date(FormatDay(event.date));
    fact.set_event_id(event.event_id);
    fact.set_term_start(FormatDay(event.term->start));
    fact.set_term_end(FormatDay(event.term->end));
    WriteEvent(txn, "socialorg", EventSubject{}, fact);
  } else if (event.kind == EventKind::kCertificateRenewal && event.certificate_valid_until) {
    v1::OrganisationCertificateRenewed fact;
    fact.set_organisation_id(org.organisation_id);
    fact.set_credit_code(org.credit_code);
    fact.set_name(org.name);
    fact.set_kind(kind);
    fact.set_region_code(org.region_code);
    fact.set_renewal_date(FormatDay(event.date));
    fact.set_event_id(event.event_id);
    fact.set_certificate_valid_until(FormatDay(*event.certificate_valid_until));
    WriteEvent(txn, "socialorg", EventSubject{}, fact);
  }
}

}  // namespace

absl::StatusOr<std::string> OrganisationStore::ReopenEvent(pqxx::transaction_base& txn,
                                                           const ReopenRequest& request) {
  if (!IsUuid(request.case_id)) return absl::NotFoundError("case_id: no such event");
  pqxx::result er = txn.exec_prepared("socialorg_event_lock", request.case_id);
  if (er.empty()) return absl::NotFoundError("case_id: no such event");
  const EventRecord event = EventFromRow(er[0]);
  const OrgRecord org = OrgFromRow(txn.exec_prepared1("socialorg_org_lock", event.organisation_id));
  CIVIL_ASSIGN_OR_RETURN(const OrgStatus status,
                         ReopenRejectedEvent(event.status, event.kind, org.state));
  if (event.kind == EventKind::kEstablishment &&
      txn.exec_prepared1("socialorg_credit_code_taken", org.credit_code, org.organisation_id)[0]
              .as<int64_t>() > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case_id: credit code ", org.credit_code, " is registered to another organisation since"));
  }
  txn.exec_prepared0("socialorg_event_history_insert", request.case_id, "REOPENED",
                     event.decided_by, OrNull(DayParam(event.decided_on)), event.reason,
                     request.grievance_id, request.actor, FormatDay(request.day));
  txn.exec_prepared0("socialorg_event_reopen", request.case_id);
  txn.exec_prepared0("socialorg_org_status", event.organisation_id, Name(status));
  return std::string("event back to pending review");
}

absl::StatusOr<EventRecord> OrganisationStore::Decide(const std::string& event_id, bool approve,
                                                      const std::string& decider,
                                                      absl::CivilDay decided_on,
                                                      const std::string& reason,
                                                      const RegionVet& vet) {
  EventRecord decided;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result er = txn.exec_prepared("socialorg_event_lock", event_id);
    if (er.empty()) return absl::NotFoundError("event_id: no such event");
    const EventRecord event = EventFromRow(er[0]);
    pqxx::result orow = txn.exec_prepared("socialorg_org_lock", event.organisation_id);
    const OrgRecord org = OrgFromRow(orow[0]);
    CIVIL_RETURN_IF_ERROR(vet(org.region_code));
    CIVIL_RETURN_IF_ERROR(
        CheckDecision(event.status, event.recorded_by, decider, event.date, decided_on));
    OrgState next;
    if (approve) {
      CIVIL_RETURN_IF_ERROR(CheckApprovable(org.state, event.kind));
      next = Applied(org.state, DraftOf(event));
    } else {
      next = AfterRejection(org.state, event.kind);
    }
    decided = EventFromRow(txn.exec_prepared1("socialorg_event_decide", event_id,
                                              approve ? "APPROVED" : "REJECTED", decider,
                                              FormatDay(decided_on), reason));
    txn.exec_prepared0("socialorg_org_apply", event.organisation_id, Name(next.status),
                       OrNull(DayParam(next.established_on)),
                       OrNull(DayParam(next.deregistered_on)),
                       OrNull(DayParam(next.term ? std::optional(next.term->start) : std::nullopt)),
                       OrNull(DayParam(next.term ? std::optional(next.term->end) : std::nullopt)),
                       OrNull(DayParam(next.certificate_valid_until)), event_id,
                       approve && event.kind == EventKind::kChange);
    if (approve && event.kind == EventKind::kDeregistration && on_deregistration_) {
      CIVIL_RETURN_IF_ERROR(on_deregistration_(
          txn, ApprovedDeregistration{event.organisation_id, event.event_id, event.date,
                                      event.documents, event.recorded_by, decider, decided_on}));
    }
    if (approve) PublishFact(txn, org, event, next);
    return absl::OkStatus();
  }));
  return decided;
}

absl::StatusOr<std::vector<EventRecord>> OrganisationStore::Events(
    const std::string& organisation_id, const RegionVet& vet) {
  std::vector<EventRecord> events;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        events.clear();
        pqxx::result r = txn.exec_prepared("socialorg_org_get", organisation_id);
        if (r.empty()) return absl::NotFoundError("organisation_id: no such organisation");
        CIVIL_RETURN_IF_ERROR(vet(r[0][10].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_events_of", organisation_id)) {
          events.push_back(EventFromRow(row));
        }
        return absl::OkStatus();
      }));
  return events;
}

absl::StatusOr<std::vector<EventHistoryStep>> OrganisationStore::EventHistory(
    const std::string& event_id, const RegionVet& vet) {
  std::vector<EventHistoryStep> steps;
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        steps.clear();
        pqxx::result r = txn.exec_prepared("socialorg_event_region", event_id);
        if (r.empty()) return absl::NotFoundError("event_id: no such event");
        CIVIL_RETURN_IF_ERROR(vet(r[0][0].as<std::string>()));
        for (const auto& row : txn.exec_prepared("socialorg_event_history_of", event_id)) {
          const std::string action = row[0].as<std::string>();
          if (action == "REOPENED") {  // the rejection it undid first
            steps.push_back(EventHistoryStep{"REJECTED", row[1].as<std::string>(),
                                             OptionalDayOf(row[2]), row[3].as<std::string>(), ""});
          }
          steps.push_back(EventHistoryStep{action, row[5].as<std::string>(), OptionalDayOf(row[6]),
                                           "", row[4].as<std::string>()});
        }
        return absl::OkStatus();
      }));
  return steps;
}

absl::StatusOr<std::vector<OrgRecord>> OrganisationStore::OverdueReElections(
    const std::string& region_prefix, absl::CivilDay as_of) {
  std::vector<OrgRecord> overdue;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row :
         txn.exec_prepared("socialorg_overdue", region_prefix, FormatDay(as_of))) {
      OrgRecord o = OrgFromRow(row);
      if (ReElectionDaysOverdue(o.state.term, as_of) > 0) overdue.push_back(std::move(o));
    }
    return absl::OkStatus();
  }));
  return overdue;
}

absl::StatusOr<std::vector<EventCountRow>> OrganisationStore::CountEvents(
    const std::string& region_prefix, absl::CivilDay start, absl::CivilDay end) {
  std::vector<EventCountRow> counts;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("socialorg_event_counts", region_prefix,
                                             FormatDay(start), FormatDay(end))) {
      counts.push_back(
          EventCountRow{static_cast<EventKind>(kEventKindNames.Value(row[0].as<std::string>())),
                        static_cast<OrgKind>(kOrgKindNames.Value(row[1].as<std::string>())),
                        row[2].as<int>(), row[3].as<int>()});
    }
    return absl::OkStatus();
  }));
  return counts;
}

absl::StatusOr<int> OrganisationStore::ReElectionOrRenewalFilings(const std::string& region_prefix,
                                                                  absl::CivilDay start,
                                                                  absl::CivilDay end) {
  int n = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    n = txn.exec_prepared1("socialorg_re_election_or_renewal", region_prefix, FormatDay(start),
                           FormatDay(end))[0]
            .as<int>();
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace civil::socialorg
