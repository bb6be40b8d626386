#include "services/socialorg/lifecycle_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/log.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.LifecycleService";

void ToProto(const EventRecord& e, v1::LifecycleEvent* out) {
  out->set_event_id(e.event_id);
  out->set_organisation_id(e.organisation_id);
  out->set_kind(static_cast<v1::EventKind>(e.kind));
  out->set_status(static_cast<v1::EventStatus>(e.status));
  out->set_event_date(FormatDay(e.date));
  for (const std::string& d : e.documents) out->add_documents(d);
  if (e.kind == EventKind::kChange) {
    v1::Change* c = out->mutable_change();
    c->set_name(e.new_name);
    c->set_domicile(e.new_domicile);
    c->set_legal_representative_name(e.new_representative_name);
    c->set_legal_representative_id_masked(e.new_representative_masked);
    c->set_business_scope(e.new_business_scope);
  }
  if (e.term) {
    out->set_term_start(FormatDay(e.term->start));
    out->set_term_end(FormatDay(e.term->end));
  }
  if (e.certificate_valid_until) {
    out->set_certificate_valid_until(FormatDay(*e.certificate_valid_until));
  }
  out->set_liquidation(e.liquidation);
  if (e.liquidation_date) out->set_liquidation_date(FormatDay(*e.liquidation_date));
  out->set_recorded_by(e.recorded_by);
  out->set_decided_by(e.decided_by);
  if (e.decided_on) out->set_decision_date(FormatDay(*e.decided_on));
  out->set_reason(e.reason);
  *out->mutable_create_time() = TimestampOf(e.create_time_micros);
}

template <typename Request>
FilingInput FilingOf(const Request& request) {
  return FilingInput{request.event_date(), std::vector<std::string>(request.documents().begin(),
                                                                    request.documents().end())};
}

}  // namespace

LifecycleServiceImpl::LifecycleServiceImpl(OrganisationStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

absl::Status LifecycleServiceImpl::File(const Caller& caller, const std::string& organisation_id,
                                        const absl::StatusOr<EventDraft>& draft,
                                        v1::LifecycleEvent* out) {
  CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", organisation_id));
  if (!draft.ok()) return draft.status();
  CIVIL_ASSIGN_OR_RETURN(
      const EventRecord event,
      store_->File(organisation_id, *draft, caller.subject, RegionCheck(caller)));
  ToProto(event, out);
  return absl::OkStatus();
}

grpc::Status LifecycleServiceImpl::FileChange(grpc::ServerContext* context,
                                              const v1::FileChangeRequest* request,
                                              v1::FileChangeResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "FileChange"));
    const v1::Change& c = request->change();
    return File(caller, request->organisation_id(),
                ValidateChange(FilingOf(*request),
                               ChangeInput{c.name(), c.domicile(), c.legal_representative_name(),
                                           c.legal_representative_id_number(), c.business_scope()},
                               today_()),
                response->mutable_event());
  });
}

grpc::Status LifecycleServiceImpl::FileReElection(grpc::ServerContext* context,
                                                  const v1::FileReElectionRequest* request,
                                                  v1::FileReElectionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "FileReElection"));
    return File(caller, request->organisation_id(),
                ValidateReElection(FilingOf(*request), request->term_start(), request->term_end(),
                                   today_()),
                response->mutable_event());
  });
}

grpc::Status LifecycleServiceImpl::FileCertificateRenewal(
    grpc::ServerContext* context, const v1::FileCertificateRenewalRequest* request,
    v1::FileCertificateRenewalResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "FileCertificateRenewal"));
    return File(caller, request->organisation_id(),
                ValidateCertificateRenewal(FilingOf(*request), request->certificate_valid_until(),
                                           today_()),
                response->mutable_event());
  });
}

grpc::Status LifecycleServiceImpl::FileDeregistration(grpc::ServerContext* context,
                                                      const v1::FileDeregistrationRequest* request,
                                                      v1::FileDeregistrationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "FileDeregistration"));
    return File(caller, request->organisation_id(),
                ValidateDeregistration(FilingOf(*request), request->liquidation(),
                                       request->liquidation_date(), today_()),
                response->mutable_event());
  });
}

grpc::Status LifecycleServiceImpl::ApproveEvent(grpc::ServerContext* context,
                                                const v1::ApproveEventRequest* request,
                                                v1::ApproveEventResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ApproveEvent"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("event_id", request->event_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay decided,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const EventRecord event,
                           store_->Decide(request->event_id(), true, caller.subject, decided, "",
                                          RegionCheck(caller)));
    Log(LogLevel::kInfo, "social organisation event approved",
        {{"event_id", absl::string_view(event.event_id)},
         {"kind", kEventKindNames.Name(static_cast<int>(event.kind))}});
    ToProto(event, response->mutable_event());
    return absl::OkStatus();
  });
}

grpc::Status LifecycleServiceImpl::RejectEvent(grpc::ServerContext* context,
                                               const v1::RejectEventRequest* request,
                                               v1::RejectEventResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RejectEvent"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("event_id", request->event_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay decided,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const std::string reason,
        RequiredText("reason", request->reason(), 500, "a rejection needs a written reason"));
    CIVIL_ASSIGN_OR_RETURN(const EventRecord event,
                           store_->Decide(request->event_id(), false, caller.subject, decided,
                                          reason, RegionCheck(caller)));
    ToProto(event, response->mutable_event());
    return absl::OkStatus();
  });
}

grpc::Status LifecycleServiceImpl::ListEvents(grpc::ServerContext* context,
                                              const v1::ListEventsRequest* request,
                                              v1::ListEventsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListEvents"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EventRecord> events,
                           store_->Events(request->organisation_id(), RegionCheck(caller)));
    for (const EventRecord& e : events) ToProto(e, response->add_events());
    return absl::OkStatus();
  });
}

grpc::Status LifecycleServiceImpl::ListEventHistory(grpc::ServerContext* context,
                                                    const v1::ListEventHistoryRequest* request,
                                                    v1::ListEventHistoryResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListEventHistory"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("event_id", request->event_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EventHistoryStep> steps,
                           store_->EventHistory(request->event_id(), RegionCheck(caller)));
    for (const EventHistoryStep& h : steps) {
      v1::LifecycleEventStep* out = response->add_history();
      out->set_action(h.action);
      out->set_actor(h.actor);
      if (h.on) out->set_happened_on(FormatDay(*h.on));
      out->set_note(h.note);
      out->set_grievance_id(h.grievance_id);
    }
    return absl::OkStatus();
  });
}

grpc::Status LifecycleServiceImpl::ListOverdueReElections(
    grpc::ServerContext* context, const v1::ListOverdueReElectionsRequest* request,
    v1::ListOverdueReElectionsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListOverdueReElections"));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> as_of,
                           OptionalDate("as_of", request->as_of()));
    const absl::CivilDay day = as_of.value_or(today_());
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<OrgRecord> overdue,
                           store_->OverdueReElections(prefix, day));
    for (const OrgRecord& o : overdue) {
      v1::OverdueReElection* out = response->add_overdue();
      out->set_organisation_id(o.organisation_id);
      out->set_name(o.name);
      out->set_region_code(o.region_code);
      out->set_term_end(FormatDay(o.state.term->end));
      out->set_days_overdue(ReElectionDaysOverdue(o.state.term, day));
    }
    return absl::OkStatus();
  });
}

grpc::Status LifecycleServiceImpl::CountEvents(grpc::ServerContext* context,
                                               const v1::CountEventsRequest* request,
                                               v1::CountEventsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CountEvents"));
    CIVIL_ASSIGN_OR_RETURN(const Period period,
                           RequiredPeriod(request->period_start(), request->period_end()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EventCountRow> counts,
                           store_->CountEvents(prefix, period.start, period.end));
    for (const EventCountRow& c : counts) {
      v1::EventCount* out = response->add_counts();
      out->set_event_kind(static_cast<v1::EventKind>(c.event_kind));
      out->set_organisation_kind(static_cast<v1::OrganisationKind>(c.organisation_kind));
      out->set_events(c.events);
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg
