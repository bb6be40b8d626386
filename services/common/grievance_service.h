// The grievance RPCs every department serves: civil.grievance.v1.GrievanceService, one contract
// at /v1/{department}/grievances… that the gateway routes by the path's department, one
// implementation here. A department serves it with one call in its wiring:
//
//   ServeGrievances(d, {{.name = "APPLICATION", .table = "applications",
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

#include "civil/grievance/v1/grievance.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/department.h"
#include "services/common/errors.h"
#include "services/common/grievance_store.h"

namespace civil {

// civil.grievance.v1.GrievanceService for one department's cases: a request naming another
// department (the path's `{department}`) is NOT_FOUND, and `{department}.clerk` in the contract's
// roles means this department's clerks.
class GrievanceServiceImpl final : public grievance::v1::GrievanceService::Service {
 public:
  GrievanceServiceImpl(std::string department, GrievanceStore* store, Clock clock)
      : department_(std::move(department)), store_(store), clock_(std::move(clock)) {}

  grpc::Status CreateGrievance(grpc::ServerContext* c,
                               const grievance::v1::CreateGrievanceRequest* r,
                               grievance::v1::CreateGrievanceResponse* out) override;
  grpc::Status GetGrievance(grpc::ServerContext* c, const grievance::v1::GetGrievanceRequest* r,
                            grievance::v1::GetGrievanceResponse* out) override;
  grpc::Status ListGrievances(grpc::ServerContext* c, const grievance::v1::ListGrievancesRequest* r,
                              grievance::v1::ListGrievancesResponse* out) override;
  grpc::Status AssignGrievance(grpc::ServerContext* c,
                               const grievance::v1::AssignGrievanceRequest* r,
                               grievance::v1::AssignGrievanceResponse* out) override;
  grpc::Status RespondGrievance(grpc::ServerContext* c,
                                const grievance::v1::RespondGrievanceRequest* r,
                                grievance::v1::RespondGrievanceResponse* out) override;
  grpc::Status DecideGrievance(grpc::ServerContext* c,
                               const grievance::v1::DecideGrievanceRequest* r,
                               grievance::v1::DecideGrievanceResponse* out) override;
  grpc::Status ConfirmGrievance(grpc::ServerContext* c,
                                const grievance::v1::ConfirmGrievanceRequest* r,
                                grievance::v1::ConfirmGrievanceResponse* out) override;

 private:
  // The caller of `method` on a request for `department`: NOT_FOUND for another department's,
  // else Authorize for this one.
  absl::StatusOr<Caller> CallerOf(const grpc::ServerContext& c, absl::string_view method,
                                  const std::string& department) const;

  std::string department_;
  GrievanceStore* store_;
  Clock clock_;
};

// The deadlines from CIVIL_GRIEVANCE_DEADLINES (GrievanceDeadlines::Parse; unset: the defaults).
// INVALID_ARGUMENT naming the variable.
absl::StatusOr<GrievanceDeadlines> LoadGrievanceDeadlines();

// Builds the department's GrievanceStore over `cases`, loads the holiday calendar and starts the
// overdue gauge's refresh (every minute, stopped at shutdown). Returns the store (owned by the
// department), or the error that stops the wiring (bad CIVIL_GRIEVANCE_DEADLINES, the calendar
// unreadable).
absl::StatusOr<GrievanceStore*> StartGrievances(Department& d,
                                                std::vector<GrievanceCaseKind> cases);

// StartGrievances, then serves GrievanceServiceImpl for the department. Returns the store.
absl::StatusOr<GrievanceStore*> ServeGrievances(Department& d,
                                                std::vector<GrievanceCaseKind> cases);

}  // namespace civil
