#include "services/exchange/disability_certificate.h"

#include "absl/strings/ascii.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::exchange {

namespace {
constexpr absl::string_view kTypeNames[] = {"",         "VISUAL",       "HEARING", "SPEECH",
                                            "PHYSICAL", "INTELLECTUAL", "MENTAL",  "MULTIPLE"};
constexpr int kTypeCount = static_cast<int>(std::size(kTypeNames));
}  // namespace

absl::string_view CertificateEventName(CertificateEvent event) {
  switch (event) {
    case CertificateEvent::kIssued:
      return "ISSUED";
    case CertificateEvent::kChanged:
      return "CHANGED";
    case CertificateEvent::kRevoked:
      return "REVOKED";
  }
  return "";
}

absl::string_view DisabilityTypeName(int number) {
  if (number <= 0 || number >= kTypeCount) return "";
  return kTypeNames[number];
}

absl::StatusOr<Certificate> ValidCertificate(const CertificateInput& input, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string record_id, ValidSourceRecordId(input.source_record_id));
  CIVIL_ASSIGN_OR_RETURN(IdNumber id, RequiredIdNumber("id_number", input.id_number, today));
  if (input.certificate_number.empty()) return InvalidField("certificate_number", "is required");
  if (input.certificate_number.size() > 32) {
    return InvalidField("certificate_number", "at most 32 letters and digits");
  }
  for (char c : input.certificate_number) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      return InvalidField("certificate_number", "letters and digits only");
    }
  }
  if (input.event == 0) return InvalidField("event", "is required");
  if (input.event < 1 || input.event > 3) return InvalidField("event", "unknown value");
  const auto event = static_cast<CertificateEvent>(input.event);
  const bool revoked = event == CertificateEvent::kRevoked;
  if (input.type == 0 && !revoked) return InvalidField("type", "is required");
  if (input.type < 0 || input.type >= kTypeCount) return InvalidField("type", "unknown value");
  if (input.grade == 0 && !revoked) return InvalidField("grade", "is required");
  if (input.grade < 0 || input.grade > 4) return InvalidField("grade", "must be from 1 to 4");
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day,
                         ReportedDay("event_date", input.event_date, today, id.birth_date()));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                                   RegionCode::Level::kVillage}));
  return Certificate{std::move(record_id),
                     std::move(id),
                     input.certificate_number,
                     std::string(DisabilityTypeName(input.type)),
                     input.grade,
                     event,
                     day,
                     std::move(region)};
}

Outcome DecideCertificate(const std::optional<KnownCertificate>& known, const Certificate& event) {
  if (!known.has_value()) return Outcome::kAccepted;
  if (event.event_date < known->event_date) return Outcome::kConflict;
  if (event.event == CertificateEvent::kRevoked) {
    if (known->revoked || event.certificate_number != known->certificate_number) {
      return Outcome::kDuplicate;
    }
    return Outcome::kAccepted;
  }
  if (!known->revoked && event.certificate_number == known->certificate_number &&
      event.category == known->category && event.grade == known->grade) {
    return Outcome::kDuplicate;
  }
  return Outcome::kAccepted;
}

absl::CivilMonth CertificateStopMonth(absl::CivilDay day) { return absl::CivilMonth(day) + 1; }

}  // namespace civil::exchange
