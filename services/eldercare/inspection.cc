#include "services/eldercare/inspection.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {

absl::StatusOr<InspectorDraft> ValidateInspector(const InspectorInput& input,
                                                 absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  CIVIL_ASSIGN_OR_RETURN(std::string organisation,
                         BoundedText("organisation", input.organisation, 64, /*required=*/false));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                                   RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("add_date", input.add_date, today));
  return InspectorDraft{std::move(name), std::move(organisation), std::move(region), on};
}

absl::Status CheckRetirement(absl::CivilDay added_on,
                             const std::optional<absl::CivilDay>& retired_on, absl::CivilDay on) {
  if (retired_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("step: the inspector retired already on ", FormatDay(*retired_on)));
  }
  if (on < added_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the inspector was added on ", FormatDay(added_on)));
  }
  return absl::OkStatus();
}

absl::Status ValidateDrawCounts(int inspectors, int institutions) {
  if (inspectors < kMinDrawInspectors || inspectors > kMaxDrawCount) {
    return InvalidField("inspectors",
                        absl::StrCat("must be from ", kMinDrawInspectors, " to ", kMaxDrawCount));
  }
  if (institutions < 1 || institutions > kMaxDrawCount) {
    return InvalidField("institutions", absl::StrCat("must be from 1 to ", kMaxDrawCount));
  }
  return absl::OkStatus();
}

std::vector<std::string> PickFrom(std::mt19937_64& rng, std::vector<std::string> pool, int k) {
  std::sort(pool.begin(), pool.end());
  const uint64_t n = pool.size();
  for (uint64_t i = 0; i < static_cast<uint64_t>(k) && i < n; ++i) {
    const uint64_t j = i + rng() % (n - i);
    std::swap(pool[i], pool[j]);
  }
  pool.resize(std::min<size_t>(pool.size(), static_cast<size_t>(k)));
  return pool;
}

absl::StatusOr<DrawPicks> Draw(uint64_t seed, const std::vector<std::string>& inspector_pool,
                               int inspectors, const std::vector<std::string>& institution_pool,
                               int institutions) {
  CIVIL_RETURN_IF_ERROR(ValidateDrawCounts(inspectors, institutions));
  if (static_cast<size_t>(inspectors) > inspector_pool.size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("inspectors: ", inspectors, " asked, the pool holds ", inspector_pool.size()));
  }
  if (static_cast<size_t>(institutions) > institution_pool.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "institutions: ", institutions, " asked, the pool holds ", institution_pool.size(),
        " (operating township and smart-care institutions of the region)"));
  }
  std::mt19937_64 rng(seed);
  DrawPicks picks;
  picks.inspectors = PickFrom(rng, inspector_pool, inspectors);
  picks.institutions = PickFrom(rng, institution_pool, institutions);
  return picks;
}

absl::StatusOr<ResultDraft> ValidateResult(const ResultInput& input, absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(kInspectionAreaNames.Require("area", input.area));
  ResultDraft d;
  d.area = static_cast<InspectionArea>(input.area);
  d.passed = input.passed;
  if (input.passed) {
    CIVIL_ASSIGN_OR_RETURN(d.findings, BoundedText("findings", input.findings, 2000,
                                                   /*required=*/false, TextLines::kMany));
  } else {
    CIVIL_ASSIGN_OR_RETURN(d.findings,
                           RequiredText("findings", input.findings, 2000,
                                        "a failed check says what failed", TextLines::kMany));
  }
  CIVIL_ASSIGN_OR_RETURN(d.inspected_on,
                         EventDate("inspection_date", input.inspection_date, today));
  if (input.rectifications.size() > static_cast<size_t>(kMaxRectifications)) {
    return InvalidField("rectifications", absl::StrCat("at most ", kMaxRectifications, " items"));
  }
  for (size_t i = 0; i < input.rectifications.size(); ++i) {
    const std::string at = absl::StrCat("rectifications[", i, "]");
    CIVIL_ASSIGN_OR_RETURN(std::string item, BoundedText(absl::StrCat(at, ".item"),
                                                         input.rectifications[i].item, 200));
    const std::string due_field = absl::StrCat(at, ".due_date");
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay due,
                           RequiredDate(due_field, input.rectifications[i].due_date));
    if (due < d.inspected_on) {
      return InvalidField(due_field, absl::StrCat("must not be before the inspection date ",
                                                  FormatDay(d.inspected_on)));
    }
    d.rectifications.push_back({std::move(item), due});
  }
  if (!d.passed && d.rectifications.empty()) {
    return InvalidField("rectifications", "a failed check needs at least one rectification item");
  }
  return d;
}

absl::Status CheckResultStep(DrawStatus status, absl::CivilDay drawn_on,
                             absl::CivilDay inspected_on) {
  if (status == DrawStatus::kPublished) {
    return absl::FailedPreconditionError(
        "step: the draw is PUBLISHED; results are recorded before publishing");
  }
  if (inspected_on < drawn_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("inspection_date: must not be before the draw on ", FormatDay(drawn_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckPublish(DrawStatus status, absl::CivilDay drawn_on, int missing,
                          absl::string_view first_missing, absl::CivilDay on) {
  if (status == DrawStatus::kPublished) {
    return absl::FailedPreconditionError("step: the draw is published already");
  }
  if (missing > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "step: ", missing, " checks are not recorded (", first_missing,
        "); every institution drawn is checked for FIRE, FOOD and MEDICAL before publishing"));
  }
  if (on < drawn_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the draw on ", FormatDay(drawn_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckRectificationClose(const std::optional<absl::CivilDay>& closed_on,
                                     absl::CivilDay inspected_on, absl::CivilDay on) {
  if (closed_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("step: the item was closed already on ", FormatDay(*closed_on)));
  }
  if (on < inspected_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("date: must not be before the inspection on ", FormatDay(inspected_on)));
  }
  return absl::OkStatus();
}

bool Overdue(absl::CivilDay due_on, const std::optional<absl::CivilDay>& closed_on,
             absl::CivilDay day) {
  return due_on < day && (!closed_on.has_value() || *closed_on > day);
}

}  // namespace civil::eldercare
