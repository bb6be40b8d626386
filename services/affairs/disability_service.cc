#include "services/affairs/disability_service.h"

#include "absl/strings/str_cat.h"
#include "services/affairs/project_proto.h"
#include "services/common/errors.h"
#include "services/common/id_views.h"
#include "services/common/log.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::affairs {
namespace {

constexpr absl::string_view kService = "civil.affairs.v1.DisabilityService";
const std::vector<ProjectKind> kPilots = {ProjectKind::kCareServicePilot,
                                          ProjectKind::kMentalHealthRehabPilot};

bool IsPilotKind(int kind) {
  return kind == v1::PROJECT_KIND_CARE_SERVICE_PILOT ||
         kind == v1::PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT;
}

void ToProto(const SubsidyRecord& s, v1::Subsidy* out) {
  out->set_subsidy_id(s.subsidy_id);
  out->set_person_id(s.person_id);
  out->set_kind(static_cast<v1::SubsidyKind>(s.kind));
  out->set_status(static_cast<v1::SubsidyStatus>(s.status));
  out->set_application_date(FormatDay(s.applied_on));
  out->set_start_month(FormatMonth(s.start_month));
  if (s.end_month) out->set_end_month(FormatMonth(*s.end_month));
  out->set_dibao_enrolment_id(s.dibao_enrolment_id);
  out->set_dibao_since(s.dibao_since);
  out->set_reason(s.reason);
  out->set_region_code(s.region_code);
  *out->mutable_update_time() = TimestampOf(s.update_time_micros);
}

void ToProto(const PersonRecord& p, v1::DisabledPerson* out) {
  out->set_person_id(p.person_id);
  out->set_name(p.name);
  out->set_id_number_masked(p.id_masked);
  out->set_birth_date(FormatDay(p.birth_date));
  out->set_sex(p.sex);
  out->set_region_code(p.region_code);
  out->set_category(static_cast<v1::DisabilityCategory>(p.category));
  out->set_grade(p.grade);
  out->set_certified_date(FormatDay(p.certified_on));
  if (p.certificate_revoked_on) {
    out->set_certificate_revoked_on(FormatDay(*p.certificate_revoked_on));
  }
  out->set_long_term_care(p.long_term_care);
  *out->mutable_create_time() = TimestampOf(p.create_time_micros);
}

void ToProto(const StandardRecord& r, v1::SubsidyStandard* out) {
  out->set_standard_id(r.standard_id);
  out->set_kind(static_cast<v1::SubsidyKind>(r.standard.kind));
  out->set_grade(r.standard.grade);
  out->set_region_prefix(r.standard.region_prefix.value());
  out->set_effective_month(FormatMonth(r.standard.effective_month));
  out->set_monthly_fen(r.standard.monthly_fen);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

std::string NotEnrolledReason(absl::CivilDay as_of) {
  return absl::StrCat(
      "the living subsidy (困难残疾人生活补贴) is for members of a 低保 household; assistance "
      "reports no active 低保 enrolment on ",
      FormatDay(as_of));
}

std::string UnansweredReason(const absl::Status& status) {
  return absl::StrCat("waiting for assistance to confirm 低保 enrolment (",
                      absl::StatusCodeToString(status.code()), ")");
}

}  // namespace

DisabilityServiceImpl::DisabilityServiceImpl(DisabilityStore* store, ProjectStore* projects,
                                             EnrolmentClient* enrolments,
                                             SubsidyBankFileStore* bank_files, Clock today)
    : store_(store),
      projects_(projects),
      enrolments_(enrolments),
      bank_files_(bank_files),
      today_(std::move(today)) {}

grpc::Status DisabilityServiceImpl::RegisterDisabledPerson(
    grpc::ServerContext* context, const v1::RegisterDisabledPersonRequest* request,
    v1::RegisterDisabledPersonResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterDisabledPerson"));
    CIVIL_ASSIGN_OR_RETURN(
        const DisabledPersonDraft draft,
        ValidateDisabledPerson(
            DisabledPersonInput{request->name(), request->id_number(), request->region_code(),
                                request->category(), request->grade(), request->certified_date(),
                                request->long_term_care()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const PersonRecord record,
                           store_->RegisterPerson(draft, caller.subject));
    ToProto(record, response->mutable_person());
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::GetDisabledPerson(grpc::ServerContext* context,
                                                      const v1::GetDisabledPersonRequest* request,
                                                      v1::GetDisabledPersonResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetDisabledPerson"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("person_id", request->person_id()));
    CIVIL_ASSIGN_OR_RETURN(const auto person, store_->GetPerson(request->person_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", person.first.region_code));
    ToProto(person.first, response->mutable_person());
    for (const SubsidyRecord& s : person.second) {
      ToProto(s, response->mutable_person()->add_subsidies());
    }
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::ApplySubsidy(grpc::ServerContext* context,
                                                 const v1::ApplySubsidyRequest* request,
                                                 v1::ApplySubsidyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ApplySubsidy"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("person_id", request->person_id()));
    if (!kSubsidyKindNames.Valid(request->kind())) return InvalidField("kind", "must be given");
    const auto kind = static_cast<SubsidyKind>(request->kind());
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date,
                           EventDate("application_date", request->application_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const auto person, store_->PersonForSubsidy(request->person_id()));
    const auto& [record, id, death] = person;
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    if (death) {
      return absl::FailedPreconditionError(absl::StrCat(
          "person_id: the platform records the person's death on ", FormatDay(*death)));
    }
    CIVIL_RETURN_IF_ERROR(CheckCertificateValid(record.certificate_revoked_on));
    if (date < record.certified_on) {
      return absl::FailedPreconditionError(
          absl::StrCat("application_date: must not be before the certificate date ",
                       FormatDay(record.certified_on)));
    }
    NewSubsidy subsidy{request->person_id(), kind, SubsidyStatus::kActive, date, "", "", ""};
    if (kind == SubsidyKind::kCare) {
      CIVIL_RETURN_IF_ERROR(CheckCareEligibility(record.grade, record.long_term_care));
    } else {
      // Asked outside any transaction: a slow assistance never holds a database connection.
      absl::StatusOr<std::vector<EnrolmentFact>> facts = enrolments_->CheckDibao(id, date);
      if (!facts.ok()) {
        Log(LogLevel::kWarn, "enrolment check unanswered; subsidy waits",
            {{"code", absl::StatusCodeToString(facts.status().code())}});
        subsidy.status = SubsidyStatus::kPendingEligibility;
        subsidy.reason = UnansweredReason(facts.status());
      } else {
        const LivingEligibility eligibility = DecideLiving(*facts);
        if (!eligibility.eligible) {
          return absl::FailedPreconditionError(absl::StrCat("kind: ", NotEnrolledReason(date)));
        }
        subsidy.dibao_enrolment_id = eligibility.enrolment_id;
        if (eligibility.since) subsidy.dibao_since = FormatMonth(*eligibility.since);
      }
    }
    CIVIL_ASSIGN_OR_RETURN(const SubsidyRecord created,
                           store_->AddSubsidy(subsidy, caller.subject));
    ToProto(created, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::GetSubsidy(grpc::ServerContext* context,
                                               const v1::GetSubsidyRequest* request,
                                               v1::GetSubsidyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetSubsidy"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("subsidy_id", request->subsidy_id()));
    CIVIL_ASSIGN_OR_RETURN(const SubsidyRecord record, store_->GetSubsidy(request->subsidy_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::ListSubsidies(grpc::ServerContext* context,
                                                  const v1::ListSubsidiesRequest* request,
                                                  v1::ListSubsidiesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListSubsidies"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<SubsidyKind> kind;
    if (request->kind() != v1::SUBSIDY_KIND_UNSPECIFIED) {
      if (!kSubsidyKindNames.Valid(request->kind())) return InvalidField("kind", "is not defined");
      kind = static_cast<SubsidyKind>(request->kind());
    }
    std::optional<SubsidyStatus> status;
    if (request->status() != v1::SUBSIDY_STATUS_UNSPECIFIED) {
      if (!kSubsidyStatusNames.Valid(request->status())) {
        return InvalidField("status", "is not defined");
      }
      status = static_cast<SubsidyStatus>(request->status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("subsidies", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page,
                           store_->ListSubsidies(prefix, kind, status, after, size));
    for (const SubsidyRecord& s : page.items) ToProto(s, response->add_subsidies());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("subsidies", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::RecheckSubsidyEligibility(
    grpc::ServerContext* context, const v1::RecheckSubsidyEligibilityRequest* request,
    v1::RecheckSubsidyEligibilityResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecheckSubsidyEligibility"));
    if (!request->subsidy_id().empty()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("subsidy_id", request->subsidy_id()));
      CIVIL_ASSIGN_OR_RETURN(const SubsidyRecord s, store_->GetSubsidy(request->subsidy_id()));
      CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", s.region_code));
      if (s.status != SubsidyStatus::kPendingEligibility) {
        return absl::FailedPreconditionError(
            absl::StrCat("subsidy_id: the subsidy is ",
                         kSubsidyStatusNames.Name(static_cast<int>(s.status)), ", not pending"));
      }
    }
    if (request->limit() < 0 || request->limit() > 5000) {
      return InvalidField("limit", "must be from 0 (default 500) to 5000");
    }
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix, ScopedPrefix(caller, std::string()));
    CIVIL_ASSIGN_OR_RETURN(
        const std::vector<SubsidySubject> pending,
        store_->PendingSubsidies(prefix, request->subsidy_id(),
                                 request->limit() == 0 ? 500 : request->limit()));
    for (const SubsidySubject& subject : pending) {
      const SubsidyRecord& s = subject.subsidy;
      absl::StatusOr<std::vector<EnrolmentFact>> facts =
          enrolments_->CheckDibao(subject.id, s.applied_on);
      if (!facts.ok()) {
        CIVIL_RETURN_IF_ERROR(
            store_->NoteRecheck(s.subsidy_id, UnansweredReason(facts.status()), caller.subject));
        response->set_still_pending(response->still_pending() + 1);
        ToProto(s, response->add_subsidies());
        continue;
      }
      const LivingEligibility eligibility = DecideLiving(*facts);
      absl::StatusOr<SubsidyRecord> resolved = store_->ResolvePending(
          s.subsidy_id, eligibility, eligibility.eligible ? "" : NotEnrolledReason(s.applied_on),
          caller.subject);
      if (resolved.status().code() == absl::StatusCode::kFailedPrecondition) continue;  // raced
      if (!resolved.ok()) return resolved.status();
      if (eligibility.eligible) {
        response->set_activated(response->activated() + 1);
      } else {
        response->set_rejected(response->rejected() + 1);
      }
      ToProto(*resolved, response->add_subsidies());
    }
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::ReviewLivingSubsidies(
    grpc::ServerContext* context, const v1::ReviewLivingSubsidiesRequest* request,
    v1::ReviewLivingSubsidiesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ReviewLivingSubsidies"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           EventDate("as_of", request->as_of(), today_()));
    if (request->limit() < 0 || request->limit() > 10000) {
      return InvalidField("limit", "must be from 0 (default 1000) to 10000");
    }
    CIVIL_ASSIGN_OR_RETURN(
        const std::vector<SubsidySubject> active,
        store_->ActiveLivingSubsidies(prefix, request->limit() == 0 ? 1000 : request->limit()));
    for (const SubsidySubject& subject : active) {
      response->set_checked(response->checked() + 1);
      absl::StatusOr<std::vector<EnrolmentFact>> facts = enrolments_->CheckDibao(subject.id, as_of);
      if (!facts.ok()) {
        response->set_unanswered(response->unanswered() + 1);
        continue;
      }
      const LivingEligibility eligibility = DecideLiving(*facts);
      if (eligibility.eligible) continue;
      const absl::CivilMonth end = LivingStopMonth(eligibility, as_of, subject.subsidy.start_month);
      const std::string reason = absl::StrCat(
          "left 低保",
          eligibility.last_month
              ? absl::StrCat(" (last month covered ", FormatMonth(*eligibility.last_month), ")")
              : absl::StrCat(" (not enrolled on ", FormatDay(as_of), ")"));
      absl::StatusOr<SubsidyRecord> stopped = store_->Stop(
          subject.subsidy.subsidy_id, end, as_of, reason, caller.subject, RegionCheck(caller));
      if (stopped.status().code() == absl::StatusCode::kFailedPrecondition) continue;  // raced
      if (!stopped.ok()) return stopped.status();
      response->set_stopped(response->stopped() + 1);
      ToProto(*stopped, response->add_stopped_subsidies());
    }
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::StopSubsidy(grpc::ServerContext* context,
                                                const v1::StopSubsidyRequest* request,
                                                v1::StopSubsidyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "StopSubsidy"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("subsidy_id", request->subsidy_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string reason, BoundedText("reason", request->reason(), 200));
    CIVIL_ASSIGN_OR_RETURN(const SubsidyRecord record,
                           store_->Stop(request->subsidy_id(), absl::CivilMonth(date) + 1, date,
                                        reason, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::SetSubsidyStandard(grpc::ServerContext* context,
                                                       const v1::SetSubsidyStandardRequest* request,
                                                       v1::SetSubsidyStandardResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SetSubsidyStandard"));
    CIVIL_ASSIGN_OR_RETURN(
        const StandardDraft draft,
        ValidateStandard(request->kind(), request->grade(), request->region_prefix(),
                         request->effective_month(), request->monthly_fen()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_prefix", draft.region_prefix.value()));
    CIVIL_ASSIGN_OR_RETURN(const StandardRecord record, store_->AddStandard(draft, caller.subject));
    ToProto(record, response->mutable_standard());
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::ListSubsidyStandards(
    grpc::ServerContext* context, const v1::ListSubsidyStandardsRequest* request,
    v1::ListSubsidyStandardsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListSubsidyStandards"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t skip,
                           DecodeOffsetToken("standards", request->page_token()));
    // A configuration table of a few rows per region: read whole, paged by position.
    CIVIL_ASSIGN_OR_RETURN(const auto standards, store_->ListStandards(prefix));
    for (size_t i = skip; i < standards.size() && i < static_cast<size_t>(skip + size); ++i) {
      ToProto(standards[i], response->add_standards());
    }
    if (static_cast<size_t>(skip + size) < standards.size()) {
      response->set_next_page_token(EncodePageToken("standards", skip + size + 1));
    }
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::RunSubsidyPayments(grpc::ServerContext* context,
                                                       const v1::RunSubsidyPaymentsRequest* request,
                                                       v1::RunSubsidyPaymentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RunSubsidyPayments"));
    if (!kSubsidyKindNames.Valid(request->kind())) return InvalidField("kind", "must be given");
    if (request->month().empty()) return InvalidField("month", "is required");
    absl::StatusOr<absl::CivilMonth> month = ParseMonth(request->month());
    if (!month.ok()) return InvalidField("month", month.status().message());
    if (*month > absl::CivilMonth(today_())) {
      return InvalidField("month", "must not be after the current month");
    }
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const PaymentRunResult result,
                           store_->RunPayments(static_cast<SubsidyKind>(request->kind()), *month,
                                               prefix, caller.subject));
    response->set_run_id(result.run_id);
    response->set_due(result.due);
    response->set_paid(result.paid);
    response->set_already_paid(result.already_paid);
    response->set_paid_fen(result.paid_fen);
    response->set_adjustments_settled(result.adjustments_settled);
    response->set_adjustments_fen(result.adjustments_fen);
    Log(LogLevel::kInfo, "subsidy payment run",
        {{"kind", kSubsidyKindNames.Name(request->kind())},
         {"due", int64_t{result.due}},
         {"paid", int64_t{result.paid}},
         {"paid_fen", result.paid_fen},
         {"adjustments_settled", int64_t{result.adjustments_settled}}});
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::ExportSubsidyBankFile(
    grpc::ServerContext* context, const v1::ExportSubsidyBankFileRequest* request,
    v1::ExportSubsidyBankFileResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ExportSubsidyBankFile"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("run_id", request->run_id()));
    if (!request->region_prefix().empty()) {
      CIVIL_RETURN_IF_ERROR(NonEmptyPrefix("region_prefix", request->region_prefix()).status());
    }
    CIVIL_ASSIGN_OR_RETURN(const bool full, RevealFullIds(caller, "affairs", "reveal_reason",
                                                          request->reveal_reason()));
    const FullView view{&caller, "ExportSubsidyBankFile", request->reveal_reason()};
    CIVIL_ASSIGN_OR_RETURN(
        ExportedBankFile file,
        bank_files_->Export(caller.subject, full ? &view : nullptr, request->run_id(),
                            request->region_prefix(), [&](const std::string& prefix) {
                              return CheckRegion(caller, "region_prefix", prefix);
                            }));
    response->set_run_id(file.id);
    SetBankFileResponse(std::move(file), response);
    return absl::OkStatus();
  });
}

grpc::Status DisabilityServiceImpl::CreatePilotProject(grpc::ServerContext* context,
                                                       const v1::CreatePilotProjectRequest* request,
                                                       v1::CreatePilotProjectResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreatePilotProject"));
    if (!IsPilotKind(request->kind())) {
      return InvalidField("kind", "must be a disability service pilot kind");
    }
    return CreateProject(caller, *projects_,
                         {static_cast<ProjectKind>(request->kind()), request->name(),
                          request->region_code(), request->target_year(), request->due_date()},
                         today_(), response->mutable_project());
  });
}

grpc::Status DisabilityServiceImpl::RecordPilotMilestone(
    grpc::ServerContext* context, const v1::RecordPilotMilestoneRequest* request,
    v1::RecordPilotMilestoneResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordPilotMilestone"));
    return RecordProjectMilestone(caller, *projects_, kPilots, request->project_id(),
                                  request->milestone(), request->date(), today_(),
                                  response->mutable_project());
  });
}

grpc::Status DisabilityServiceImpl::ListPilotProjects(grpc::ServerContext* context,
                                                      const v1::ListPilotProjectsRequest* request,
                                                      v1::ListPilotProjectsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListPilotProjects"));
    ProjectQuery query{.kinds = kPilots,
                       .region_prefix = request->region_prefix(),
                       .status = request->status(),
                       .as_of = request->as_of(),
                       .page_size = request->page_size(),
                       .page_token = request->page_token()};
    if (request->kind() != v1::PROJECT_KIND_UNSPECIFIED) {
      if (!IsPilotKind(request->kind())) {
        return InvalidField("kind", "must be a disability service pilot kind");
      }
      query.kinds = {static_cast<ProjectKind>(request->kind())};
    }
    return ListProjects(caller, *projects_, query, "pilot-projects", today_(),
                        response->mutable_projects(), response->mutable_next_page_token());
  });
}

grpc::Status SubsidyCheckServiceImpl::CheckSubsidies(grpc::ServerContext* context,
                                                     const v1::CheckSubsidiesRequest* request,
                                                     v1::CheckSubsidiesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(
        const Caller caller,
        AuthorizeCall(*context, "civil.affairs.v1.SubsidyCheckService", "CheckSubsidies"));
    (void)caller;
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const IdNumber id,
                           RequiredIdNumber("id_number", request->id_number(), today));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of, EventDate("as_of", request->as_of(), today));
    const absl::CivilMonth month(as_of);
    CIVIL_ASSIGN_OR_RETURN(const std::vector<SubsidyRecord> subsidies,
                           store_->SubsidiesOf(pii_->BlindIndex(id.value())));
    response->set_id_number_masked(id.Masked());
    for (const SubsidyRecord& s : subsidies) {
      v1::SubsidyFact* f = response->add_subsidies();
      f->set_subsidy_id(s.subsidy_id);
      f->set_kind(static_cast<v1::SubsidyKind>(s.kind));
      f->set_status(static_cast<v1::SubsidyStatus>(s.status));
      f->set_start_month(FormatMonth(s.start_month));
      // end_month is stored as the first month not paid.
      if (s.end_month) f->set_end_month(FormatMonth(*s.end_month - 1));
      const bool open = s.status == SubsidyStatus::kActive ||
                        s.status == SubsidyStatus::kPendingEligibility ||
                        s.status == SubsidyStatus::kStopped;
      f->set_active(open && s.start_month <= month && (!s.end_month || month < *s.end_month));
      f->set_region_code(s.region_code);
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::affairs
