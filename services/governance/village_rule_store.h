// PostgreSQL access for village rules (村规民约 / 居民公约): revisions, the steps recorded on each
// (under a lock on the revision, so two steps of one revision are serialised), and the
// excellent-rules selections. All SQL of `village_rules`, `rule_steps` and `rule_selections`
// lives here (the village's row of `regions` is read, never written); the rules are
// village_rule.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/village_rule.h"

namespace civil::governance {

struct RuleStepRecord {
  RuleStep step = RuleStep::kCollectOpinions;
  absl::CivilDay on;
  std::string document;
  std::optional<VoteCounts> vote;
  bool passed = false;
  std::string actor;
};

struct VillageRuleRecord {
  std::string rule_id;
  std::string village_code;
  RuleKind kind = RuleKind::kVillageRules;
  std::string title;
  RuleState state;
  std::string created_by;
  int64_t create_time_micros = 0;
  std::vector<RuleStepRecord> steps;  // Get and RecordStep only
};

struct ExcellentRuleRecord {
  int year = 0;
  VillageRuleRecord rule;
  absl::CivilDay selected_on;
  std::string note;
  std::string actor;
};

class VillageRuleStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit VillageRuleStore(PgPool* pool);

  // Starts a revision after CheckGridVillage on its village (a current village/community).
  absl::StatusOr<VillageRuleRecord> Start(const RuleDraft& draft, const std::string& actor);

  // The revision with its steps. NOT_FOUND "rule_id: no such village rule".
  absl::StatusOr<VillageRuleRecord> Get(const std::string& rule_id);

  // Records `step` on `rule_id` after `check_scope` on its village and ApplyStep on its state
  // (the revision's row locked): a rule_steps row and the new state. Returns the revision with
  // its steps. NOT_FOUND for an unknown revision.
  absl::StatusOr<VillageRuleRecord> RecordStep(
      const std::string& rule_id, const StepDraft& step, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // Revisions whose village lies within `region_prefix`, after position `after`, oldest first.
  absl::StatusOr<Page<VillageRuleRecord>> List(const std::string& region_prefix, int64_t after,
                                               int page_size);

  // Selects `rule_id` for `year` after `check_scope` and CheckSelection (`today` for the year's
  // bound). ALREADY_EXISTS "year: …" when selected for that year already.
  absl::StatusOr<ExcellentRuleRecord> Select(
      const std::string& rule_id, int year, absl::CivilDay on, const std::string& note,
      const std::string& actor, absl::CivilDay today,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // The selections of `year` within `region_prefix`, by village code.
  absl::StatusOr<std::vector<ExcellentRuleRecord>> Selections(int year,
                                                              const std::string& region_prefix);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
