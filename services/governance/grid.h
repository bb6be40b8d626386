// Rules of community grids (pure C++ on Abseil): a grid's code and name, grid workers, where a
// merged village's grids are renamed when their names are taken in the village they move to, and
// the three public notices of a village/community — which are published and which missing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"
#include "services/governance/region.h"

namespace civil::governance {

// A village has at most 999 grids (the grid code's three digits).
inline constexpr int kMaxGridsPerVillage = 999;
inline constexpr int kMaxGridName = 32;

// A grid as entered.
struct GridDraft {
  RegionCode village;
  std::string name;
};

// Validates: a 12-digit village code, a name of 1–32 characters. INVALID_ARGUMENT naming
// `village_code` or `name`.
absl::StatusOr<GridDraft> ValidateGrid(absl::string_view village_code, absl::string_view name);

// Whether grids may be created in (and records imported into) `village`: FAILED_PRECONDITION
// "village_code: …" when it is absent, not village-level, or merged.
absl::Status CheckGridVillage(const std::optional<RegionFacts>& village,
                              absl::string_view village_code);

// The code of the grid numbered `number` (1–999) in `village`: the village's 12 digits and three
// more. FAILED_PRECONDITION "village_code: … has 999 grids already" beyond 999.
absl::StatusOr<std::string> GridCode(absl::string_view village_code, int number);

// Whether `text` has the shape of a grid code (15 digits).
bool IsGridCode(absl::string_view text);

// The name a grid named `name` of village `from_village_name` takes in the village it moves to,
// whose grid names are `taken`: its own name when free, else "<from_village_name><name>", then
// with " (2)", " (3)", … until free.
std::string MovedGridName(absl::string_view from_village_name, absl::string_view name,
                          const std::vector<std::string>& taken);

// A grid worker as entered.
struct WorkerDraft {
  std::string name;
  std::string phone;
  absl::CivilDay start;
};

// Validates: name 1–32 characters, phone 7–20 digits with single `-` between digits, the start
// date (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<WorkerDraft> ValidateWorker(absl::string_view name, absl::string_view phone,
                                           absl::string_view start_date, absl::CivilDay today);

// Numbers match civil.governance.v1.NoticeKind.
enum class NoticeKind { kIntroduction = 1, kGridMap = 2, kServiceFlow = 3 };
inline constexpr absl::string_view kNoticeKindNameList[] = {"", "INTRODUCTION", "GRID_MAP",
                                                            "SERVICE_FLOW"};
inline constexpr EnumNames kNoticeKindNames{kNoticeKindNameList};
inline constexpr NoticeKind kNoticeKinds[] = {NoticeKind::kIntroduction, NoticeKind::kGridMap,
                                              NoticeKind::kServiceFlow};

// A publication as entered.
struct NoticeDraft {
  RegionCode village;
  NoticeKind kind;
  absl::CivilDay published_on;
  std::string document;
};

// Validates: a 12-digit village code, a defined kind, the date (default `today`, never in the
// future), a document of 1–200 characters. INVALID_ARGUMENT naming the field.
absl::StatusOr<NoticeDraft> ValidateNotice(absl::string_view village_code, int kind,
                                           absl::string_view publish_date,
                                           absl::string_view document, absl::CivilDay today);

// The kinds of kNoticeKinds not among `published`, in kind order.
std::vector<NoticeKind> MissingNotices(const std::vector<NoticeKind>& published);

}  // namespace civil::governance
