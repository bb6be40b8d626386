#include "services/governance/boundary.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {

absl::StatusOr<LineDraft> ValidateLine(absl::string_view township_code, absl::string_view neighbour,
                                       absl::string_view name) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode township,
                         RegionOf("township_code", township_code, {RegionCode::Level::kTownship}));
  CIVIL_ASSIGN_OR_RETURN(std::string n, BoundedText("neighbour", neighbour, 32));
  CIVIL_ASSIGN_OR_RETURN(std::string clean, BoundedText("name", name, 64));
  return LineDraft{std::move(township), std::move(n), std::move(clean)};
}

absl::StatusOr<MarkerDraft> ValidateMarker(absl::string_view code, double latitude,
                                           double longitude, int kind, int status,
                                           absl::string_view placed_date, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string c, BoundedText("code", code, 32));
  if (!(latitude >= -90 && latitude <= 90)) {
    return InvalidField("latitude", "must be from -90 to 90 degrees");
  }
  if (!(longitude >= -180 && longitude <= 180)) {
    return InvalidField("longitude", "must be from -180 to 180 degrees");
  }
  CIVIL_RETURN_IF_ERROR(kMarkerKindNames.Require("kind", kind));
  CIVIL_RETURN_IF_ERROR(kMarkerStatusNames.Require("status", status));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("placed_date", placed_date, today));
  return MarkerDraft{std::move(c),
                     latitude,
                     longitude,
                     static_cast<MarkerKind>(kind),
                     static_cast<MarkerStatus>(status),
                     on};
}

absl::Status CheckBoard(MarkerKind kind) {
  if (kind != MarkerKind::kTriPoint) {
    return absl::FailedPreconditionError("marker_id: only tri-point markers carry a notice board");
  }
  return absl::OkStatus();
}

absl::StatusOr<InspectionDraft> ValidateInspection(int year, absl::string_view completed_date,
                                                   absl::string_view archive_ref,
                                                   absl::string_view note, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                         EventDate("completed_date", completed_date, today));
  if (year < 2000 || year > on.year()) {
    return InvalidField("year", absl::StrCat("must be from 2000 to ", on.year()));
  }
  CIVIL_ASSIGN_OR_RETURN(std::string ref, BoundedText("archive_ref", archive_ref, 100));
  CIVIL_ASSIGN_OR_RETURN(std::string n,
                         BoundedText("note", note, 500, /*required=*/false, TextLines::kMany));
  return InspectionDraft{year, on, std::move(ref), std::move(n)};
}

}  // namespace civil::governance
