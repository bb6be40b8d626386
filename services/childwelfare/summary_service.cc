#include "services/childwelfare/summary_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/money.h"

namespace civil::childwelfare {

constexpr absl::string_view kService = "civil.childwelfare.v1.ChildWelfareSummaryService";

SummaryServiceImpl::SummaryServiceImpl(ChildStore* children, ReviewStore* reviews,
                                       LeftBehindStore* care, DistributionStore* distributions,
                                       Clock today, GrievanceStore* grievances)
    : children_(children),
      reviews_(reviews),
      care_(care),
      distributions_(distributions),
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
    CIVIL_ASSIGN_OR_RETURN(const ChildFigures figures, children_->Figures(prefix, start, end));
    int orphans = 0, de_facto = 0;
    int64_t orphan_fen = 0, de_facto_fen = 0;
    for (const auto& [category, f] : figures.by_category) {
      v1::CategoryFigures* out = response->add_by_category();
      out->set_category(static_cast<v1::Category>(category));
      out->set_persons(f.persons);
      out->set_paid_fen(f.paid_fen);
      if (IsOrphan(category)) {
        orphans += f.persons;
        orphan_fen += f.paid_fen;
      } else {
        de_facto += f.persons;
        de_facto_fen += f.paid_fen;
      }
    }
    response->set_orphan_persons(orphans);
    response->set_orphan_paid_fen(orphan_fen);
    response->set_de_facto_persons(de_facto);
    response->set_de_facto_paid_fen(de_facto_fen);
    // The seed's wording: "全县孤儿基本生活保障对象227人,发放补助金额148万元".
    response->add_lines(absl::StrCat("孤儿基本生活保障对象", orphans, "人,发放补助金额",
                                     ReportWanYuan(Money::Fen(orphan_fen))));
    response->add_lines(absl::StrCat("事实无人抚养儿童保障对象", de_facto, "人,发放补助金额",
                                     ReportWanYuan(Money::Fen(de_facto_fen))));
    response->set_stipend_persons(figures.stipend_persons);
    response->set_stipend_paid_fen(figures.stipend_fen);
    response->add_lines(
        StipendLine(figures.stipend_persons, figures.stipend_fen, figures.stipend_standard_fen));
    CIVIL_ASSIGN_OR_RETURN(const DistributionFigures given,
                           distributions_->Figures(prefix, start, end));
    response->set_health_packs(given.health_packs);
    response->set_other_goods(given.other_goods);
    response->set_condolence_children(given.condolence_children);
    response->set_condolence_paid_fen(given.condolence_fen);
    // The seed's wording: "发放“健康包”807份,对生活困难的17名儿童发放慰问金0.85万元".
    response->add_lines(DistributionLine(given));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<ReviewDueRecord> due, reviews_->Due(prefix, end));
    int overdue = 0;
    for (const ReviewDueRecord& d : due) overdue += d.overdue ? 1 : 0;
    response->set_reviews_due(static_cast<int>(due.size()) - overdue);
    response->set_reviews_overdue(overdue);
    CIVIL_ASSIGN_OR_RETURN(const ReviewFigures decided, reviews_->Decided(prefix, start, end));
    response->set_reviews_continued(decided.continued);
    response->set_reviews_stopped(decided.stopped);
    CIVIL_ASSIGN_OR_RETURN(const CareCounts care, care_->Counts(prefix, start, end));
    response->set_left_behind(care.left_behind);
    response->set_in_difficulty(care.in_difficulty);
    response->set_care_visited(care.visited);
    response->set_care_not_visited(care.not_visited);
    response->set_care_follow_ups(care.follow_ups);
    return absl::OkStatus();
  });
}

}  // namespace civil::childwelfare
