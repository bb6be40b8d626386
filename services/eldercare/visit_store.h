// PostgreSQL access for the weekly visits (探访关爱): pilot townships, the register of persons to
// visit, visits and their follow-ups, the week's worklist and the period's figures. The rules are
// visit.h's.
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
#include "services/eldercare/visit.h"

namespace civil::eldercare {

struct PilotRecord {
  std::string township_code;
  std::string township_name;
  absl::CivilDay starts_on;
  std::optional<absl::CivilDay> ends_on;
  std::string declared_by;
};

struct VisitPersonRecord {
  std::string person_id;
  std::string name;
  std::string id_masked;
  std::string region_code;
  std::string circumstances;
  absl::CivilDay registered_on;
  std::optional<absl::CivilDay> deregistered_on;
  std::string deregister_reason;
  std::string recorded_by;
  std::optional<absl::CivilDay> last_visit_on;  // the worklist only
};

struct VisitRecord {
  std::string visit_id;
  std::string person_id;
  std::string name;
  std::string id_masked;
  std::string region_code;
  absl::CivilDay visited_on;
  std::string visitor;
  std::string findings;
  bool follow_up_needed = false;
  std::string follow_up;
  std::optional<absl::CivilDay> follow_up_closed_on;
  std::string follow_up_close_note;
  std::string recorded_by;
  int64_t create_time_micros = 0;
};

// One page of the worklist of a township and week.
struct UnvisitedPage {
  IsoWeek week;
  Page<VisitPersonRecord> page;
  int unvisited = 0;   // every page
  int registered = 0;  // on the register on the day
};

// The visit figures of a period within a region.
struct VisitFigures {
  std::vector<PilotRecord> pilots;  // programmes running at some day of the period, by code
  int visits = 0;
  int persons_visited = 0;
};

using RegionCheckFn = std::function<absl::Status(const std::string&)>;

class VisitStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  VisitStore(PgPool* pool, const PiiProtector* pii);

  // ALREADY_EXISTS "township_code: …" when the township is a pilot already.
  absl::StatusOr<PilotRecord> DeclarePilot(const PilotDraft& draft, const std::string& actor);
  // Ends a programme after CheckPilotEnd, under a row lock. NOT_FOUND when there is none.
  absl::StatusOr<PilotRecord> EndPilot(const std::string& township_code, absl::CivilDay on);
  // The pilots whose township lies within `region_prefix`, by code.
  absl::StatusOr<std::vector<PilotRecord>> ListPilots(const std::string& region_prefix);

  // ALREADY_EXISTS "id_number: …" when the person is on the register.
  absl::StatusOr<VisitPersonRecord> Register(const RegisterDraft& draft, const std::string& actor);
  // After CheckDeregistration, under a row lock; `check_region` vets the person's region first.
  // NOT_FOUND when there is none.
  absl::StatusOr<VisitPersonRecord> Deregister(const std::string& person_id, absl::CivilDay on,
                                               const std::string& reason,
                                               const RegionCheckFn& check_region);

  // Records a visit to the person of `draft.id` on the register on the visit day
  // (CheckVisitOfPerson) whose township runs a programme on that day (CheckPilotRuns);
  // `check_region` vets the person's region.
  absl::StatusOr<VisitRecord> RecordVisit(const VisitDraft& draft, const std::string& actor,
                                          const RegionCheckFn& check_region);
  // After CheckFollowUpClose, under a row lock. NOT_FOUND when there is no such visit.
  absl::StatusOr<VisitRecord> CloseFollowUp(const std::string& visit_id, absl::CivilDay on,
                                            const std::string& note,
                                            const RegionCheckFn& check_region);
  // Newest first; `person_id` "" = everyone; `before` 0 = from the newest.
  absl::StatusOr<Page<VisitRecord>> ListVisits(const std::string& region_prefix,
                                               const std::string& person_id, bool open_follow_ups,
                                               int64_t before, int page_size);

  // The registered persons of `township_code` on `day` (not known dead by then) without a visit
  // in the ISO week of `day`, in register order. FAILED_PRECONDITION "township_code: …" when the
  // township runs no programme on `day`.
  absl::StatusOr<UnvisitedPage> Unvisited(const std::string& township_code, absl::CivilDay day,
                                          int64_t after, int page_size);

  // The pilots running at some day of first..last whose township lies within `region_prefix` (or
  // contains it), and the visits of the period within it.
  absl::StatusOr<VisitFigures> Figures(const std::string& region_prefix, absl::CivilDay first,
                                       absl::CivilDay last);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::eldercare
