// PostgreSQL access for home adaptations (with their plan items) and institutional placements:
// records in and out, the steps under a row lock, and the figures. Rules: adaptation.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"
#include "services/eldercare/adaptation.h"

namespace civil::eldercare {

struct AdaptationRecord {
  std::string adaptation_id;
  std::string head_name;
  std::string id_masked;
  std::string region_code;
  int target_year = 0;
  AdaptationStatus status = AdaptationStatus::kSurveyed;
  std::string findings;
  absl::CivilDay surveyed_on;
  std::optional<absl::CivilDay> planned_on;
  int64_t plan_cost_fen = 0;
  std::optional<absl::CivilDay> works_started_on;
  std::string contractor;
  std::optional<absl::CivilDay> accepted_on;
  std::string accepted_by;
  std::string recorded_by;
  int64_t update_time_micros = 0;
  std::vector<PlanItem> items;
};

struct PlacementRecord {
  std::string placement_id;
  std::string name;
  std::string id_masked;
  std::string region_code;
  std::string institution;
  std::string basis;
  absl::CivilDay placed_on;
  std::optional<absl::CivilDay> ended_on;
  std::string end_note;
  std::string recorded_by;
};

// Adaptations with a target year: how many, how many planned and accepted by a day; placements
// open on that day.
struct AdaptationFigures {
  int planned_households = 0;  // adaptations with the target year (surveyed, to be adapted)
  int plans_made = 0;          // with a plan (一户一方案) dated on or before the day
  int accepted = 0;            // accepted on or before the day
  int placements = 0;          // placements open on the day
};

using RegionCheckFn = std::function<absl::Status(const std::string&)>;

class AdaptationStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  AdaptationStore(PgPool* pool, const PiiProtector* pii);

  // ALREADY_EXISTS "head_id_number: …" when the household has one for the year.
  absl::StatusOr<AdaptationRecord> Survey(const SurveyDraft& draft, const std::string& actor);
  // The steps after CheckAdaptationStep, under a row lock; NOT_FOUND when there is none.
  absl::StatusOr<AdaptationRecord> Plan(const std::string& adaptation_id,
                                        const std::vector<PlanItem>& items, absl::CivilDay on,
                                        const RegionCheckFn& check_region);
  absl::StatusOr<AdaptationRecord> StartWorks(const std::string& adaptation_id,
                                              const std::string& contractor, absl::CivilDay on,
                                              const RegionCheckFn& check_region);
  absl::StatusOr<AdaptationRecord> Accept(const std::string& adaptation_id, absl::CivilDay on,
                                          const std::string& actor,
                                          const RegionCheckFn& check_region);
  absl::StatusOr<AdaptationRecord> Get(const std::string& adaptation_id);

  // ALREADY_EXISTS "id_number: …" when the person has an open placement.
  absl::StatusOr<PlacementRecord> Place(const PlacementDraft& draft, const std::string& actor);
  // Ends an open placement after CheckPlacementEnd.
  absl::StatusOr<PlacementRecord> EndPlacement(const std::string& placement_id, absl::CivilDay on,
                                               const std::string& note,
                                               const RegionCheckFn& check_region);

  absl::StatusOr<AdaptationFigures> Figures(const std::string& region_prefix, int year,
                                            absl::CivilDay as_of);

 private:
  // Locks the adaptation, vets its region and the step `next` on `on`, then runs `update`.
  absl::StatusOr<AdaptationRecord> Step(
      const std::string& adaptation_id, AdaptationStatus next, absl::CivilDay on,
      const RegionCheckFn& check_region,
      const std::function<pqxx::row(pqxx::transaction_base&)>& update);

  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::eldercare
