#include "services/eldercare/check_service.h"

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::eldercare {

grpc::Status EldercareCheckServiceImpl::CheckEldercare(grpc::ServerContext* context,
                                                       const v1::CheckEldercareRequest* request,
                                                       v1::CheckEldercareResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(
        const Caller caller,
        AuthorizeCall(*context, "civil.eldercare.v1.EldercareCheckService", "CheckEldercare"));
    (void)caller;
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(const IdNumber id,
                           RequiredIdNumber("id_number", request->id_number(), today));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of, EventDate("as_of", request->as_of(), today));
    const absl::CivilMonth month(as_of);
    CIVIL_ASSIGN_OR_RETURN(const std::vector<EldercareFactRecord> facts,
                           store_->FactsOf(pii_->BlindIndex(id.value())));
    response->set_id_number_masked(id.Masked());
    for (const EldercareFactRecord& f : facts) {
      v1::EldercareFact* out = response->add_facts();
      out->set_programme(f.programme);
      out->set_id(f.id);
      out->set_status(f.span.status);
      out->set_start_month(FormatMonth(f.span.start_month));
      if (auto last = f.span.LastPaidMonth()) out->set_end_month(FormatMonth(*last));
      out->set_active(f.span.PaysIn(month));
      out->set_region_code(f.region_code);
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
