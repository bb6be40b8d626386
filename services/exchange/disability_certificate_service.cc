#include "services/exchange/disability_certificate_service.h"

#include "services/common/errors.h"

namespace civil::exchange {

constexpr absl::string_view kService = "civil.exchange.v1.DisabilityCertificateService";

grpc::Status DisabilityCertificateServiceImpl::SubmitDisabilityCertificates(
    grpc::ServerContext* context, const v1::SubmitDisabilityCertificatesRequest* request,
    v1::SubmitDisabilityCertificatesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SubmitDisabilityCertificates"));
    CIVIL_RETURN_IF_ERROR(CheckSender(caller, Source::kDisabledFederation));
    CIVIL_ASSIGN_OR_RETURN(
        std::string batch_id,
        ValidBatch(request->batch_id(), request->certificates_size(), "certificates"));
    BatchHeader header =
        HeaderFor(caller, RecordKind::kDisabilityCertificate, Source::kDisabledFederation,
                  std::move(batch_id), request->certificates_size());
    CIVIL_RETURN_IF_ERROR(inbound_->OpenBatch(header));
    const absl::CivilDay today = clock_();
    Tally tally;
    for (int i = 0; i < request->certificates_size(); ++i) {
      const v1::DisabilityCertificate& c = request->certificates(i);
      absl::StatusOr<Certificate> certificate =
          ValidCertificate({c.source_record_id(), c.id_number(), c.certificate_number(), c.type(),
                            c.grade(), c.event(), c.event_date(), c.region_code()},
                           today);
      absl::StatusOr<RecordResult> result;
      if (!certificate.ok()) {
        absl::StatusOr<IdNumber> id = IdNumber::Parse(c.id_number(), today);
        result = inbound_->Reject(header, i, c.source_record_id(), certificate.status(),
                                  id.ok() ? std::optional<IdNumber>(*id) : std::nullopt);
      } else if (absl::Status scope =
                     CheckRegion(caller, "region_code", certificate->region.value());
                 !scope.ok()) {
        result = inbound_->Reject(header, i, c.source_record_id(), scope, certificate->id,
                                  certificate->event_date, certificate->region.value());
      } else {
        result = certificates_->Receive(header, i, *certificate);
      }
      CIVIL_RETURN_IF_ERROR(result.status());
      tally.Add(*result);
      metrics_->Count(RecordKind::kDisabilityCertificate, Source::kDisabledFederation, *result);
      ToProto(*result, response->add_results());
    }
    ToProto(tally, response->mutable_tally());
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
