#include "services/governance/grid.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {

absl::StatusOr<GridDraft> ValidateGrid(absl::string_view village_code, absl::string_view name) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string clean, BoundedText("name", name, kMaxGridName));
  return GridDraft{std::move(village), std::move(clean)};
}

absl::Status CheckGridVillage(const std::optional<RegionFacts>& village,
                              absl::string_view village_code) {
  if (!village) {
    return absl::FailedPreconditionError(
        absl::StrCat("village_code: ", village_code, " is not in the region tree"));
  }
  if (!IsVillageLevel(village->kind)) {
    return absl::FailedPreconditionError(
        absl::StrCat("village_code: ", village_code, " is not a village or community"));
  }
  if (!village->merged_into.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("village_code: ", village_code, " was merged into ", village->merged_into));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> GridCode(absl::string_view village_code, int number) {
  if (number < 1 || number > kMaxGridsPerVillage) {
    return absl::FailedPreconditionError(absl::StrCat("village_code: ", village_code, " has ",
                                                      kMaxGridsPerVillage, " grids already"));
  }
  char digits[4];
  std::snprintf(digits, sizeof digits, "%03d", number);
  return absl::StrCat(village_code, digits);
}

bool IsGridCode(absl::string_view text) {
  return text.size() == 15 &&
         std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); });
}

std::string MovedGridName(absl::string_view from_village_name, absl::string_view name,
                          const std::vector<std::string>& taken) {
  auto free = [&](const std::string& candidate) {
    return std::find(taken.begin(), taken.end(), candidate) == taken.end();
  };
  std::string candidate(name);
  if (free(candidate)) return candidate;
  const std::string prefixed = absl::StrCat(from_village_name, name);
  candidate = prefixed;
  for (int n = 2; !free(candidate); ++n) candidate = absl::StrCat(prefixed, " (", n, ")");
  return candidate;
}

absl::StatusOr<WorkerDraft> ValidateWorker(absl::string_view name, absl::string_view phone,
                                           absl::string_view start_date, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string clean, BoundedText("name", name, 32));
  int digits = 0;
  bool ok =
      !phone.empty() && absl::ascii_isdigit(phone.front()) && absl::ascii_isdigit(phone.back());
  for (size_t i = 0; ok && i < phone.size(); ++i) {
    if (absl::ascii_isdigit(phone[i])) {
      ++digits;
    } else if (phone[i] != '-' || phone[i - 1] == '-') {
      ok = false;
    }
  }
  if (phone.empty()) return InvalidField("phone", "is required");
  if (!ok || digits < 7 || digits > 20) {
    return InvalidField("phone", "must be 7 to 20 digits, with single '-' between digits");
  }
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay start, EventDate("start_date", start_date, today));
  return WorkerDraft{std::move(clean), std::string(phone), start};
}

absl::StatusOr<NoticeDraft> ValidateNotice(absl::string_view village_code, int kind,
                                           absl::string_view publish_date,
                                           absl::string_view document, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  CIVIL_RETURN_IF_ERROR(kNoticeKindNames.Require("kind", kind));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("publish_date", publish_date, today));
  CIVIL_ASSIGN_OR_RETURN(std::string doc, BoundedText("document", document, 200));
  return NoticeDraft{std::move(village), static_cast<NoticeKind>(kind), on, std::move(doc)};
}

std::vector<NoticeKind> MissingNotices(const std::vector<NoticeKind>& published) {
  std::vector<NoticeKind> missing;
  for (NoticeKind k : kNoticeKinds) {
    if (std::find(published.begin(), published.end(), k) == published.end()) missing.push_back(k);
  }
  return missing;
}

}  // namespace civil::governance
