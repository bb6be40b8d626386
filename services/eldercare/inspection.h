// Institution inspections by 双随机、一公开 (pure C++ on Abseil): the draw of inspectors and
// institutions from a seed, reproducible by anyone from the recorded seed and pools; the result of
// each area's check (fire, food, medical) with its rectification items; publishing; closing items
// and which are overdue.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::eldercare {

// Numbers match civil.eldercare.v1.InspectionArea.
enum class InspectionArea { kFire = 1, kFood = 2, kMedical = 3 };
inline constexpr absl::string_view kInspectionAreaNameList[] = {"", "FIRE", "FOOD", "MEDICAL"};
inline constexpr EnumNames kInspectionAreaNames{kInspectionAreaNameList};
// Numbers match civil.eldercare.v1.DrawStatus.
enum class DrawStatus { kDrawn = 1, kPublished = 2 };
inline constexpr absl::string_view kDrawStatusNameList[] = {"", "DRAWN", "PUBLISHED"};
inline constexpr EnumNames kDrawStatusNames{kDrawStatusNameList};

// The name of the draw algorithm recorded on every draw (see Draw below).
inline constexpr absl::string_view kDrawAlgorithm = "mt19937_64-partial-fisher-yates-v1";
inline constexpr int kMinDrawInspectors = 2;
inline constexpr int kMaxDrawCount = 100;
inline constexpr int kMaxRectifications = 50;

// An inspector added to the pool, as entered.
struct InspectorInput {
  std::string name;
  std::string organisation;
  std::string region_code;
  std::string add_date;
};
struct InspectorDraft {
  std::string name;
  std::string organisation;
  RegionCode region;  // 6, 9 or 12 digits
  absl::CivilDay added_on;
};
// Validates: name 1–64, organisation 0–64 characters, a 6-, 9- or 12-digit region code, the date
// (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<InspectorDraft> ValidateInspector(const InspectorInput& input, absl::CivilDay today);

// Retiring an inspector on `on`: FAILED_PRECONDITION "step: retired already on …", "date: …"
// before they were added.
absl::Status CheckRetirement(absl::CivilDay added_on,
                             const std::optional<absl::CivilDay>& retired_on, absl::CivilDay on);

// The counts of a draw: INVALID_ARGUMENT "inspectors: must be from 2 to 100" / "institutions:
// must be from 1 to 100".
absl::Status ValidateDrawCounts(int inspectors, int institutions);

// What a draw picked: ids in draw order.
struct DrawPicks {
  std::vector<std::string> inspectors;
  std::vector<std::string> institutions;
};

// `k` items of `pool` picked by `rng`: the pool sorted ascending, then for i = 0 … k−1,
// j = i + (rng() mod (n − i)) and items i and j swapped; the first k items, in that order. Plain
// modulo of the engine's output (whose sequence the C++ standard fixes) rather than
// std::uniform_int_distribution (whose algorithm each standard library chooses), so that any
// implementation reproduces it. Requires k ≤ pool size.
std::vector<std::string> PickFrom(std::mt19937_64& rng, std::vector<std::string> pool, int k);

// The draw (kDrawAlgorithm): std::mt19937_64 seeded with `seed`, inspectors picked first, then
// institutions, each pool sorted by id. FAILED_PRECONDITION "inspectors: 3 asked, the pool holds
// 2" (or "institutions: …") when a pool is too small; the counts as ValidateDrawCounts.
absl::StatusOr<DrawPicks> Draw(uint64_t seed, const std::vector<std::string>& inspector_pool,
                               int inspectors, const std::vector<std::string>& institution_pool,
                               int institutions);

// One rectification item, as entered and validated.
struct RectificationInput {
  std::string item;
  std::string due_date;
};
struct RectificationDraft {
  std::string item;
  absl::CivilDay due_on;
};

// The result of one area's check, as entered.
struct ResultInput {
  int area = 0;
  bool passed = false;
  std::string findings;
  std::string inspection_date;
  std::vector<RectificationInput> rectifications;
};
struct ResultDraft {
  InspectionArea area = InspectionArea::kFire;
  bool passed = false;
  std::string findings;
  absl::CivilDay inspected_on;
  std::vector<RectificationDraft> rectifications;
};
// Validates: an area, findings 0–2000 characters (required when failed), the inspection date
// (default `today`, never in the future), at most 50 rectification items, each 1–200 characters
// with a due date not before the inspection (`rectifications[1].due_date`); a failed check needs
// at least one item ("rectifications: …"). INVALID_ARGUMENT naming the field.
absl::StatusOr<ResultDraft> ValidateResult(const ResultInput& input, absl::CivilDay today);

// Recording a result of a draw in `status` made on `drawn_on`: FAILED_PRECONDITION "step: the draw
// is PUBLISHED; …" after publishing, "inspection_date: must not be before the draw …".
absl::Status CheckResultStep(DrawStatus status, absl::CivilDay drawn_on,
                             absl::CivilDay inspected_on);

// Publishing a draw made on `drawn_on` with `missing` area checks still unrecorded (`first_missing`
// describes one): FAILED_PRECONDITION "step: published already", "step: N checks are not recorded
// (…)", "date: …" before the draw.
absl::Status CheckPublish(DrawStatus status, absl::CivilDay drawn_on, int missing,
                          absl::string_view first_missing, absl::CivilDay on);

// Closing an item on `on` of an inspection on `inspected_on`: FAILED_PRECONDITION "step: closed
// already on …", "date: …" before the inspection.
absl::Status CheckRectificationClose(const std::optional<absl::CivilDay>& closed_on,
                                     absl::CivilDay inspected_on, absl::CivilDay on);

// Whether an item due on `due_on` is overdue on `day`: open on it (not closed, or closed after it)
// and due before it. The days overdue: `day` − `due_on`.
bool Overdue(absl::CivilDay due_on, const std::optional<absl::CivilDay>& closed_on,
             absl::CivilDay day);

}  // namespace civil::eldercare
