#include "services/governance/summary_service.h"

#include "services/common/errors.h"
#include "services/governance/summary.h"

namespace civil::governance {

constexpr absl::string_view kService = "civil.governance.v1.GovernanceSummaryService";

SummaryServiceImpl::SummaryServiceImpl(RecordStore* records, GridStore* grids,
                                       ConsultationStore* sites, BoundaryStore* boundaries,
                                       GrievanceStore* grievances)
    : records_(records),
      grids_(grids),
      sites_(sites),
      boundaries_(boundaries),
      grievances_(grievances) {}

grpc::Status SummaryServiceImpl::GetSummary(grpc::ServerContext* context,
                                            const v1::GetSummaryRequest* request,
                                            v1::GetSummaryResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetSummary"));
    CIVIL_ASSIGN_OR_RETURN(const Period period,
                           RequiredPeriod(request->period_start(), request->period_end()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (grievances_ != nullptr) {
      CIVIL_ASSIGN_OR_RETURN(*response->mutable_grievances(),
                             grievances_->Figures(prefix, period.start, period.end));
    }
    CIVIL_ASSIGN_OR_RETURN(const RecordFigures records,
                           records_->Figures(prefix, period.start, period.end));
    CIVIL_ASSIGN_OR_RETURN(const NoticeFigures notices, grids_->Figures(prefix, period.end));
    CIVIL_ASSIGN_OR_RETURN(const int sites, sites_->CountAsOf(prefix, period.end));
    response->set_consultation_sites(sites);
    CIVIL_ASSIGN_OR_RETURN(const BoundaryFigures boundary,
                           boundaries_->Figures(prefix, period.start, period.end));
    response->set_boundary_lines_inspected(boundary.lines_inspected);
    for (const std::string& n : boundary.neighbours_inspected) {
      response->add_neighbours_inspected(n);
    }
    response->set_tri_point_markers_with_boards(boundary.tri_points_with_boards);
    response->set_records_reviewed(records.reviewed_as_of);
    response->set_records_reviewed_in_period(records.reviewed_in_period);
    response->set_records_submitted(records.submitted_as_of);
    response->set_communities(notices.communities);
    response->set_communities_with_notices(notices.fully_published);
    response->add_lines(RecordsReviewedLine(records.reviewed_as_of));
    response->add_lines(NoticesLine(notices.communities, notices.fully_published, prefix));
    if (sites > 0) response->add_lines(ConsultationSitesLine(sites, prefix));
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
