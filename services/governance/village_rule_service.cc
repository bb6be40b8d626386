#include "services/governance/village_rule_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.VillageRuleService";

void ToProto(const RuleStepRecord& s, v1::RuleStepRecord* out) {
  out->set_step(static_cast<v1::RuleStep>(s.step));
  out->set_step_date(FormatDay(s.on));
  out->set_document(s.document);
  if (s.vote) {
    v1::VoteCounts* v = out->mutable_vote();
    v->set_members_total(s.vote->members_total);
    v->set_members_present(s.vote->members_present);
    v->set_votes_for(s.vote->votes_for);
    v->set_votes_against(s.vote->votes_against);
    v->set_votes_abstain(s.vote->votes_abstain);
    out->set_passed(s.passed);
  }
  out->set_recorded_by(s.actor);
}

void ToProto(const VillageRuleRecord& r, v1::VillageRule* out) {
  out->set_rule_id(r.rule_id);
  out->set_village_code(r.village_code);
  out->set_kind(static_cast<v1::RuleKind>(r.kind));
  out->set_title(r.title);
  const int done = r.state.completed ? static_cast<int>(*r.state.completed) : 0;
  out->set_completed_step(static_cast<v1::RuleStep>(done));
  if (r.state.completed_on) out->set_completed_date(FormatDay(*r.state.completed_on));
  if (done < static_cast<int>(RuleStep::kFileAndPublish)) {
    out->set_next_step(static_cast<v1::RuleStep>(done + 1));
  }
  for (const RuleStepRecord& s : r.steps) ToProto(s, out->add_steps());
  out->set_created_by(r.created_by);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

void ToProto(const ExcellentRuleRecord& e, v1::ExcellentRule* out) {
  out->set_year(e.year);
  ToProto(e.rule, out->mutable_rule());
  out->set_selected_date(FormatDay(e.selected_on));
  out->set_note(e.note);
  out->set_selected_by(e.actor);
}

}  // namespace

VillageRuleServiceImpl::VillageRuleServiceImpl(VillageRuleStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status VillageRuleServiceImpl::StartVillageRule(grpc::ServerContext* context,
                                                      const v1::StartVillageRuleRequest* request,
                                                      v1::StartVillageRuleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "StartVillageRule"));
    CIVIL_ASSIGN_OR_RETURN(
        const RuleDraft draft,
        ValidateRule(request->village_code(), static_cast<int>(request->kind()), request->title()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const VillageRuleRecord rule, store_->Start(draft, caller.subject));
    ToProto(rule, response->mutable_rule());
    return absl::OkStatus();
  });
}

grpc::Status VillageRuleServiceImpl::RecordRuleStep(grpc::ServerContext* context,
                                                    const v1::RecordRuleStepRequest* request,
                                                    v1::RecordRuleStepResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordRuleStep"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("rule_id", request->rule_id()));
    std::optional<VoteCounts> vote;
    if (request->has_vote()) {
      const v1::VoteCounts& v = request->vote();
      vote = VoteCounts{v.members_total(), v.members_present(), v.votes_for(), v.votes_against(),
                        v.votes_abstain()};
    }
    CIVIL_ASSIGN_OR_RETURN(const StepDraft step,
                           ValidateStep(static_cast<int>(request->step()), request->step_date(),
                                        request->document(), vote, today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const VillageRuleRecord rule,
        store_->RecordStep(request->rule_id(), step, caller.subject, RegionCheck(caller)));
    ToProto(rule, response->mutable_rule());
    if (!rule.steps.empty()) ToProto(rule.steps.back(), response->mutable_recorded());
    return absl::OkStatus();
  });
}

grpc::Status VillageRuleServiceImpl::GetVillageRule(grpc::ServerContext* context,
                                                    const v1::GetVillageRuleRequest* request,
                                                    v1::GetVillageRuleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetVillageRule"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("rule_id", request->rule_id()));
    CIVIL_ASSIGN_OR_RETURN(const VillageRuleRecord rule, store_->Get(request->rule_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "rule_id", rule.village_code));
    ToProto(rule, response->mutable_rule());
    return absl::OkStatus();
  });
}

grpc::Status VillageRuleServiceImpl::ListVillageRules(grpc::ServerContext* context,
                                                      const v1::ListVillageRulesRequest* request,
                                                      v1::ListVillageRulesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListVillageRules"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("village-rules", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<VillageRuleRecord> page, store_->List(prefix, after, size));
    for (const VillageRuleRecord& r : page.items) ToProto(r, response->add_rules());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("village-rules", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status VillageRuleServiceImpl::SelectExcellentRule(
    grpc::ServerContext* context, const v1::SelectExcellentRuleRequest* request,
    v1::SelectExcellentRuleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SelectExcellentRule"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("rule_id", request->rule_id()));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("selected_date", request->selected_date(), today));
    CIVIL_ASSIGN_OR_RETURN(const std::string note,
                           BoundedText("note", request->note(), 200, /*required=*/false));
    CIVIL_ASSIGN_OR_RETURN(const ExcellentRuleRecord selected,
                           store_->Select(request->rule_id(), request->year(), on, note,
                                          caller.subject, today, RegionCheck(caller)));
    ToProto(selected, response->mutable_selection());
    return absl::OkStatus();
  });
}

grpc::Status VillageRuleServiceImpl::ListExcellentRules(
    grpc::ServerContext* context, const v1::ListExcellentRulesRequest* request,
    v1::ListExcellentRulesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListExcellentRules"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (request->year() < 2000) return InvalidField("year", "is required (2000 or later)");
    CIVIL_ASSIGN_OR_RETURN(const std::vector<ExcellentRuleRecord> selections,
                           store_->Selections(request->year(), prefix));
    for (const ExcellentRuleRecord& e : selections) ToProto(e, response->add_selections());
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
