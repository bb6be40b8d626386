#include "services/eldercare/summary_service.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/money.h"

namespace civil::eldercare {

constexpr absl::string_view kService = "civil.eldercare.v1.EldercareSummaryService";

SummaryServiceImpl::SummaryServiceImpl(AllowanceStore* allowances, HomeCareStore* homecare,
                                       FacilityStore* facilities, AdaptationStore* adaptations,
                                       VisitStore* visits, Clock today, GrievanceStore* grievances)
    : allowances_(allowances),
      homecare_(homecare),
      facilities_(facilities),
      adaptations_(adaptations),
      visits_(visits),
      today_(std::move(today)),
      grievances_(grievances) {}

grpc::Status SummaryServiceImpl::GetSummary(grpc::ServerContext* context,
                                            const v1::GetSummaryRequest* request,
                                            v1::GetSummaryResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetSummary"));
    CIVIL_ASSIGN_OR_RETURN(const Period period,
                           RequiredPeriod(request->period_start(), request->period_end()));
    const absl::CivilDay start = period.start;
    const absl::CivilDay end = period.end;
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (grievances_ != nullptr) {
      CIVIL_ASSIGN_OR_RETURN(*response->mutable_grievances(),
                             grievances_->Figures(prefix, start, end));
    }
    CIVIL_ASSIGN_OR_RETURN(const AllowanceFigures figures,
                           allowances_->Figures(prefix, start, end));
    response->set_allowance_persons(figures.persons);
    response->set_allowance_paid_fen(figures.paid_fen);
    for (const auto& [tier, f] : figures.by_tier) {
      v1::AllowanceTierFigures* out = response->add_allowance_by_tier();
      out->set_tier(tier);
      out->set_persons(f.persons);
      out->set_paid_fen(f.paid_fen);
    }
    // The seed's wording: "享有高龄津贴22007人,发放资金418万元".
    response->add_lines(absl::StrCat("享有高龄津贴", figures.persons, "人,发放资金",
                                     ReportWanYuan(Money::Fen(figures.paid_fen))));
    CIVIL_ASSIGN_OR_RETURN(const SubsidyFigures homecare, homecare_->Figures(prefix, start, end));
    response->set_homecare_persons(homecare.persons);
    response->set_homecare_paid_fen(homecare.paid_fen);
    std::map<std::string, std::pair<int, int64_t>> by_level;
    for (const auto& [level, n] : homecare.persons_by_level) by_level[level].first = n;
    for (const auto& [level, fen] : homecare.paid_by_level) by_level[level].second = fen;
    for (const auto& [level, f] : by_level) {
      v1::HomeCareLevelFigures* out = response->add_homecare_by_level();
      out->set_level(level);
      out->set_persons(f.first);
      out->set_paid_fen(f.second);
    }
    // The seed's wording: "居家养老服务补贴4463人,发放资金131万元".
    response->add_lines(absl::StrCat("居家养老服务补贴", homecare.persons, "人,发放资金",
                                     ReportWanYuan(Money::Fen(homecare.paid_fen))));
    const int year = end.year();
    CIVIL_ASSIGN_OR_RETURN(auto progress, facilities_->Progress(prefix, year, end));
    for (int k = 1; kFacilityKindNames.Valid(k); ++k) {
      const FacilityProgress p = progress[static_cast<FacilityKind>(k)];
      v1::FacilityFigures* out = response->add_facilities();
      out->set_kind(std::string(kFacilityKindNames.Name(k)));
      out->set_planned(p.planned);
      out->set_built(p.built);
    }
    const FacilityProgress stations = progress[FacilityKind::kVillageStation];
    const FacilityProgress canteens = progress[FacilityKind::kCanteen];
    // The seed's wording: "2023年全县确定建设村(居)级养老服务站22个、城乡老年食堂(助餐点)26个,
    // 目前养老服务站已建设完成12个,老年食堂(助餐点)已经建设完成21个".
    response->add_lines(absl::StrCat(year, "年全县确定建设村(居)级养老服务站", stations.planned,
                                     "个、城乡老年食堂(助餐点)", canteens.planned,
                                     "个,目前养老服务站已建设完成", stations.built,
                                     "个,老年食堂(助餐点)已经建设完成", canteens.built, "个"));
    CIVIL_ASSIGN_OR_RETURN(const AdaptationFigures adapt, adaptations_->Figures(prefix, year, end));
    response->set_adaptations_planned(adapt.planned_households);
    response->set_adaptation_plans_made(adapt.plans_made);
    response->set_adaptations_accepted(adapt.accepted);
    response->set_placements(adapt.placements);
    // The seed's wording: "确定老年人家庭适老化改造271户" and (二 plans)
    // "为全县24名低保老年人提供机构托养服务".
    response->add_lines(absl::StrCat("确定老年人家庭适老化改造", adapt.planned_households, "户"));
    response->add_lines(absl::StrCat("为全县", adapt.placements, "名低保老年人提供机构托养服务"));
    CIVIL_ASSIGN_OR_RETURN(const VisitFigures visits, visits_->Figures(prefix, start, end));
    std::vector<std::string> names;
    for (const PilotRecord& p : visits.pilots) {
      names.push_back(p.township_name.empty() ? p.township_code : p.township_name);
    }
    response->set_visit_pilot_townships(static_cast<int>(names.size()));
    for (const std::string& n : names) response->add_visit_pilot_names(n);
    response->set_visits(visits.visits);
    response->set_persons_visited(visits.persons_visited);
    response->add_lines(VisitPilotLine(names));
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
