// PostgreSQL access for "community whistle, departments report" items: all SQL of
// `whistle_items` (the village's row of `regions` is read, never written); the rules are
// whistle.h's.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/whistle.h"

namespace civil::governance {

struct WhistleRecord {
  std::string item_id;
  std::string village_code;
  std::string matter;
  std::string department;
  absl::CivilDay whistled_on;
  absl::CivilDay due_on;
  std::string whistled_by;
  std::optional<absl::CivilDay> answered_on;
  std::string answered_department;
  std::string answer;
  std::string answered_by;
};

class WhistleStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit WhistleStore(PgPool* pool);

  // Records a whistle after CheckGridVillage on its village (a current village/community).
  absl::StatusOr<WhistleRecord> Blow(const WhistleDraft& draft, const std::string& actor);

  // Records the department's answer after `check_scope` on the item's village and CheckAnswer
  // (the item's row locked). NOT_FOUND "item_id: no such item".
  absl::StatusOr<WhistleRecord> Answer(
      const std::string& item_id, const AnswerDraft& answer, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // Items within `region_prefix` whistled on or before `as_of`, not answered by then and due
  // before it (IsOverdue), oldest due first, at most `limit`.
  absl::StatusOr<std::vector<WhistleRecord>> Overdue(const std::string& region_prefix,
                                                     absl::CivilDay as_of, int limit);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
