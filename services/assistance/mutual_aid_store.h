// PostgreSQL access for mutual-aid societies (互助社) and the people they helped.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/mutual_aid.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/pg.h"

namespace civil::assistance {

// A person helped by a mutual-aid society, as the adapter validated it.
struct MutualAidCaseDraft {
  std::string society_id;
  std::string household_id;
  std::string member_id;
  Money amount;
  absl::CivilDay helped_on;
  std::string note;
};

class MutualAidStore {
 public:
  MutualAidStore(PgPool* pool, const AssistanceRules& rules);

  // Registers the society of a village. ALREADY_EXISTS "region_code: … already has a
  // mutual-aid society" for a second one.
  absl::StatusOr<v1::MutualAidSociety> Register(const Actor& actor, const std::string& region_code,
                                                const std::string& name,
                                                absl::CivilDay registered_on);
  absl::StatusOr<Page<v1::MutualAidSociety>> ListSocieties(const std::string& region_prefix,
                                                           int64_t after, int page_size);
  // NOT_FOUND for an unknown society, household or member; PERMISSION_DENIED outside the
  // actor's region; FAILED_PRECONDITION when the household lives in another village or the help
  // predates the registration.
  absl::StatusOr<v1::MutualAidCase> RecordCase(const Actor& actor, const MutualAidCaseDraft& draft,
                                               absl::CivilDay today);
  // Cases in `region_prefix`, of one society when `society_id` is not empty.
  absl::StatusOr<Page<v1::MutualAidCase>> ListCases(const std::string& region_prefix,
                                                    const std::string& society_id, int64_t after,
                                                    int page_size);
  // Coverage as of `as_of`. With `villages_known` > 0 that count is used (INVALID_ARGUMENT when
  // it is below the societies registered); otherwise the villages are counted from households.
  absl::StatusOr<v1::GetMutualAidCoverageResponse> Coverage(const std::string& region_prefix,
                                                            absl::CivilDay as_of,
                                                            int64_t villages_known);

 private:
  PgPool* pool_;
  AssistanceRules rules_;
};

}  // namespace civil::assistance
