// The rules of a disability certificate event from the disabled persons' federation (残联): what
// a readable record is, and whether it changes what the platform knows of the person's
// certificate. Affairs acts on an accepted event (a revocation, or a grade above 2, stops a
// subsidy from the month after the event: CertificateStopMonth).
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/exchange/inbound.h"

namespace civil::exchange {

// Numbered as civil.exchange.v1.CertificateEvent.
enum class CertificateEvent { kIssued = 1, kChanged = 2, kRevoked = 3 };
// "ISSUED", "CHANGED", "REVOKED".
absl::string_view CertificateEventName(CertificateEvent event);

// The type numbered `number` (civil.exchange.v1.DisabilityType, the same numbers as affairs'
// DisabilityCategory) as its name: "VISUAL" … "MULTIPLE"; "" for 0 or an unknown number.
absl::string_view DisabilityTypeName(int number);

struct CertificateInput {
  std::string source_record_id, id_number, certificate_number;
  int type = 0, grade = 0, event = 0;
  std::string event_date, region_code;
};

struct Certificate {
  std::string source_record_id;
  IdNumber id;
  std::string certificate_number;
  std::string category;  // "" only for a revocation that named none
  int grade = 0;         // 0 only for a revocation that named none
  CertificateEvent event = CertificateEvent::kIssued;
  absl::CivilDay event_date;
  RegionCode region;
};

// The event `input` describes, on `today`. INVALID_ARGUMENT naming the field: source_record_id
// (1..64 characters), id_number, certificate_number (1..32 letters and digits), event (given),
// type and grade (required for ISSUED and CHANGED; for REVOKED 0 or valid), type (a known value),
// grade (1..4), event_date (required, not in the future, not before the birth date),
// region_code (6, 9 or 12 digits).
absl::StatusOr<Certificate> ValidCertificate(const CertificateInput& input, absl::CivilDay today);

// The person's certificate as the exchange knows it: the last event accepted.
struct KnownCertificate {
  std::string certificate_number;
  std::string category;
  int grade = 0;
  bool revoked = false;
  absl::CivilDay event_date;
};

// What the exchange does with `event` given what it knows:
// - nothing known: kAccepted (an issue, or a change or revocation of a certificate issued before
//   the exchange existed, which affairs may hold from its clerks);
// - an event dated before the last accepted one: kConflict (it would rewrite history; kept for a
//   reviewer, nothing published);
// - REVOKED of the certificate already revoked (or of a number that is not the current one):
//   kDuplicate;
// - ISSUED / CHANGED with the number, type and grade already known and valid: kDuplicate;
// - anything else: kAccepted (a new number is a re-issue; a revoked person may be certified
//   again).
Outcome DecideCertificate(const std::optional<KnownCertificate>& known, const Certificate& event);

// The first month a subsidy is no longer paid after a certificate event on `day`: the month
// after it.
absl::CivilMonth CertificateStopMonth(absl::CivilDay day);

}  // namespace civil::exchange
