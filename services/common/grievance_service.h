// The grievance RPCs every department serves (civil.<dept>.v1.GrievanceService, whose messages
// are civil.grievance.v1's): one implementation, GrievanceRpcs, behind a thin template over the
// department's generated service, so each department keeps its own paths and roles. A
// department serves it with one call in its wiring:
//
//   ServeGrievances<v1::GrievanceService>(d, {{.name = "APPLICATION", .table = "applications",
//                                              .id_column = "application_id",
//                                              .region_column = "region_code",
//                                              .reopen = …}});
//
// which builds the GrievanceStore (deadlines from CIVIL_GRIEVANCE_DEADLINES, the holiday
// calendar from the database), serves the RPCs and keeps the overdue gauge fresh.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "civil/grievance/v1/grievance.pb.h"
#include "services/common/clock.h"
#include "services/common/department.h"
#include "services/common/errors.h"
#include "services/common/grievance_store.h"

namespace civil {

// The RPC bodies, for the service named `service` ("civil.assistance.v1.GrievanceService").
class GrievanceRpcs {
 public:
  GrievanceRpcs(std::string service, GrievanceStore* store, Clock clock)
      : service_(std::move(service)), store_(store), clock_(std::move(clock)) {}

  grpc::Status Create(grpc::ServerContext* c, const grievance::v1::CreateGrievanceRequest* r,
                      grievance::v1::CreateGrievanceResponse* out) const;
  grpc::Status Get(grpc::ServerContext* c, const grievance::v1::GetGrievanceRequest* r,
                   grievance::v1::GetGrievanceResponse* out) const;
  grpc::Status List(grpc::ServerContext* c, const grievance::v1::ListGrievancesRequest* r,
                    grievance::v1::ListGrievancesResponse* out) const;
  grpc::Status Assign(grpc::ServerContext* c, const grievance::v1::AssignGrievanceRequest* r,
                      grievance::v1::AssignGrievanceResponse* out) const;
  grpc::Status Respond(grpc::ServerContext* c, const grievance::v1::RespondGrievanceRequest* r,
                       grievance::v1::RespondGrievanceResponse* out) const;
  grpc::Status Decide(grpc::ServerContext* c, const grievance::v1::DecideGrievanceRequest* r,
                      grievance::v1::DecideGrievanceResponse* out) const;
  grpc::Status Confirm(grpc::ServerContext* c, const grievance::v1::ConfirmGrievanceRequest* r,
                       grievance::v1::ConfirmGrievanceResponse* out) const;

 private:
  std::string service_;
  GrievanceStore* store_;
  Clock clock_;
};

// civil.<dept>.v1.GrievanceService on GrievanceRpcs. `Contract` is the generated service class
// (v1::GrievanceService).
template <typename Contract>
class GrievanceServiceImpl final : public Contract::Service {
 public:
  GrievanceServiceImpl(GrievanceStore* store, Clock clock)
      : rpcs_(Contract::service_full_name(), store, std::move(clock)) {}

  grpc::Status CreateGrievance(grpc::ServerContext* c,
                               const grievance::v1::CreateGrievanceRequest* r,
                               grievance::v1::CreateGrievanceResponse* out) override {
    return rpcs_.Create(c, r, out);
  }
  grpc::Status GetGrievance(grpc::ServerContext* c, const grievance::v1::GetGrievanceRequest* r,
                            grievance::v1::GetGrievanceResponse* out) override {
    return rpcs_.Get(c, r, out);
  }
  grpc::Status ListGrievances(grpc::ServerContext* c, const grievance::v1::ListGrievancesRequest* r,
                              grievance::v1::ListGrievancesResponse* out) override {
    return rpcs_.List(c, r, out);
  }
  grpc::Status AssignGrievance(grpc::ServerContext* c,
                               const grievance::v1::AssignGrievanceRequest* r,
                               grievance::v1::AssignGrievanceResponse* out) override {
    return rpcs_.Assign(c, r, out);
  }
  grpc::Status RespondGrievance(grpc::ServerContext* c,
                                const grievance::v1::RespondGrievanceRequest* r,
                                grievance::v1::RespondGrievanceResponse* out) override {
    return rpcs_.Respond(c, r, out);
  }
  grpc::Status DecideGrievance(grpc::ServerContext* c,
                               const grievance::v1::DecideGrievanceRequest* r,
                               grievance::v1::DecideGrievanceResponse* out) override {
    return rpcs_.Decide(c, r, out);
  }
  grpc::Status ConfirmGrievance(grpc::ServerContext* c,
                                const grievance::v1::ConfirmGrievanceRequest* r,
                                grievance::v1::ConfirmGrievanceResponse* out) override {
    return rpcs_.Confirm(c, r, out);
  }

 private:
  GrievanceRpcs rpcs_;
};

// The deadlines from CIVIL_GRIEVANCE_DEADLINES (GrievanceDeadlines::Parse; unset: the defaults).
// INVALID_ARGUMENT naming the variable.
absl::StatusOr<GrievanceDeadlines> LoadGrievanceDeadlines();

// Builds the department's GrievanceStore over `cases`, loads the holiday calendar, starts the
// overdue gauge's refresh (every minute, stopped at shutdown) and serves
// GrievanceServiceImpl<Contract>. Returns the store (owned by the department), or the error that
// stops the wiring (bad CIVIL_GRIEVANCE_DEADLINES, the calendar unreadable).
absl::StatusOr<GrievanceStore*> StartGrievances(Department& d,
                                                std::vector<GrievanceCaseKind> cases);

template <typename Contract>
absl::StatusOr<GrievanceStore*> ServeGrievances(Department& d,
                                                std::vector<GrievanceCaseKind> cases) {
  absl::StatusOr<GrievanceStore*> store = StartGrievances(d, std::move(cases));
  if (!store.ok()) return store.status();
  d.Serve<GrievanceServiceImpl<Contract>>(Contract::service_full_name(), *store, d.clock());
  return *store;
}

}  // namespace civil
