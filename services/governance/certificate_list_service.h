// gRPC adapter of civil.governance.v1.CertificateListService: certificate lists per village.
// Authorisation and region scope, request validation (certificate_list.h), proto ⇄ domain and
// status mapping. No SQL here (CertificateListStore).
#pragma once

#include "civil/governance/v1/certificate_list.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/certificate_list_store.h"

namespace civil::governance {

class CertificateListServiceImpl final : public v1::CertificateListService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  CertificateListServiceImpl(CertificateListStore* store, Clock today);

  grpc::Status PublishCertificateList(grpc::ServerContext* context,
                                      const v1::PublishCertificateListRequest* request,
                                      v1::PublishCertificateListResponse* response) override;
  grpc::Status GetCertificateList(grpc::ServerContext* context,
                                  const v1::GetCertificateListRequest* request,
                                  v1::GetCertificateListResponse* response) override;
  grpc::Status ListCertificateListVersions(
      grpc::ServerContext* context, const v1::ListCertificateListVersionsRequest* request,
      v1::ListCertificateListVersionsResponse* response) override;

 private:
  CertificateListStore* store_;
  Clock today_;
};

}  // namespace civil::governance
