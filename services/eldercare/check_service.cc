#include "services/eldercare/check_service.h"

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::eldercare {

grpc::Status EldercareCheckServiceImpl::CheckEldercare(grpc::ServerContext* context,
                                                       const v1::CheckEldercareRequest* request,
                                                       v1::CheckEldercareResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_RETURN_IF_ERROR(
        AuthorizeCall(*context, "civil.eldercare.v1.EldercareCheckService", "CheckEldercare")
            .status());
    CIVIL_ASSIGN_OR_RETURN(const CheckAsked asked,
                           ParseCheckRequest(request->id_number(), request->as_of(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EnrolmentFactRecord> facts,
                           store_->FactsOf(pii_->BlindIndex(asked.id.value())));
    response->set_id_number_masked(asked.id.Masked());
    for (const EnrolmentFactRecord& f : facts) {
      v1::EldercareFact* out = response->add_facts();
      out->set_programme(f.programme);
      out->set_id(f.id);
      SetPaidSpan(f.span, asked.month, out);
      out->set_region_code(f.region_code);
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
