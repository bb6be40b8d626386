#include "services/exchange/disability_certificate_store.h"

#include "absl/strings/str_cat.h"
#include "civil/events/v1/events.pb.h"
#include "services/common/errors.h"
#include "services/common/outbox.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil::exchange {

DisabilityCertificateStore::DisabilityCertificateStore(PgPool* pool, InboundStore* inbound)
    : pool_(pool), inbound_(inbound) {
  pool_->Prepare(
      "certificate_subject_lock",
      "SELECT pg_advisory_xact_lock(hashtextextended('civil.exchange.certificate:' || $1, 0))");
  pool_->Prepare("certificate_known",
                 "SELECT certificate_number, category, grade, revoked, event_date::text FROM "
                 "disability_certificates WHERE subject_index = $1");
  pool_->Prepare("certificate_upsert",
                 "INSERT INTO disability_certificates (subject_index, certificate_number, "
                 "category, grade, revoked, event_date, record_id) VALUES ($1, $2, $3, $4, $5, "
                 "$6::date, $7::uuid) ON CONFLICT (subject_index) DO UPDATE SET "
                 "certificate_number = excluded.certificate_number, category = CASE WHEN "
                 "excluded.category = '' THEN disability_certificates.category ELSE "
                 "excluded.category END, grade = CASE WHEN excluded.grade = 0 THEN "
                 "disability_certificates.grade ELSE excluded.grade END, revoked = "
                 "excluded.revoked, event_date = excluded.event_date, record_id = "
                 "excluded.record_id, updated_at = now()");
}

absl::StatusOr<RecordResult> DisabilityCertificateStore::Receive(const BatchHeader& header,
                                                                 int index,
                                                                 const Certificate& certificate) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId id, ProtectId(inbound_->pii(), certificate.id));
  RecordResult result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<StoredRecord> first =
            inbound_->LockFirstReceipt(txn, header, certificate.source_record_id)) {
      result = inbound_->Resent(txn, header, index, certificate.source_record_id, *first);
      return absl::OkStatus();
    }
    txn.exec_prepared("certificate_subject_lock", id.index);
    std::optional<KnownCertificate> known;
    const pqxx::result rows = txn.exec_prepared("certificate_known", id.index);
    if (!rows.empty()) {
      known = KnownCertificate{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                               rows[0][2].as<int>(), rows[0][3].as<bool>(), DayOf(rows[0][4])};
    }
    RecordRow row;
    row.record_id = inbound_->NewRecordId(txn);
    row.index = index;
    row.source_record_id = certificate.source_record_id;
    row.id = id;
    row.event_date = certificate.event_date;
    row.region_code = certificate.region.value();
    // What was reported, readable in the log: "ISSUED 34072219..11 PHYSICAL 2".
    row.detail =
        absl::StrCat(CertificateEventName(certificate.event), " ", certificate.certificate_number,
                     " ", certificate.category, " ", certificate.grade);
    row.outcome = DecideCertificate(known, certificate);
    if (row.outcome != Outcome::kAccepted && known.has_value()) row.known_date = known->event_date;
    if (row.outcome == Outcome::kAccepted) {
      civil::events::v1::DisabilityCertificateChanged event;
      event.set_certificate_number(certificate.certificate_number);
      event.set_category(certificate.category);
      event.set_grade(certificate.grade);
      event.set_event(std::string(CertificateEventName(certificate.event)));
      event.set_event_date(FormatDay(certificate.event_date));
      event.set_region_code(certificate.region.value());
      event.set_record_id(row.record_id);
      event.set_source_record_id(certificate.source_record_id);
      event.set_reported_by(std::string(SourceName(header.source)));
      row.event_id = WriteEvent(txn, "exchange", EventSubject{id.index, id.masked}, event);
    }
    inbound_->Insert(txn, header, row);
    if (row.outcome == Outcome::kAccepted) {
      txn.exec_prepared("certificate_upsert", id.index, certificate.certificate_number,
                        certificate.category, certificate.grade,
                        certificate.event == CertificateEvent::kRevoked,
                        FormatDay(certificate.event_date), row.record_id);
    }
    result = RecordResult{};
    result.index = index;
    result.source_record_id = certificate.source_record_id;
    result.outcome = row.outcome;
    result.record_id = row.record_id;
    result.known_date = row.known_date;
    result.masked = id.masked;
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace civil::exchange
