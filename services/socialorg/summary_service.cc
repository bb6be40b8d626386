#include "services/socialorg/summary_service.h"

#include "services/common/errors.h"
#include "services/socialorg/summary.h"

namespace civil::socialorg {

constexpr absl::string_view kService = "civil.socialorg.v1.SocialorgSummaryService";

SummaryServiceImpl::SummaryServiceImpl(OrganisationStore* organisations,
                                       SupervisionStore* supervision, PartyBuildingStore* party,
                                       StationStore* stations, IncubationStore* incubation,
                                       CreditCommitmentStore* credit, GrievanceStore* grievances)
    : organisations_(organisations),
      supervision_(supervision),
      party_(party),
      stations_(stations),
      incubation_(incubation),
      credit_(credit),
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
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EventCountRow> events,
                           organisations_->CountEvents(prefix, period.start, period.end));
    CIVIL_ASSIGN_OR_RETURN(const int filings, organisations_->ReElectionOrRenewalFilings(
                                                  prefix, period.start, period.end));
    CIVIL_ASSIGN_OR_RETURN(const InspectionCounts inspections,
                           supervision_->CompletedIn(prefix, period.start, period.end));
    CIVIL_ASSIGN_OR_RETURN(const PartyCounts party, party_->CountAsOf(prefix, period.end));
    CIVIL_ASSIGN_OR_RETURN(const StationCounts stations, stations_->CountAsOf(prefix, period.end));
    CIVIL_ASSIGN_OR_RETURN(const int visited,
                           stations_->TownshipsVisitedIn(prefix, period.start, period.end));
    CIVIL_ASSIGN_OR_RETURN(std::vector<std::string> centres,
                           incubation_->EstablishedIn(prefix, period.start, period.end));
    CIVIL_ASSIGN_OR_RETURN(const CommitmentCounts commitments,
                           credit_->CountIn(prefix, period.start, period.end));

    SummaryFigures f;
    int re_elections = 0, renewals = 0;
    for (const EventCountRow& e : events) {
      switch (e.event_kind) {
        case EventKind::kEstablishment:
          f.newly_registered += e.organisations;
          break;
        case EventKind::kDeregistration:
          f.deregistered += e.organisations;
          break;
        case EventKind::kReElection:
          re_elections += e.events;
          break;
        case EventKind::kCertificateRenewal:
          renewals += e.events;
          break;
        case EventKind::kChange:
          break;
      }
    }
    f.re_election_or_renewal_filings = filings;
    f.inspections = inspections.total;
    auto by_kind = [&](OrgKind kind) {
      auto it = inspections.by_kind.find(kind);
      return it == inspections.by_kind.end() ? 0 : it->second;
    };
    f.inspections_social_groups = by_kind(OrgKind::kSocialGroup);
    f.inspections_private_non_enterprise_units = by_kind(OrgKind::kPrivateNonEnterpriseUnit);
    f.inspections_foundations = by_kind(OrgKind::kFoundation);
    f.party_organisations = party.party_organisations;
    f.trade_unions = party.trade_unions;
    f.youth_leagues = party.youth_leagues;
    f.womens_organisations = party.womens_organisations;
    f.county_station_accepted = stations.county_accepted > 0;
    f.township_stations_accepted = stations.townships_accepted;
    f.township_stations_visited = visited;
    f.incubation_centres = std::move(centres);

    response->set_deregistered(f.deregistered);
    response->set_newly_registered(f.newly_registered);
    response->set_re_election_or_renewal_filings(f.re_election_or_renewal_filings);
    response->set_re_elections(re_elections);
    response->set_certificate_renewals(renewals);
    response->set_inspections_completed(f.inspections);
    response->set_inspections_social_groups(f.inspections_social_groups);
    response->set_inspections_private_non_enterprise_units(
        f.inspections_private_non_enterprise_units);
    response->set_inspections_foundations(f.inspections_foundations);
    response->set_organisations_registered(party.organisations);
    response->set_party_organisations(f.party_organisations);
    response->set_trade_unions(f.trade_unions);
    response->set_youth_leagues(f.youth_leagues);
    response->set_womens_organisations(f.womens_organisations);
    response->set_county_station_accepted(f.county_station_accepted);
    response->set_township_stations_accepted(f.township_stations_accepted);
    response->set_township_stations_visited(f.township_stations_visited);
    response->set_station_tasks(stations.tasks);
    response->set_station_tasks_completed(stations.tasks_completed);
    response->set_incubation_centres_established(static_cast<int32_t>(f.incubation_centres.size()));
    response->set_industry_associations(commitments.industry_associations);
    response->set_credit_commitments_signed(commitments.signed_in_period);
    for (const std::string& line : SummaryLines(f)) response->add_lines(line);
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg
