#include "services/affairs/marriage_service.h"

#include "services/common/errors.h"
#include "services/common/status.h"

namespace civil::affairs {
namespace {

constexpr absl::string_view kService = "civil.affairs.v1.MarriageService";

void ToProto(const PartyRecord& p, absl::CivilDay registered_on, v1::Party* out) {
  out->set_name(p.name);
  out->set_id_number_masked(p.id_masked);
  out->set_birth_date(FormatDay(p.birth_date));
  out->set_sex(p.sex);
  out->set_age_at_registration(AgeOn(p.birth_date, registered_on));
}

v1::MarriageStatus StatusOf(const std::string& status) {
  if (status == "DIVORCED") return v1::MARRIAGE_STATUS_DIVORCED;
  if (status == "ENDED_BY_DEATH") return v1::MARRIAGE_STATUS_ENDED_BY_DEATH;
  return v1::MARRIAGE_STATUS_MARRIED;
}

void ToProto(const MarriageRecord& m, v1::Marriage* out) {
  out->set_marriage_id(m.marriage_id);
  out->set_region_code(m.region_code);
  out->set_registration_date(FormatDay(m.registered_on));
  out->set_certificate_number(m.certificate_number);
  for (const PartyRecord& p : m.parties) ToProto(p, m.registered_on, out->add_parties());
  out->set_status(StatusOf(m.status));
  if (m.ended_on) out->set_end_date(FormatDay(*m.ended_on));
  *out->mutable_create_time() = TimestampOf(m.create_time_micros);
}

// The application as it stands on `as_of`: events dated later have not happened yet.
void ToProto(const DivorceRecord& d, absl::CivilDay as_of, v1::DivorceApplication* out) {
  const DivorceTimeline t = TimelineOf(d.facts);
  const DivorceState state = DivorceStateOn(d.facts, as_of);
  out->set_application_id(d.application_id);
  out->set_marriage_id(d.marriage_id);
  out->set_region_code(d.region_code);
  out->set_application_date(FormatDay(d.facts.applied));
  out->set_state(static_cast<v1::DivorceState>(state));
  out->set_cooling_off_end_date(FormatDay(t.cooling_off_end));
  out->set_window_start_date(FormatDay(t.window_start));
  out->set_window_end_date(FormatDay(t.window_end));
  if (state == DivorceState::kWithdrawn) {
    out->set_withdrawn_date(FormatDay(*d.facts.withdrawn));
    out->set_withdrawn_by(static_cast<v1::PartySide>(d.withdrawn_by));
  }
  if (state == DivorceState::kCompleted) {
    out->set_completed_date(FormatDay(*d.facts.completed));
    out->set_certificate_number(d.certificate_number);
  }
  if (state == DivorceState::kWithdrawnByLaw) out->set_lapsed_date(FormatDay(t.lapsed));
  for (const PartyRecord& p : d.parties) {
    v1::Party* party = out->add_parties();
    party->set_name(p.name);
    party->set_id_number_masked(p.id_masked);
    party->set_birth_date(FormatDay(p.birth_date));
    party->set_sex(p.sex);
  }
  out->set_as_of(FormatDay(as_of));
  *out->mutable_create_time() = TimestampOf(d.create_time_micros);
}

void ToProto(const ArchiveBatchRecord& b, absl::CivilDay as_of, v1::ArchiveBatch* out) {
  out->set_batch_id(b.batch_id);
  out->set_region_code(b.region_code);
  out->set_covers_from(FormatMonth(b.covers_from));
  out->set_covers_to(FormatMonth(b.covers_to));
  out->set_files_total(b.totals.total);
  out->set_received_date(FormatDay(b.received_on));
  out->set_files_scanned(b.totals.scanned);
  out->set_files_verified(b.totals.verified);
  out->set_files_transferred(b.totals.transferred);
  if (b.done_on) out->set_done_date(FormatDay(*b.done_on));
  out->set_as_of(FormatDay(as_of));
  *out->mutable_create_time() = TimestampOf(b.create_time_micros);
}

absl::StatusOr<IdNumber> ParseId(absl::string_view field, absl::string_view text,
                                 absl::CivilDay today) {
  if (text.empty()) return InvalidField(field, "is required");
  absl::StatusOr<IdNumber> id = IdNumber::Parse(text, today);
  if (!id.ok()) return InvalidField(field, id.status().message());
  return id;
}

}  // namespace

MarriageServiceImpl::MarriageServiceImpl(MarriageStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status MarriageServiceImpl::RegisterMarriage(grpc::ServerContext* context,
                                                   const v1::RegisterMarriageRequest* request,
                                                   v1::RegisterMarriageResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterMarriage"));
    CIVIL_ASSIGN_OR_RETURN(
        const MarriageDraft draft,
        ValidateMarriage({request->party_a().name(), request->party_a().id_number()},
                         {request->party_b().name(), request->party_b().id_number()},
                         request->registration_date(), request->certificate_number(),
                         request->region_code(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const MarriageRecord record, store_->Register(draft, caller.subject));
    ToProto(record, response->mutable_marriage());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::GetMarriage(grpc::ServerContext* context,
                                              const v1::GetMarriageRequest* request,
                                              v1::GetMarriageResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetMarriage"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("marriage_id", request->marriage_id()));
    CIVIL_ASSIGN_OR_RETURN(const MarriageRecord record,
                           store_->GetMarriage(request->marriage_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_marriage());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::ApplyDivorce(grpc::ServerContext* context,
                                               const v1::ApplyDivorceRequest* request,
                                               v1::ApplyDivorceResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ApplyDivorce"));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const IdNumber a,
                           ParseId("party_a_id_number", request->party_a_id_number(), today));
    CIVIL_ASSIGN_OR_RETURN(const IdNumber b,
                           ParseId("party_b_id_number", request->party_b_id_number(), today));
    if (a == b) return InvalidField("party_b_id_number", "is the same person as party_a");
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date,
                           EventDate("application_date", request->application_date(), today));
    CIVIL_ASSIGN_OR_RETURN(const RegionCode region,
                           NonEmptyPrefix("region_code", request->region_code()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", region.value()));
    CIVIL_ASSIGN_OR_RETURN(const DivorceRecord record,
                           store_->ApplyDivorce(a, b, date, region, caller.subject));
    ToProto(record, today, response->mutable_application());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::GetDivorceApplication(
    grpc::ServerContext* context, const v1::GetDivorceApplicationRequest* request,
    v1::GetDivorceApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetDivorceApplication"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("application_id", request->application_id()));
    CIVIL_ASSIGN_OR_RETURN(const auto as_of, OptionalDate("as_of", request->as_of()));
    CIVIL_ASSIGN_OR_RETURN(const DivorceRecord record,
                           store_->GetDivorce(request->application_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, as_of.value_or(today_()), response->mutable_application());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::ListDivorceApplications(
    grpc::ServerContext* context, const v1::ListDivorceApplicationsRequest* request,
    v1::ListDivorceApplicationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListDivorceApplications"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<DivorceState> state;
    if (request->state() != v1::DIVORCE_STATE_UNSPECIFIED) {
      if (!v1::DivorceState_IsValid(request->state())) {
        return InvalidField("state", "must be a defined state");
      }
      state = static_cast<DivorceState>(request->state());
    }
    CIVIL_ASSIGN_OR_RETURN(const auto as_of_opt, OptionalDate("as_of", request->as_of()));
    const absl::CivilDay as_of = as_of_opt.value_or(today_());
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("divorce-applications", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page,
                           store_->ListDivorces(prefix, state, as_of, after, size));
    for (const DivorceRecord& d : page.items) ToProto(d, as_of, response->add_applications());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("divorce-applications", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::WithdrawDivorce(grpc::ServerContext* context,
                                                  const v1::WithdrawDivorceRequest* request,
                                                  v1::WithdrawDivorceResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "WithdrawDivorce"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("application_id", request->application_id()));
    if (request->party() != v1::PARTY_SIDE_A && request->party() != v1::PARTY_SIDE_B) {
      return InvalidField("party", "must be PARTY_SIDE_A or PARTY_SIDE_B");
    }
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date, EventDate("date", request->date(), today));
    CIVIL_ASSIGN_OR_RETURN(
        const DivorceRecord record,
        store_->WithdrawDivorce(request->application_id(), static_cast<int>(request->party()), date,
                                caller.subject, RegionCheck(caller)));
    ToProto(record, today, response->mutable_application());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::CompleteDivorce(grpc::ServerContext* context,
                                                  const v1::CompleteDivorceRequest* request,
                                                  v1::CompleteDivorceResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CompleteDivorce"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("application_id", request->application_id()));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date, EventDate("date", request->date(), today));
    CIVIL_ASSIGN_OR_RETURN(
        const std::string certificate,
        ValidateCertificateNumber("certificate_number", request->certificate_number()));
    CIVIL_ASSIGN_OR_RETURN(const DivorceRecord record,
                           store_->CompleteDivorce(request->application_id(), date, certificate,
                                                   caller.subject, RegionCheck(caller)));
    ToProto(record, today, response->mutable_application());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::CreateArchiveBatch(grpc::ServerContext* context,
                                                     const v1::CreateArchiveBatchRequest* request,
                                                     v1::CreateArchiveBatchResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateArchiveBatch"));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(
        const ArchiveBatchDraft draft,
        ValidateArchiveBatch(request->region_code(), request->covers_from(), request->covers_to(),
                             request->files_total(), request->received_date(), today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const ArchiveBatchRecord record,
                           store_->CreateArchiveBatch(draft, caller.subject));
    ToProto(record, today, response->mutable_batch());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::RecordArchiveProgress(
    grpc::ServerContext* context, const v1::RecordArchiveProgressRequest* request,
    v1::RecordArchiveProgressResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordArchiveProgress"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("batch_id", request->batch_id()));
    if (!kArchiveStageNames.Valid(request->stage())) return InvalidField("stage", "must be given");
    if (request->files() < 1 || request->files() > kMaxArchiveFiles) {
      return InvalidField("files", "must be from 1 to 10000000");
    }
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date, EventDate("date", request->date(), today));
    CIVIL_ASSIGN_OR_RETURN(const ArchiveBatchRecord record,
                           store_->RecordArchiveProgress(
                               request->batch_id(), static_cast<ArchiveStage>(request->stage()),
                               request->files(), date, caller.subject, RegionCheck(caller)));
    ToProto(record, today, response->mutable_batch());
    return absl::OkStatus();
  });
}

grpc::Status MarriageServiceImpl::ListArchiveBatches(grpc::ServerContext* context,
                                                     const v1::ListArchiveBatchesRequest* request,
                                                     v1::ListArchiveBatchesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListArchiveBatches"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const auto as_of_opt, OptionalDate("as_of", request->as_of()));
    const absl::CivilDay as_of = as_of_opt.value_or(today_());
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("archive-batches", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page, store_->ListArchiveBatches(prefix, as_of, after, size));
    for (const ArchiveBatchRecord& b : page.items) ToProto(b, as_of, response->add_batches());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("archive-batches", page.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::affairs
