// Rules of administrative boundaries (行政区域界线, pure C++ on Abseil): boundary lines with
// neighbouring counties, their markers (界桩: code, coordinates, kind, status), the joint
// inspections (联合检查) of a line per year with their archive files, and the notice boards that
// tri-point markers carry.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::governance {

// A line as entered: the neighbour county and the township it runs along (for region scope).
struct LineDraft {
  RegionCode township;
  std::string neighbour;  // 庐江县, 贵池区, …
  std::string name;
};

// Validates: a 9-digit township code, the neighbour 1–32 characters, the name 1–64.
// INVALID_ARGUMENT naming the field.
absl::StatusOr<LineDraft> ValidateLine(absl::string_view township_code, absl::string_view neighbour,
                                       absl::string_view name);

// Numbers match civil.governance.v1.MarkerKind / MarkerStatus.
enum class MarkerKind { kSingle = 1, kDouble = 2, kTriPoint = 3 };
inline constexpr absl::string_view kMarkerKindNameList[] = {"", "SINGLE", "DOUBLE", "TRI_POINT"};
inline constexpr EnumNames kMarkerKindNames{kMarkerKindNameList};
enum class MarkerStatus { kIntact = 1, kDamaged = 2, kMissing = 3 };
inline constexpr absl::string_view kMarkerStatusNameList[] = {"", "INTACT", "DAMAGED", "MISSING"};
inline constexpr EnumNames kMarkerStatusNames{kMarkerStatusNameList};

struct MarkerDraft {
  std::string code;
  double latitude = 0;
  double longitude = 0;
  MarkerKind kind = MarkerKind::kSingle;
  MarkerStatus status = MarkerStatus::kIntact;
  absl::CivilDay placed_on;
};

// Validates: a code of 1–32 characters, latitude −90…90 and longitude −180…180 (degrees, WGS
// 84), defined kind and status, the date (default `today`, never in the future).
// INVALID_ARGUMENT naming the field.
absl::StatusOr<MarkerDraft> ValidateMarker(absl::string_view code, double latitude,
                                           double longitude, int kind, int status,
                                           absl::string_view placed_date, absl::CivilDay today);

// Whether a marker of `kind` may carry a notice board: FAILED_PRECONDITION "marker_id: …" unless
// it is a tri-point marker.
absl::Status CheckBoard(MarkerKind kind);

struct InspectionDraft {
  int year = 0;
  absl::CivilDay completed_on;
  std::string archive_ref;  // the archive file of the inspection (档案号)
  std::string note;
};

// Validates: `year` 2000 to the completion's year, the completion date (default `today`, never
// in the future), an archive reference of 1–100 characters, a note of at most 500.
// INVALID_ARGUMENT naming the field.
absl::StatusOr<InspectionDraft> ValidateInspection(int year, absl::string_view completed_date,
                                                   absl::string_view archive_ref,
                                                   absl::string_view note, absl::CivilDay today);

}  // namespace civil::governance
