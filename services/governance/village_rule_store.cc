#include "services/governance/village_rule_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/governance/grid.h"

namespace civil::governance {
namespace {

const std::string& RuleColumns() {
  static const std::string* columns = new std::string(
      absl::StrCat("rule_id::text, village_code, kind, title, stage, stage_on::text, created_by, ",
                   MicrosOf("created_at"), ", seq"));
  return *columns;
}

VillageRuleRecord RuleFromRow(const pqxx::row& row, int at = 0) {
  VillageRuleRecord r;
  r.rule_id = row[at + 0].as<std::string>();
  r.village_code = row[at + 1].as<std::string>();
  r.kind = static_cast<RuleKind>(kRuleKindNames.Value(row[at + 2].as<std::string>()));
  r.title = row[at + 3].as<std::string>();
  const std::string stage = row[at + 4].as<std::string>();
  if (!stage.empty()) r.state.completed = static_cast<RuleStep>(kRuleStepNames.Value(stage));
  r.state.completed_on = OptionalDayOf(row[at + 5]);
  r.created_by = row[at + 6].as<std::string>();
  r.create_time_micros = row[at + 7].as<int64_t>();
  return r;
}

RuleStepRecord StepFromRow(const pqxx::row& row) {
  RuleStepRecord s;
  s.step = static_cast<RuleStep>(kRuleStepNames.Value(row[0].as<std::string>()));
  s.on = DayOf(row[1]);
  s.document = row[2].as<std::string>();
  if (!row[3].is_null()) {
    s.vote = VoteCounts{row[3].as<int>(), row[4].as<int>(), row[5].as<int>(), row[6].as<int>(),
                        row[7].as<int>()};
    s.passed = row[8].as<bool>();
  }
  s.actor = row[9].as<std::string>();
  return s;
}

void LoadSteps(pqxx::transaction_base& txn, VillageRuleRecord& rule) {
  for (const auto& row : txn.exec_prepared("rule_steps_of", rule.rule_id)) {
    rule.steps.push_back(StepFromRow(row));
  }
}

}  // namespace

VillageRuleStore::VillageRuleStore(PgPool* pool) : pool_(pool) {
  pool_->Prepare("rule_village",
                 "SELECT name, kind, coalesce(merged_into, '') FROM regions WHERE code = $1 FOR "
                 "SHARE");
  pool_->Prepare("rule_insert",
                 absl::StrCat("INSERT INTO village_rules (village_code, kind, title, created_by) "
                              "VALUES ($1, $2, $3, $4) RETURNING ",
                              RuleColumns()));
  pool_->Prepare("rule_get", absl::StrCat("SELECT ", RuleColumns(),
                                          " FROM village_rules WHERE rule_id = $1::uuid"));
  pool_->Prepare("rule_lock", absl::StrCat("SELECT ", RuleColumns(),
                                           " FROM village_rules WHERE rule_id = $1::uuid FOR "
                                           "UPDATE"));
  pool_->Prepare("rule_list", absl::StrCat("SELECT ", RuleColumns(),
                                           " FROM village_rules WHERE village_code LIKE $1 || "
                                           "'%' AND seq > $2 ORDER BY seq LIMIT $3"));
  pool_->Prepare("rule_steps_of",
                 "SELECT step, on_date::text, document, members_total, members_present, "
                 "votes_for, votes_against, votes_abstain, passed, actor FROM rule_steps WHERE "
                 "rule_id = $1::uuid ORDER BY step_id");
  pool_->Prepare("rule_step_insert",
                 "INSERT INTO rule_steps (rule_id, step, on_date, document, actor) VALUES "
                 "($1::uuid, $2, $3::date, $4, $5)");
  pool_->Prepare("rule_vote_insert",
                 "INSERT INTO rule_steps (rule_id, step, on_date, document, actor, members_total, "
                 "members_present, votes_for, votes_against, votes_abstain, passed) VALUES "
                 "($1::uuid, 'VOTE', $2::date, $3, $4, $5, $6, $7, $8, $9, $10)");
  pool_->Prepare("rule_stage",
                 "UPDATE village_rules SET stage = $2, stage_on = $3::date, updated_at = now() "
                 "WHERE rule_id = $1::uuid");
  pool_->Prepare("rule_select",
                 "INSERT INTO rule_selections (rule_id, year, selected_on, note, actor) VALUES "
                 "($1::uuid, $2, $3::date, $4, $5)");
  pool_->Prepare("rule_selections_of",
                 absl::StrCat("SELECT s.year, s.selected_on::text, s.note, s.actor, ",
                              "r.rule_id::text, r.village_code, r.kind, r.title, r.stage, "
                              "r.stage_on::text, r.created_by, ",
                              MicrosOf("r.created_at"),
                              " FROM rule_selections s JOIN village_rules r USING (rule_id) WHERE "
                              "s.year = $1 AND r.village_code LIKE $2 || '%' ORDER BY "
                              "r.village_code, s.selection_id"));
}

absl::StatusOr<VillageRuleRecord> VillageRuleStore::Start(const RuleDraft& draft,
                                                          const std::string& actor) {
  VillageRuleRecord created;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const std::string& village = draft.village.value();
    pqxx::result r = txn.exec_prepared("rule_village", village);
    std::optional<RegionFacts> facts;
    if (!r.empty()) {
      facts = RegionFacts{};
      facts->code = village;
      facts->name = r[0][0].as<std::string>();
      facts->kind = static_cast<RegionKind>(kRegionKindNames.Value(r[0][1].as<std::string>()));
      facts->merged_into = r[0][2].as<std::string>();
    }
    CIVIL_RETURN_IF_ERROR(CheckGridVillage(facts, village));
    created = RuleFromRow(txn.exec_prepared1(
        "rule_insert", village, std::string(kRuleKindNames.Name(static_cast<int>(draft.kind))),
        draft.title, actor));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<VillageRuleRecord> VillageRuleStore::Get(const std::string& rule_id) {
  absl::StatusOr<VillageRuleRecord> result = absl::NotFoundError("rule_id: no such village rule");
  CIVIL_RETURN_IF_ERROR(
      pool_->Transact<pqxx::repeatable_read>([&](pqxx::transaction_base& txn) -> absl::Status {
        pqxx::result r = txn.exec_prepared("rule_get", rule_id);
        if (r.empty()) return absl::OkStatus();
        VillageRuleRecord rule = RuleFromRow(r[0]);
        LoadSteps(txn, rule);
        result = std::move(rule);
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<VillageRuleRecord> VillageRuleStore::RecordStep(
    const std::string& rule_id, const StepDraft& step, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  VillageRuleRecord rule;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("rule_lock", rule_id);
    if (r.empty()) return absl::NotFoundError("rule_id: no such village rule");
    rule = RuleFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_scope(rule.village_code));
    CIVIL_ASSIGN_OR_RETURN(const RuleState next, ApplyStep(rule.state, step));
    const std::string day = FormatDay(step.on);
    if (step.vote) {
      const VoteCounts& v = *step.vote;
      txn.exec_prepared("rule_vote_insert", rule_id, day, step.document, actor, v.members_total,
                        v.members_present, v.votes_for, v.votes_against, v.votes_abstain,
                        VotePasses(v));
    } else {
      txn.exec_prepared("rule_step_insert", rule_id,
                        std::string(kRuleStepNames.Name(static_cast<int>(step.step))), day,
                        step.document, actor);
    }
    if (next.completed != rule.state.completed) {
      txn.exec_prepared("rule_stage", rule_id,
                        std::string(kRuleStepNames.Name(static_cast<int>(*next.completed))),
                        FormatDay(*next.completed_on));
    }
    rule.state = next;
    rule.steps.clear();
    LoadSteps(txn, rule);
    return absl::OkStatus();
  }));
  return rule;
}

absl::StatusOr<Page<VillageRuleRecord>> VillageRuleStore::List(const std::string& region_prefix,
                                                               int64_t after, int page_size) {
  Page<VillageRuleRecord> page;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared("rule_list", region_prefix, after, page_size + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      page.items.push_back(RuleFromRow(rows[i]));
      page.next_after = rows[i][8].as<int64_t>();
    }
    if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<ExcellentRuleRecord> VillageRuleStore::Select(
    const std::string& rule_id, int year, absl::CivilDay on, const std::string& note,
    const std::string& actor, absl::CivilDay today,
    const std::function<absl::Status(const std::string&)>& check_scope) {
  ExcellentRuleRecord selected;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("rule_get", rule_id);
    if (r.empty()) return absl::NotFoundError("rule_id: no such village rule");
    VillageRuleRecord rule = RuleFromRow(r[0]);
    CIVIL_RETURN_IF_ERROR(check_scope(rule.village_code));
    CIVIL_RETURN_IF_ERROR(CheckSelection(rule.state, year, today));
    try {
      txn.exec_prepared("rule_select", rule_id, year, FormatDay(on), note, actor);
    } catch (const pqxx::unique_violation&) {
      return absl::AlreadyExistsError(
          absl::StrCat("year: the rule was selected for ", year, " already"));
    }
    selected = ExcellentRuleRecord{year, std::move(rule), on, note, actor};
    return absl::OkStatus();
  }));
  return selected;
}

absl::StatusOr<std::vector<ExcellentRuleRecord>> VillageRuleStore::Selections(
    int year, const std::string& region_prefix) {
  std::vector<ExcellentRuleRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) {
    for (const auto& row : txn.exec_prepared("rule_selections_of", year, region_prefix)) {
      out.push_back(ExcellentRuleRecord{row[0].as<int>(), RuleFromRow(row, 4), DayOf(row[1]),
                                        row[2].as<std::string>(), row[3].as<std::string>()});
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace civil::governance
