#include "services/exchange/registry_service.h"

#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/values.h"

namespace civil::exchange {

constexpr absl::string_view kService = "civil.exchange.v1.RegistryService";

grpc::Status RegistryServiceImpl::SearchEnrolments(grpc::ServerContext* context,
                                                   const v1::SearchEnrolmentsRequest* request,
                                                   v1::SearchEnrolmentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SearchEnrolments"));
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(const IdNumber id,
                           RequiredIdNumber("id_number", request->id_number(), today));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of, EventDate("as_of", request->as_of(), today));
    CIVIL_ASSIGN_OR_RETURN(const std::string scope, ScopedPrefix(caller, ""));
    const std::vector<DepartmentReply> replies = client_->Ask(id, as_of);
    const auto facts = FactsInScope(replies, scope);
    SearchLogEntry entry;
    entry.caller = caller.subject;
    entry.caller_scope = caller.region_prefix;
    entry.subject_index = pii_->BlindIndex(id.value());
    entry.subject_masked = id.Masked();
    entry.as_of = as_of;
    entry.found = static_cast<int>(facts.size());
    for (const DepartmentReply& r : replies) {
      (r.answered ? entry.answered : entry.unknown).push_back(r.department);
      v1::DepartmentStatus* status = response->add_departments();
      status->set_department(r.department);
      status->set_answer(r.answered ? v1::DEPARTMENT_ANSWER_ANSWERED
                                    : v1::DEPARTMENT_ANSWER_UNKNOWN);
      status->set_reason(r.reason);
      if (!r.answered) {
        Log(LogLevel::kWarn, "registry search: department did not answer",
            {{"department", absl::string_view(r.department)},
             {"reason", absl::string_view(r.reason)}});
      }
    }
    // Logged before anything leaves: no answer without its row.
    CIVIL_ASSIGN_OR_RETURN(const std::string search_id, store_->Log(entry));
    response->set_search_id(search_id);
    response->set_id_number_masked(entry.subject_masked);
    response->set_as_of(FormatDay(as_of));
    for (const auto& [department, f] : facts) {
      v1::ProgrammeEnrolment* e = response->add_enrolments();
      e->set_department(department);
      e->set_programme(f.programme);
      e->set_enrolment_id(f.enrolment_id);
      e->set_active(f.active);
      if (f.start_month) e->set_start_month(FormatMonth(*f.start_month));
      if (f.end_month) e->set_end_month(FormatMonth(*f.end_month));
      e->set_region_code(f.region_code);
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
