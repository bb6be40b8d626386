#include "services/socialorg/supervision_service.h"

#include <utility>
#include <vector>

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.SupervisionService";

void ToProto(const ReportRecord& r, v1::AnnualReport* out) {
  out->set_year(r.report.year);
  out->set_submitted_date(FormatDay(r.report.submitted_on));
  out->set_due_date(FormatDay(ReportDue(r.report.year)));
  out->set_late(r.report.late);
  out->set_recorded_by(r.recorded_by);
}

void ToProto(const InspectionRecord& r, v1::Inspection* out) {
  const InspectionDraft& i = r.inspection;
  out->set_organisation_id(r.organisation_id);
  out->set_year(i.year);
  out->set_completed_date(FormatDay(i.completed_on));
  out->set_due_date(FormatDay(InspectionDue(i.year)));
  out->set_late(i.late);
  out->set_result(static_cast<v1::InspectionResult>(i.result));
  for (const Finding& f : i.findings) {
    v1::Finding* finding = out->add_findings();
    finding->set_area(static_cast<v1::FindingArea>(f.area));
    finding->set_note(f.note);
  }
  out->set_officials_flagged(i.officials_flagged);
  out->set_recorded_by(r.recorded_by);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

}  // namespace

SupervisionServiceImpl::SupervisionServiceImpl(SupervisionStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status SupervisionServiceImpl::RecordAnnualReport(
    grpc::ServerContext* context, const v1::RecordAnnualReportRequest* request,
    v1::RecordAnnualReportResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordAnnualReport"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const ReportDraft draft,
        ValidateAnnualReport(request->year(), request->submitted_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const ReportRecord record,
                           store_->RecordReport(request->organisation_id(), draft, caller.subject,
                                                RegionCheck(caller)));
    ToProto(record, response->mutable_report());
    return absl::OkStatus();
  });
}

grpc::Status SupervisionServiceImpl::RecordInspection(grpc::ServerContext* context,
                                                      const v1::RecordInspectionRequest* request,
                                                      v1::RecordInspectionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordInspection"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    std::vector<FindingInput> findings;
    for (const v1::Finding& f : request->findings()) findings.push_back({f.area(), f.note()});
    CIVIL_ASSIGN_OR_RETURN(const InspectionDraft draft,
                           ValidateInspection(request->year(), request->completed_date(),
                                              request->result(), findings, today_()));
    CIVIL_ASSIGN_OR_RETURN(const InspectionRecord record,
                           store_->RecordInspection(request->organisation_id(), draft,
                                                    caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_inspection());
    return absl::OkStatus();
  });
}

grpc::Status SupervisionServiceImpl::GetSupervision(grpc::ServerContext* context,
                                                    const v1::GetSupervisionRequest* request,
                                                    v1::GetSupervisionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetSupervision"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const auto records,
                           store_->Of(request->organisation_id(), RegionCheck(caller)));
    for (const ReportRecord& r : records.first) ToProto(r, response->add_reports());
    for (const InspectionRecord& i : records.second) ToProto(i, response->add_inspections());
    return absl::OkStatus();
  });
}

grpc::Status SupervisionServiceImpl::ListDormant(grpc::ServerContext* context,
                                                 const v1::ListDormantRequest* request,
                                                 v1::ListDormantResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListDormant"));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> as_of,
                           OptionalDate("as_of", request->as_of()));
    const absl::CivilDay day = as_of.value_or(today_());
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<InspectionHistory> histories,
                           store_->Histories(prefix, day));
    for (const InspectionHistory& h : histories) {
      const std::optional<std::vector<int>> missing =
          DormantYears(h.established_on, h.inspected, day);
      if (!missing) continue;
      v1::DormantOrganisation* out = response->add_organisations();
      out->set_organisation_id(h.organisation_id);
      out->set_name(h.name);
      out->set_kind(static_cast<v1::OrganisationKind>(h.kind));
      out->set_region_code(h.region_code);
      for (int y : *missing) out->add_missing_years(y);
      out->set_last_inspected_year(h.inspected.empty() ? 0 : *h.inspected.rbegin());
    }
    return absl::OkStatus();
  });
}

grpc::Status SupervisionServiceImpl::ListOverdueSupervision(
    grpc::ServerContext* context, const v1::ListOverdueSupervisionRequest* request,
    v1::ListOverdueSupervisionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListOverdueSupervision"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           EventDate("as_of", request->as_of(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckWorklistYear(request->year(), as_of));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<SupervisionStanding> standings,
                           store_->Standings(prefix, request->year(), as_of));
    response->set_as_of(FormatDay(as_of));
    response->set_year(request->year());
    for (const SupervisionStanding& s : standings) {
      for (const OverdueDuty& d :
           OverdueSupervision(s.established_on, request->year(), s.reported, s.inspected, as_of)) {
        v1::OverdueSupervision* out = response->add_items();
        out->set_organisation_id(s.organisation_id);
        out->set_name(s.name);
        out->set_kind(static_cast<v1::OrganisationKind>(s.kind));
        out->set_region_code(s.region_code);
        out->set_year(request->year());
        out->set_missing(static_cast<v1::SupervisionDuty>(d.duty));
        out->set_deadline(FormatDay(d.deadline));
        out->set_days_overdue(d.days_overdue);
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg
