#include "services/exchange/inbound_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/values.h"

namespace civil::exchange {

constexpr absl::string_view kService = "civil.exchange.v1.InboundRecordService";

absl::Status CheckSender(const Caller& caller, Source source) {
  if (caller.HasRole(SourceRole(source)) || caller.HasRole("admin")) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("source: only the system holding the role ",
                                                  SourceRole(source), " may send as ",
                                                  SourceName(source)));
}

BatchHeader HeaderFor(const Caller& caller, RecordKind kind, Source source, std::string batch_id,
                      int records) {
  BatchHeader header;
  header.kind = kind;
  header.source = source;
  header.batch_id = std::move(batch_id);
  header.sent_by = caller.subject;
  header.sender_scope = caller.region_prefix;
  header.records = records;
  return header;
}

InboundMetrics::InboundMetrics(prometheus::Registry* registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("civil_exchange_records_total")
                     .Help("Records other departments' systems sent, by kind, source and outcome")
                     .Register(*registry);
  for (RecordKind kind : {RecordKind::kDeathNotice, RecordKind::kMoveOut,
                          RecordKind::kDisabilityCertificate, RecordKind::kMonitoringObject}) {
    for (Source source : {Source::kPublicSecurity, Source::kHealth, Source::kDisabledFederation,
                          Source::kRuralRevitalisation}) {
      for (absl::string_view outcome :
           {"ACCEPTED", "DUPLICATE", "CONFLICT", "REJECTED", "resent"}) {
        counters_[{kind, source, std::string(outcome)}] =
            &family.Add({{"kind", std::string(RecordKindName(kind))},
                         {"source", std::string(SourceName(source))},
                         {"outcome", std::string(outcome)}});
      }
    }
  }
}

void InboundMetrics::Count(RecordKind kind, Source source, const RecordResult& result) {
  const std::string outcome = result.resent ? "resent" : std::string(OutcomeName(result.outcome));
  auto it = counters_.find({kind, source, outcome});
  if (it != counters_.end()) it->second->Increment();
}

void ToProto(const RecordResult& r, v1::RecordResult* out) {
  out->set_index(r.index);
  out->set_source_record_id(r.source_record_id);
  out->set_outcome(static_cast<v1::Outcome>(r.outcome));
  out->set_record_id(r.record_id);
  out->set_resent(r.resent);
  out->set_field(r.field);
  out->set_code(r.code);
  out->set_message(r.message);
  if (r.known_date.has_value()) out->set_known_date(FormatDay(*r.known_date));
  out->set_id_number_masked(r.masked);
}

void ToProto(const Tally& t, v1::BatchTally* out) {
  out->set_accepted(t.accepted);
  out->set_duplicate(t.duplicate);
  out->set_conflict(t.conflict);
  out->set_rejected(t.rejected);
  out->set_resent(t.resent);
}

grpc::Status InboundRecordServiceImpl::ListInboundRecords(
    grpc::ServerContext* context, const v1::ListInboundRecordsRequest* request,
    v1::ListInboundRecordsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListInboundRecords"));
    RecordFilter filter;
    CIVIL_ASSIGN_OR_RETURN(filter.region_prefix, ScopedPrefix(caller, ""));
    // A sending system reads what it sent; reviewers and auditors read everything in scope.
    if (!caller.HasRole("exchange.reviewer") && !caller.HasRole("auditor") &&
        !caller.HasRole("admin")) {
      filter.sent_by = caller.subject;
    }
    CIVIL_ASSIGN_OR_RETURN(filter.batch_id,
                           BoundedText("batch_id", request->batch_id(), 64, /*required=*/false));
    if (request->source() != 0) {
      CIVIL_ASSIGN_OR_RETURN(filter.source, SourceFromNumber(request->source()));
    }
    if (request->outcome() < 0 || request->outcome() > 4) {
      return InvalidField("outcome", "unknown value");
    }
    if (request->outcome() != 0) filter.outcome = static_cast<Outcome>(request->outcome());
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("inbound-records", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(const std::vector<StoredRecord> records,
                           inbound_->List(filter, after, size, &next));
    for (const StoredRecord& s : records) {
      v1::InboundRecord* r = response->add_records();
      r->set_record_id(s.row.record_id);
      r->set_kind(static_cast<v1::RecordKind>(s.kind));
      r->set_source(static_cast<v1::Source>(s.source));
      r->set_batch_id(s.batch_id);
      r->set_source_record_id(s.row.source_record_id);
      r->set_sent_by(s.sent_by);
      *r->mutable_received_at() = TimestampOf(s.received_micros);
      r->set_outcome(static_cast<v1::Outcome>(s.row.outcome));
      r->set_resent_of(s.row.resent_of);
      if (s.row.id.has_value()) r->set_id_number_masked(s.row.id->masked);
      if (s.row.event_date.has_value()) r->set_event_date(FormatDay(*s.row.event_date));
      r->set_region_code(s.row.region_code);
      r->set_error_field(s.row.error_field);
      r->set_error(s.row.error);
      r->set_event_id(s.row.event_id);
    }
    if (next != 0) response->set_next_page_token(EncodePageToken("inbound-records", next));
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
