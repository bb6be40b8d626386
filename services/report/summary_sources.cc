#include "services/report/summary_sources.h"

#include <future>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"
#include "services/common/tls.h"

namespace civil::report {
namespace {

namespace asv1 = civil::assistance::v1;
namespace afv1 = civil::affairs::v1;

// `PROGRAMME_DIBAO` → `dibao`.
std::string EnumWord(const std::string& name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(name, prefix));
}

template <typename Request>
Request SummaryRequest(const std::string& start, const std::string& end,
                       const std::string& region) {
  Request request;
  request.set_period_start(start);
  request.set_period_end(end);
  request.set_region_prefix(region);
  return request;
}

// Calls `stub`'s GetSummary and maps the answer with `to_part`.
template <typename Stub, typename Request, typename Response>
SummarySources::Ask Asker(std::shared_ptr<grpc::Channel> channel,
                          DepartmentPart (*to_part)(const Response&)) {
  std::shared_ptr<typename Stub::Stub> stub = Stub::NewStub(channel);
  return [stub, to_part](grpc::ClientContext& context, const std::string& start,
                         const std::string& end,
                         const std::string& region) -> absl::StatusOr<DepartmentPart> {
    const Request request = SummaryRequest<Request>(start, end, region);
    Response response;
    const grpc::Status status = stub->GetSummary(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return to_part(response);
  };
}

// The department's grievance counts, the same three measures for every department.
void AddGrievanceFigures(const civil::grievance::v1::GrievanceFigures& g, DepartmentPart* part) {
  part->figures.push_back(CountFigure("grievances.received", "件", g.received()));
  part->figures.push_back(
      CountFigure("grievances.resolved_within_deadline", "件", g.resolved_within_deadline()));
  part->figures.push_back(CountFigure("grievances.overdue", "件", g.overdue()));
}

std::string CodeName(absl::StatusCode code) {
  return absl::AsciiStrToUpper(absl::StatusCodeToString(code));
}

}  // namespace

DepartmentPart AssistancePart(const asv1::GetSummaryResponse& r) {
  DepartmentPart part{"assistance", true, "", {}, {r.lines().begin(), r.lines().end()}};
  for (const asv1::ProgrammeFigures& f : r.programmes()) {
    const std::string m =
        absl::StrCat(EnumWord(asv1::Programme_Name(f.programme()), "PROGRAMME_"), ".",
                     EnumWord(civil::common::v1::Area_Name(f.area()), "AREA_"));
    part.figures.push_back(CountFigure(m + ".households", "户", f.households()));
    part.figures.push_back(CountFigure(m + ".persons", "人", f.persons()));
    part.figures.push_back(CountFigure(m + ".paid", "fen", f.paid_fen()));
    part.figures.push_back(CountFigure(m + ".exit.households", "户", f.exit_households()));
    part.figures.push_back(CountFigure(m + ".exit.persons", "人", f.exit_persons()));
    for (const asv1::ExitFigures& e : f.exits_by_reason()) {
      const std::string reason = EnumWord(asv1::ExitReason_Name(e.reason()), "EXIT_REASON_");
      part.figures.push_back(
          CountFigure(absl::StrCat(m, ".exit.", reason, ".households"), "户", e.households()));
      part.figures.push_back(
          CountFigure(absl::StrCat(m, ".exit.", reason, ".persons"), "人", e.persons()));
    }
  }
  const asv1::ReliefFigures& rf = r.relief();
  part.figures.push_back(CountFigure("temporary_relief.cases", "人次", rf.relief_cases()));
  part.figures.push_back(CountFigure("temporary_relief.paid", "fen", rf.relief_paid_fen()));
  part.figures.push_back(
      CountFigure("mutual_aid.societies_registered", "家", rf.societies_registered()));
  part.figures.push_back(CountFigure("mutual_aid.cases", "人次", rf.mutual_aid_cases()));
  part.figures.push_back(CountFigure("mutual_aid.paid", "fen", rf.mutual_aid_paid_fen()));
  part.figures.push_back(CountFigure("outreach.persons_surveyed", "人", rf.persons_surveyed()));
  part.figures.push_back(CountFigure("outreach.demands_resolved", "次", rf.demands_resolved()));
  part.figures.push_back(CountFigure("health_checks.persons", "人", rf.health_check_persons()));
  int64_t findings = 0;
  for (const auto& k : rf.confirmed_findings()) findings += k.confirmed();
  part.figures.push_back(CountFigure("rectification.findings_confirmed", "个", findings));
  AddGrievanceFigures(r.grievances(), &part);
  return part;
}

DepartmentPart EldercarePart(const civil::eldercare::v1::GetSummaryResponse& r) {
  DepartmentPart part{"eldercare", true, "", {}, {r.lines().begin(), r.lines().end()}};
  part.figures.push_back(CountFigure("old_age_allowance.persons", "人", r.allowance_persons()));
  part.figures.push_back(CountFigure("old_age_allowance.paid", "fen", r.allowance_paid_fen()));
  part.figures.push_back(CountFigure("homecare_subsidy.persons", "人", r.homecare_persons()));
  part.figures.push_back(CountFigure("homecare_subsidy.paid", "fen", r.homecare_paid_fen()));
  // 二's targets count from these (report migration 0001's measures): facilities of the year
  // built by kind, adaptations accepted, placements open.
  struct FacilityMeasures {
    const char* planned;
    const char* built;
    const char* unit;
  };
  static const std::map<std::string, FacilityMeasures> kFacilityMeasures = {
      {"VILLAGE_STATION", {"facilities.stations_planned", "facilities.stations_built", "个"}},
      {"CANTEEN", {"facilities.canteens_planned", "facilities.canteens_built", "个"}},
      {"TOWNSHIP_INSTITUTION",
       {"institutions.township_planned", "institutions.township_built", "家"}},
      {"SMART_INSTITUTION", {"institutions.smart_planned", "institutions.smart_built", "家"}},
      {"FAMILY_CARE_BED", {"family_care_beds.planned", "family_care_beds.built", "张"}}};
  for (const auto& f : r.facilities()) {
    auto it = kFacilityMeasures.find(f.kind());
    if (it == kFacilityMeasures.end()) continue;
    part.figures.push_back(CountFigure(it->second.planned, it->second.unit, f.planned()));
    part.figures.push_back(CountFigure(it->second.built, it->second.unit, f.built()));
  }
  part.figures.push_back(CountFigure("home_adaptations.planned", "户", r.adaptations_planned()));
  part.figures.push_back(
      CountFigure("home_adaptations.plans_made", "户", r.adaptation_plans_made()));
  part.figures.push_back(CountFigure("home_adaptations.completed", "户", r.adaptations_accepted()));
  part.figures.push_back(
      CountFigure("institutional_care.low_income_elderly", "人", r.placements()));
  part.figures.push_back(CountFigure("visits.pilot_townships", "个", r.visit_pilot_townships()));
  part.figures.push_back(CountFigure("visits.made", "人次", r.visits()));
  part.figures.push_back(CountFigure("visits.persons", "人", r.persons_visited()));
  AddGrievanceFigures(r.grievances(), &part);
  return part;
}

DepartmentPart ChildWelfarePart(const civil::childwelfare::v1::GetSummaryResponse& r) {
  DepartmentPart part{"childwelfare", true, "", {}, {r.lines().begin(), r.lines().end()}};
  part.figures.push_back(CountFigure("orphan_allowance.persons", "人", r.orphan_persons()));
  part.figures.push_back(CountFigure("orphan_allowance.paid", "fen", r.orphan_paid_fen()));
  part.figures.push_back(CountFigure("de_facto_allowance.persons", "人", r.de_facto_persons()));
  part.figures.push_back(CountFigure("de_facto_allowance.paid", "fen", r.de_facto_paid_fen()));
  part.figures.push_back(CountFigure("university_stipends.persons", "人", r.stipend_persons()));
  part.figures.push_back(CountFigure("university_stipends.paid", "fen", r.stipend_paid_fen()));
  AddGrievanceFigures(r.grievances(), &part);
  return part;
}

DepartmentPart AffairsPart(const afv1::GetSummaryResponse& r) {
  AffairsFigures f;
  f.cremations = r.funeral().cremations();
  f.fees_waived_fen = r.funeral().fees_waived_fen();
  f.cemetery_planned = r.funeral().cemetery_projects_planned();
  f.cemetery_completed = r.funeral().cemetery_projects_completed();
  f.cemetery_awaiting_acceptance = r.funeral().cemetery_projects_awaiting_acceptance();
  for (const afv1::SubsidyFigures& s : r.subsidies()) {
    if (s.kind() == afv1::SUBSIDY_KIND_CARE) {
      f.care_persons = s.persons_paid();
      f.care_paid_fen = s.paid_fen();
    } else if (s.kind() == afv1::SUBSIDY_KIND_LIVING) {
      f.living_persons = s.persons_paid();
      f.living_paid_fen = s.paid_fen();
    }
  }
  for (const afv1::PilotFigures& p : r.pilots()) {
    if (p.kind() == afv1::PROJECT_KIND_CARE_SERVICE_PILOT) {
      f.care_pilots = p.projects();
      f.care_pilots_accepted = p.accepted();
    } else if (p.kind() == afv1::PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT) {
      f.rehab_pilots = p.projects();
      f.rehab_pilots_accepted = p.accepted();
    }
  }
  f.marriages = r.marriage().marriages_registered();
  f.divorce_applications = r.marriage().divorce_applications();
  f.divorces_completed = r.marriage().divorces_completed();
  f.archive_files = r.marriage().archive_files_digitised();
  f.archive_from = r.marriage().archive_covers_from();
  f.archive_to = r.marriage().archive_covers_to();
  f.relief_cases = r.relief().cases();
  f.relief_fen = r.relief().money_fen();
  DepartmentPart part{"affairs", true, "", AffairsFigureList(f), AffairsLines(f)};
  AddGrievanceFigures(r.grievances(), &part);
  return part;
}

DepartmentPart SocialorgPart(const civil::socialorg::v1::GetSummaryResponse& r) {
  DepartmentPart part{"socialorg", true, "", {}, {r.lines().begin(), r.lines().end()}};
  part.figures = {
      CountFigure("deregistered", "家", r.deregistered()),
      CountFigure("newly_registered", "家", r.newly_registered()),
      CountFigure("re_election_or_renewal_filings", "家", r.re_election_or_renewal_filings()),
      CountFigure("inspections.completed", "家", r.inspections_completed()),
      CountFigure("inspections.social_groups", "家", r.inspections_social_groups()),
      CountFigure("inspections.private_non_enterprise_units", "家",
                  r.inspections_private_non_enterprise_units()),
      CountFigure("inspections.foundations", "家", r.inspections_foundations()),
      CountFigure("organisations_registered", "家", r.organisations_registered()),
      CountFigure("party_organisations", "家", r.party_organisations()),
      CountFigure("trade_unions", "家", r.trade_unions()),
      CountFigure("youth_leagues", "家", r.youth_leagues()),
      CountFigure("womens_organisations", "家", r.womens_organisations()),
      CountFigure("stations.township_accepted", "家", r.township_stations_accepted()),
      CountFigure("stations.township_visited", "家", r.township_stations_visited()),
      CountFigure("incubation_centres_established", "个", r.incubation_centres_established()),
      CountFigure("industry_associations", "家", r.industry_associations()),
      CountFigure("credit_commitments_signed", "份", r.credit_commitments_signed())};
  AddGrievanceFigures(r.grievances(), &part);
  return part;
}

DepartmentPart GovernancePart(const civil::governance::v1::GetSummaryResponse& r) {
  DepartmentPart part{"governance", true, "", {}, {r.lines().begin(), r.lines().end()}};
  part.figures = {CountFigure("records_reviewed", "份", r.records_reviewed()),
                  CountFigure("records_reviewed_in_period", "份", r.records_reviewed_in_period()),
                  CountFigure("records_submitted", "份", r.records_submitted()),
                  CountFigure("communities", "个", r.communities()),
                  CountFigure("communities_with_all_notices", "个", r.communities_with_notices()),
                  CountFigure("consultation_sites", "个", r.consultation_sites())};
  AddGrievanceFigures(r.grievances(), &part);
  return part;
}

SummarySources::SummarySources(const std::map<std::string, std::string>& addresses,
                               std::chrono::milliseconds deadline, ServiceTokens* tokens)
    : deadline_(deadline), tokens_(tokens) {
  auto channel = [&](const char* name) {
    return grpc::CreateChannel(addresses.at(name), ServiceChannelCredentials());
  };
  asks_["assistance"] =
      Asker<asv1::SummaryService, asv1::GetSummaryRequest, asv1::GetSummaryResponse>(
          channel("assistance"), &AssistancePart);
  asks_["eldercare"] =
      Asker<civil::eldercare::v1::EldercareSummaryService, civil::eldercare::v1::GetSummaryRequest,
            civil::eldercare::v1::GetSummaryResponse>(channel("eldercare"), &EldercarePart);
  asks_["childwelfare"] = Asker<civil::childwelfare::v1::ChildWelfareSummaryService,
                                civil::childwelfare::v1::GetSummaryRequest,
                                civil::childwelfare::v1::GetSummaryResponse>(
      channel("childwelfare"), &ChildWelfarePart);
  asks_["affairs"] =
      Asker<afv1::AffairsSummaryService, afv1::GetSummaryRequest, afv1::GetSummaryResponse>(
          channel("affairs"), &AffairsPart);
  asks_["socialorg"] =
      Asker<civil::socialorg::v1::SocialorgSummaryService, civil::socialorg::v1::GetSummaryRequest,
            civil::socialorg::v1::GetSummaryResponse>(channel("socialorg"), &SocialorgPart);
  asks_["governance"] =
      Asker<civil::governance::v1::GovernanceSummaryService,
            civil::governance::v1::GetSummaryRequest, civil::governance::v1::GetSummaryResponse>(
          channel("governance"), &GovernancePart);
}

std::vector<DepartmentPart> SummarySources::Collect(const std::string& period_start,
                                                    const std::string& period_end,
                                                    const std::string& region_prefix) {
  const auto deadline = std::chrono::system_clock::now() + deadline_;
  std::vector<std::future<DepartmentPart>> pending;
  for (const char* name : kDepartments) {
    auto it = asks_.find(name);
    if (it == asks_.end()) {
      std::promise<DepartmentPart> none;
      none.set_value(DepartmentPart{name, false, "NOT_PROVIDED", {}, {}});
      pending.push_back(none.get_future());
      continue;
    }
    const Ask* ask = &it->second;
    pending.push_back(std::async(
        std::launch::async, [this, ask, name, deadline, period_start, period_end, region_prefix] {
          grpc::ClientContext context;
          context.set_deadline(deadline);
          if (absl::Status s = tokens_->Attach(context, name); !s.ok()) {
            return DepartmentPart{name, false, CodeName(s.code()), {}, {}};
          }
          absl::StatusOr<DepartmentPart> part =
              (*ask)(context, period_start, period_end, region_prefix);
          if (!part.ok())
            return DepartmentPart{name, false, CodeName(part.status().code()), {}, {}};
          return *std::move(part);
        }));
  }
  std::vector<DepartmentPart> parts;
  for (auto& p : pending) parts.push_back(p.get());
  return parts;
}

}  // namespace civil::report
