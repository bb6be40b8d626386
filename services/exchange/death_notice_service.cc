#include "services/exchange/death_notice_service.h"

#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/exchange/inbound_service.h"

namespace civil::exchange {

constexpr absl::string_view kService = "civil.exchange.v1.DeathNoticeService";

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
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("conflicts", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(const std::vector<StoredRecord> records,
                           inbound_->List(filter, after, size, &next));
    for (const StoredRecord& s : records) {
      v1::Conflict* c = response->add_conflicts();
      c->set_record_id(s.row.record_id);
      c->set_source(static_cast<v1::Source>(s.source));
      c->set_batch_id(s.batch_id);
      c->set_source_record_id(s.row.source_record_id);
      if (s.row.id.has_value()) c->set_id_number_masked(s.row.id->masked);
      c->set_region_code(s.row.region_code);
      if (s.row.event_date.has_value()) c->set_reported_date(FormatDay(*s.row.event_date));
      if (s.row.known_date.has_value()) c->set_known_date(FormatDay(*s.row.known_date));
      *c->mutable_received_at() = TimestampOf(s.received_micros);
    }
    if (next != 0) response->set_next_page_token(EncodePageToken("conflicts", next));
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
