#include "services/affairs/summary_service.h"

#include <algorithm>

#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::affairs {

SummaryServiceImpl::SummaryServiceImpl(SummaryStore* store, Clock today, GrievanceStore* grievances)
    : store_(store), today_(std::move(today)), grievances_(grievances) {}

grpc::Status SummaryServiceImpl::GetSummary(grpc::ServerContext* context,
                                            const v1::GetSummaryRequest* request,
                                            v1::GetSummaryResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(
        const Caller caller,
        AuthorizeCall(*context, "civil.affairs.v1.AffairsSummaryService", "GetSummary"));
    const absl::CivilDay today = today_();
    if (request->period_start().empty()) return InvalidField("period_start", "is required");
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay start,
                           EventDate("period_start", request->period_start(), today));
    absl::CivilDay end = today;
    if (!request->period_end().empty()) {
      absl::StatusOr<absl::CivilDay> parsed = ParseDay(request->period_end());
      if (!parsed.ok()) return InvalidField("period_end", parsed.status().message());
      end = *parsed;
    }
    if (end < start) return InvalidField("period_end", "must not be before period_start");
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (grievances_ != nullptr) {
      CIVIL_ASSIGN_OR_RETURN(*response->mutable_grievances(),
                             grievances_->Figures(prefix, start, end));
    }
    const absl::CivilDay as_of = std::min(end, today);
    CIVIL_ASSIGN_OR_RETURN(const Summary s, store_->Compute(start, end, as_of, prefix));

    response->set_period_start(FormatDay(start));
    response->set_period_end(FormatDay(end));
    response->set_region_prefix(prefix);
    response->set_as_of(FormatDay(as_of));
    v1::FuneralFigures* funeral = response->mutable_funeral();
    funeral->set_cremations(s.cremations);
    funeral->set_fees_waived_fen(s.fees_waived_fen);
    funeral->set_cemetery_projects_planned(s.cemetery_planned);
    funeral->set_cemetery_projects_completed(s.cemetery_completed);
    funeral->set_cemetery_projects_accepted(s.cemetery_accepted);
    funeral->set_cemetery_projects_awaiting_acceptance(s.cemetery_completed - s.cemetery_accepted);
    funeral->set_vehicle_cases(s.vehicle_cases);
    for (const SubsidyFigures& f : s.subsidies) {
      v1::SubsidyFigures* out = response->add_subsidies();
      out->set_kind(static_cast<v1::SubsidyKind>(f.kind));
      out->set_persons_paid(f.persons_paid);
      out->set_persons_active(f.persons_active);
      out->set_paid_fen(f.paid_fen);
    }
    for (const PilotFigures& p : s.pilots) {
      v1::PilotFigures* out = response->add_pilots();
      out->set_kind(static_cast<v1::ProjectKind>(p.kind));
      out->set_projects(p.projects);
      out->set_completed(p.completed);
      out->set_accepted(p.accepted);
    }
    v1::MarriageFigures* marriage = response->mutable_marriage();
    marriage->set_marriages_registered(s.marriages);
    marriage->set_divorce_applications(s.divorce_applications);
    marriage->set_divorces_completed(s.divorces_completed);
    marriage->set_divorces_withdrawn_by_party(s.divorces_withdrawn_by_party);
    marriage->set_divorces_withdrawn_by_law(s.divorces_withdrawn_by_law);
    marriage->set_archive_files_digitised(s.archive_files_digitised);
    marriage->set_archive_covers_from(s.archive_covers_from);
    marriage->set_archive_covers_to(s.archive_covers_to);
    v1::ReliefFigures* relief = response->mutable_relief();
    relief->set_cases(s.relief_cases);
    relief->set_money_fen(s.relief_money_fen);
    relief->set_campaigns(s.campaigns);
    relief->set_campaign_persons_reached(s.campaign_persons);
    return absl::OkStatus();
  });
}

}  // namespace civil::affairs
