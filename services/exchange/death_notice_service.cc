#include "services/exchange/death_notice_service.h"

#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/paging.h"
#include "services/common/values.h"
#include "services/exchange/inbound_service.h"

namespace civil::exchange {

namespace {

constexpr absl::string_view kService = "civil.exchange.v1.DeathNoticeService";

void ToConflict(const StoredRecord& s, const Settlement* settled, v1::Conflict* c) {
  c->set_record_id(s.row.record_id);
  c->set_source(static_cast<v1::Source>(s.source));
  c->set_batch_id(s.batch_id);
  c->set_source_record_id(s.row.source_record_id);
  if (s.row.id.has_value()) c->set_id_number_masked(s.row.id->masked);
  c->set_region_code(s.row.region_code);
  if (s.row.event_date.has_value()) c->set_reported_date(FormatDay(*s.row.event_date));
  if (s.row.known_date.has_value()) c->set_known_date(FormatDay(*s.row.known_date));
  *c->mutable_received_at() = TimestampOf(s.received_micros);
  if (settled != nullptr) {
    c->set_decision(static_cast<v1::ConflictDecision>(settled->decision));
    c->set_settlement_reason(settled->reason);
    c->set_settled_by(settled->settled_by);
    c->set_settled_on(FormatDay(settled->settled_on));
    c->set_event_id(settled->event_id);
  }
}

}  // namespace

grpc::Status DeathNoticeServiceImpl::SubmitDeathNotices(
    grpc::ServerContext* context, const v1::SubmitDeathNoticesRequest* request,
    v1::SubmitDeathNoticesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SubmitDeathNotices"));
    CIVIL_ASSIGN_OR_RETURN(const Source source, SourceFromNumber(request->source()));
    if (source != Source::kPublicSecurity && source != Source::kHealth) {
      return InvalidField("source", "death notices come from PUBLIC_SECURITY or HEALTH");
    }
    CIVIL_RETURN_IF_ERROR(CheckSender(caller, source));
    CIVIL_ASSIGN_OR_RETURN(std::string batch_id,
                           ValidBatch(request->batch_id(), request->notices_size(), "notices"));
    BatchHeader header = HeaderFor(caller, RecordKind::kDeathNotice, source, std::move(batch_id),
                                   request->notices_size());
    CIVIL_RETURN_IF_ERROR(inbound_->OpenBatch(header));
    const absl::CivilDay today = clock_();
    Tally tally;
    for (int i = 0; i < request->notices_size(); ++i) {
      const v1::DeathNotice& n = request->notices(i);
      absl::StatusOr<DeathNotice> notice = ValidDeathNotice(
          {n.source_record_id(), n.id_number(), n.date_of_death(), n.region_code()}, today);
      absl::StatusOr<RecordResult> result;
      if (!notice.ok()) {
        absl::StatusOr<IdNumber> id = IdNumber::Parse(n.id_number(), today);
        result = inbound_->Reject(header, i, n.source_record_id(), notice.status(),
                                  id.ok() ? std::optional<IdNumber>(*id) : std::nullopt);
      } else if (absl::Status scope = CheckRegion(caller, "region_code", notice->region.value());
                 !scope.ok()) {
        result = inbound_->Reject(header, i, n.source_record_id(), scope, notice->id, notice->died,
                                  notice->region.value());
      } else {
        result = notices_->Receive(header, i, *notice);
      }
      CIVIL_RETURN_IF_ERROR(result.status());
      tally.Add(*result);
      metrics_->Count(RecordKind::kDeathNotice, source, *result);
      ToProto(*result, response->add_results());
    }
    ToProto(tally, response->mutable_tally());
    return absl::OkStatus();
  });
}

grpc::Status DeathNoticeServiceImpl::ListConflicts(grpc::ServerContext* context,
                                                   const v1::ListConflictsRequest* request,
                                                   v1::ListConflictsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListConflicts"));
    RecordFilter filter;
    CIVIL_ASSIGN_OR_RETURN(filter.region_prefix, ScopedPrefix(caller, request->region_prefix()));
    filter.conflicts_only = true;
    filter.unsettled_only = request->open_only();
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("conflicts", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(const std::vector<StoredRecord> records,
                           inbound_->List(filter, after, size, &next));
    std::vector<std::string> ids;
    for (const StoredRecord& s : records) ids.push_back(s.row.record_id);
    CIVIL_ASSIGN_OR_RETURN(const auto settlements, notices_->SettlementsOf(ids));
    for (const StoredRecord& s : records) {
      const auto settled = settlements.find(s.row.record_id);
      ToConflict(s, settled == settlements.end() ? nullptr : &settled->second,
                 response->add_conflicts());
    }
    if (next != 0) response->set_next_page_token(EncodePageToken("conflicts", next));
    return absl::OkStatus();
  });
}

grpc::Status DeathNoticeServiceImpl::SettleConflict(grpc::ServerContext* context,
                                                    const v1::SettleConflictRequest* request,
                                                    v1::SettleConflictResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SettleConflict"));
    if (!IsUuid(request->record_id())) return absl::NotFoundError("record_id: no such conflict");
    if (request->decision() != v1::CONFLICT_DECISION_KNOWN_DATE_STANDS &&
        request->decision() != v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT) {
      return InvalidField("decision", "must be KNOWN_DATE_STANDS or REPORTED_DATE_CORRECT");
    }
    CIVIL_ASSIGN_OR_RETURN(const std::string reason, BoundedText("reason", request->reason(), 500));
    CIVIL_ASSIGN_OR_RETURN(
        const SettledConflict settled,
        notices_->Settle(caller, request->record_id(),
                         static_cast<ConflictDecision>(request->decision()), reason, clock_()));
    ToConflict(settled.record, &settled.settlement, response->mutable_conflict());
    response->set_published(settled.published);
    Log(LogLevel::kInfo, "death conflict settled",
        {{"record_id", absl::string_view(request->record_id())},
         {"decision", ConflictDecisionName(settled.settlement.decision)},
         {"published", settled.published}});
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
