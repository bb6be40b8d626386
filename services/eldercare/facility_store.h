// PostgreSQL access for elderly-care facilities: the register, its dated steps, canteens' 六公示
// and meals per month, and the planned/built figures. The rules are facility.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/eldercare/facility.h"

namespace civil::eldercare {

struct FacilityRecord {
  std::string facility_id;
  FacilityKind kind = FacilityKind::kVillageStation;
  std::string name;
  std::string region_code;
  int target_year = 0;
  std::string operator_name;
  int capacity = 0;
  FacilityStatus status = FacilityStatus::kPlanned;
  absl::CivilDay planned_on;
  std::optional<absl::CivilDay> construction_started_on;
  std::optional<absl::CivilDay> completed_on;
  std::optional<absl::CivilDay> operating_since;
  std::optional<absl::CivilDay> six_notices_on;
  std::string recorded_by;
  int64_t update_time_micros = 0;
  std::vector<std::pair<absl::CivilMonth, int>> meals;  // Get only
};

// Facilities of one kind with a target year: how many, how many built by the day asked.
struct FacilityProgress {
  int planned = 0;
  int built = 0;
};

using RegionCheckFn = std::function<absl::Status(const std::string&)>;

class FacilityStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit FacilityStore(PgPool* pool);

  absl::StatusOr<FacilityRecord> Create(const FacilityDraft& draft, const std::string& actor);

  // Takes step `next` on `on` after CheckFacilityStep, under a row lock; `check_region` vets the
  // facility's region first. NOT_FOUND when there is none.
  absl::StatusOr<FacilityRecord> Advance(const std::string& facility_id, int next,
                                         absl::CivilDay on, const RegionCheckFn& check_region);

  // Records the 六公示 day after CheckSixNotices.
  absl::StatusOr<FacilityRecord> RecordSixNotices(const std::string& facility_id, absl::CivilDay on,
                                                  const RegionCheckFn& check_region);

  // Records a month's meals after CheckMeals. ALREADY_EXISTS "month: …" when recorded already.
  absl::StatusOr<FacilityRecord> RecordMeals(const std::string& facility_id, absl::CivilMonth month,
                                             int meals, const std::string& actor,
                                             const RegionCheckFn& check_region);

  // The facility with its meals. NOT_FOUND when there is none.
  absl::StatusOr<FacilityRecord> Get(const std::string& facility_id);

  absl::StatusOr<Page<FacilityRecord>> List(const std::string& region_prefix,
                                            std::optional<FacilityKind> kind, int target_year,
                                            int64_t after, int page_size);

  // Per kind, the facilities within `region_prefix` with target year `year`, and those of them
  // built (BuiltBy) on `as_of`.
  absl::StatusOr<std::map<FacilityKind, FacilityProgress>> Progress(
      const std::string& region_prefix, int year, absl::CivilDay as_of);

 private:
  absl::StatusOr<FacilityRecord> Locked(pqxx::transaction_base& txn, const std::string& facility_id,
                                        const RegionCheckFn& check_region);
  PgPool* pool_;
};

}  // namespace civil::eldercare
