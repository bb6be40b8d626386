// gRPC adapter of civil.governance.v1.BoundaryService: boundary lines, markers, notice boards and
// joint inspections. Authorisation and region scope, request validation (boundary.h), proto ⇄
// domain and status mapping. No SQL here (BoundaryStore).
#pragma once

#include "civil/governance/v1/boundary.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/boundary_store.h"

namespace civil::governance {

class BoundaryServiceImpl final : public v1::BoundaryService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  BoundaryServiceImpl(BoundaryStore* store, Clock today);

  grpc::Status CreateBoundaryLine(grpc::ServerContext* context,
                                  const v1::CreateBoundaryLineRequest* request,
                                  v1::CreateBoundaryLineResponse* response) override;
  grpc::Status ListBoundaryLines(grpc::ServerContext* context,
                                 const v1::ListBoundaryLinesRequest* request,
                                 v1::ListBoundaryLinesResponse* response) override;
  grpc::Status GetBoundaryLine(grpc::ServerContext* context,
                               const v1::GetBoundaryLineRequest* request,
                               v1::GetBoundaryLineResponse* response) override;
  grpc::Status AddBoundaryMarker(grpc::ServerContext* context,
                                 const v1::AddBoundaryMarkerRequest* request,
                                 v1::AddBoundaryMarkerResponse* response) override;
  grpc::Status InstallNoticeBoard(grpc::ServerContext* context,
                                  const v1::InstallNoticeBoardRequest* request,
                                  v1::InstallNoticeBoardResponse* response) override;
  grpc::Status RecordJointInspection(grpc::ServerContext* context,
                                     const v1::RecordJointInspectionRequest* request,
                                     v1::RecordJointInspectionResponse* response) override;

 private:
  BoundaryStore* store_;
  Clock today_;
};

}  // namespace civil::governance
