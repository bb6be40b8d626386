// gRPC adapter of civil.affairs.v1.DisabilityService: authorisation and region scope, request
// validation (disability.h, project.h), the 低保 check through EnrolmentClient (outside any
// database transaction), proto ⇄ domain and status mapping. No SQL here (DisabilityStore,
// ProjectStore) and no rules.
#pragma once

#include "civil/affairs/v1/disability.grpc.pb.h"
#include "services/affairs/disability_store.h"
#include "services/affairs/enrolment_client.h"
#include "services/affairs/project_store.h"
#include "services/affairs/subsidy_bank_file_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"

namespace civil::affairs {

class DisabilityServiceImpl final : public v1::DisabilityService::Service {
 public:
  // None is owned. `today` gives the current date.
  DisabilityServiceImpl(DisabilityStore* store, ProjectStore* projects, EnrolmentClient* enrolments,
                        SubsidyBankFileStore* bank_files, Clock today);

  grpc::Status RegisterDisabledPerson(grpc::ServerContext* context,
                                      const v1::RegisterDisabledPersonRequest* request,
                                      v1::RegisterDisabledPersonResponse* response) override;
  grpc::Status GetDisabledPerson(grpc::ServerContext* context,
                                 const v1::GetDisabledPersonRequest* request,
                                 v1::GetDisabledPersonResponse* response) override;
  grpc::Status ApplySubsidy(grpc::ServerContext* context, const v1::ApplySubsidyRequest* request,
                            v1::ApplySubsidyResponse* response) override;
  grpc::Status GetSubsidy(grpc::ServerContext* context, const v1::GetSubsidyRequest* request,
                          v1::GetSubsidyResponse* response) override;
  grpc::Status ListSubsidies(grpc::ServerContext* context, const v1::ListSubsidiesRequest* request,
                             v1::ListSubsidiesResponse* response) override;
  grpc::Status RecheckSubsidyEligibility(grpc::ServerContext* context,
                                         const v1::RecheckSubsidyEligibilityRequest* request,
                                         v1::RecheckSubsidyEligibilityResponse* response) override;
  grpc::Status ReviewLivingSubsidies(grpc::ServerContext* context,
                                     const v1::ReviewLivingSubsidiesRequest* request,
                                     v1::ReviewLivingSubsidiesResponse* response) override;
  grpc::Status StopSubsidy(grpc::ServerContext* context, const v1::StopSubsidyRequest* request,
                           v1::StopSubsidyResponse* response) override;
  grpc::Status SetSubsidyStandard(grpc::ServerContext* context,
                                  const v1::SetSubsidyStandardRequest* request,
                                  v1::SetSubsidyStandardResponse* response) override;
  grpc::Status ListSubsidyStandards(grpc::ServerContext* context,
                                    const v1::ListSubsidyStandardsRequest* request,
                                    v1::ListSubsidyStandardsResponse* response) override;
  grpc::Status RunSubsidyPayments(grpc::ServerContext* context,
                                  const v1::RunSubsidyPaymentsRequest* request,
                                  v1::RunSubsidyPaymentsResponse* response) override;
  grpc::Status ExportSubsidyBankFile(grpc::ServerContext* context,
                                     const v1::ExportSubsidyBankFileRequest* request,
                                     v1::ExportSubsidyBankFileResponse* response) override;
  grpc::Status CreatePilotProject(grpc::ServerContext* context,
                                  const v1::CreatePilotProjectRequest* request,
                                  v1::CreatePilotProjectResponse* response) override;
  grpc::Status RecordPilotMilestone(grpc::ServerContext* context,
                                    const v1::RecordPilotMilestoneRequest* request,
                                    v1::RecordPilotMilestoneResponse* response) override;
  grpc::Status ListPilotProjects(grpc::ServerContext* context,
                                 const v1::ListPilotProjectsRequest* request,
                                 v1::ListPilotProjectsResponse* response) override;

 private:
  DisabilityStore* store_;
  ProjectStore* projects_;
  EnrolmentClient* enrolments_;
  SubsidyBankFileStore* bank_files_;
  Clock today_;
};

// civil.affairs.v1.SubsidyCheckService: a person's subsidies for another department's system.
class SubsidyCheckServiceImpl final : public v1::SubsidyCheckService::Service {
 public:
  // Not owned.
  SubsidyCheckServiceImpl(DisabilityStore* store, const PiiProtector* pii, Clock today)
      : store_(store), pii_(pii), today_(std::move(today)) {}

  grpc::Status CheckSubsidies(grpc::ServerContext* context,
                              const v1::CheckSubsidiesRequest* request,
                              v1::CheckSubsidiesResponse* response) override;

 private:
  DisabilityStore* store_;
  const PiiProtector* pii_;
  Clock today_;
};

}  // namespace civil::affairs
