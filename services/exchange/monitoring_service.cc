#include "services/exchange/monitoring_service.h"

#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/values.h"

namespace civil::exchange {

constexpr absl::string_view kService = "civil.exchange.v1.MonitoringObjectService";

namespace {

void ToProto(const CandidateRecord& c, v1::MonitoringCandidate* out) {
  out->set_candidate_id(c.candidate_id);
  out->set_name(c.name);
  out->set_id_number_masked(c.masked);
  out->set_household_region_code(c.region_code);
  out->set_category(static_cast<v1::MonitoringCategory>(MonitoringCategoryNumber(c.category)));
  out->set_identified_on(FormatDay(c.identified_on));
  out->set_source_record_id(c.source_record_id);
  out->set_batch_id(c.batch_id);
  *out->mutable_received_at() = TimestampOf(c.received_micros);
  out->set_check_outcome(static_cast<v1::CheckOutcome>(CheckOutcomeNumber(c.check_outcome)));
  out->set_check_note(c.check_note);
  if (c.checked_on) out->set_checked_on(FormatDay(*c.checked_on));
  out->set_checked_by(c.checked_by);
}

}  // namespace

grpc::Status MonitoringServiceImpl::SubmitMonitoringObjects(
    grpc::ServerContext* context, const v1::SubmitMonitoringObjectsRequest* request,
    v1::SubmitMonitoringObjectsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SubmitMonitoringObjects"));
    CIVIL_RETURN_IF_ERROR(CheckSender(caller, Source::kRuralRevitalisation));
    CIVIL_ASSIGN_OR_RETURN(std::string batch_id,
                           ValidBatch(request->batch_id(), request->objects_size(), "objects"));
    BatchHeader header =
        HeaderFor(caller, RecordKind::kMonitoringObject, Source::kRuralRevitalisation,
                  std::move(batch_id), request->objects_size());
    CIVIL_RETURN_IF_ERROR(inbound_->OpenBatch(header));
    const absl::CivilDay today = clock_();
    Tally tally;
    for (int i = 0; i < request->objects_size(); ++i) {
      const v1::MonitoringObject& o = request->objects(i);
      absl::StatusOr<MonitoringObject> object =
          ValidMonitoringObject({o.source_record_id(), o.id_number(), o.name(),
                                 o.household_region_code(), o.category(), o.identified_on()},
                                today);
      absl::StatusOr<RecordResult> result;
      if (!object.ok()) {
        absl::StatusOr<IdNumber> id = IdNumber::Parse(o.id_number(), today);
        result = inbound_->Reject(header, i, o.source_record_id(), object.status(),
                                  id.ok() ? std::optional<IdNumber>(*id) : std::nullopt);
      } else if (absl::Status scope =
                     CheckRegion(caller, "household_region_code", object->region.value());
                 !scope.ok()) {
        result = inbound_->Reject(header, i, o.source_record_id(), scope, object->id,
                                  object->identified_on, object->region.value());
      } else {
        result = monitoring_->Receive(header, i, *object);
      }
      CIVIL_RETURN_IF_ERROR(result.status());
      tally.Add(*result);
      metrics_->Count(RecordKind::kMonitoringObject, Source::kRuralRevitalisation, *result);
      exchange::ToProto(*result, response->add_results());
    }
    exchange::ToProto(tally, response->mutable_tally());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::ListMonitoringCandidates(
    grpc::ServerContext* context, const v1::ListMonitoringCandidatesRequest* request,
    v1::ListMonitoringCandidatesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListMonitoringCandidates"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("monitoring-candidates", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(
        const std::vector<CandidateRecord> candidates,
        monitoring_->List(prefix, request->unchecked_only(), after, size, &next));
    for (const CandidateRecord& c : candidates) ToProto(c, response->add_candidates());
    if (next != 0) {
      response->set_next_page_token(EncodePageToken("monitoring-candidates", next));
    }
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::RecordMonitoringCheck(
    grpc::ServerContext* context, const v1::RecordMonitoringCheckRequest* request,
    v1::RecordMonitoringCheckResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordMonitoringCheck"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("candidate_id", request->candidate_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const MonitoringCheck check,
        ValidMonitoringCheck(request->outcome(), request->note(), request->checked_on(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(const CandidateRecord updated,
                           monitoring_->RecordCheck(request->candidate_id(), check, caller.subject,
                                                    RegionCheck(caller)));
    ToProto(updated, response->mutable_candidate());
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
