// gRPC adapters of 临时救助 (TemporaryReliefService), mutual aid (MutualAidService), outreach
// (OutreachService), audits (AuditService), reviews (ReviewService) and the bank file
// (BankFileService). Each method authorises the caller against the contract's access rule,
// validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/relief_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class TemporaryReliefServiceImpl final : public v1::TemporaryReliefService::Service {
 public:
  explicit TemporaryReliefServiceImpl(ReliefCaseStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status CreateReliefCase(grpc::ServerContext* context,
                                const v1::CreateReliefCaseRequest* request,
                                v1::CreateReliefCaseResponse* response) override;
  grpc::Status GetReliefCase(grpc::ServerContext* context, const v1::GetReliefCaseRequest* request,
                             v1::GetReliefCaseResponse* response) override;
  grpc::Status ListReliefCases(grpc::ServerContext* context,
                               const v1::ListReliefCasesRequest* request,
                               v1::ListReliefCasesResponse* response) override;
  grpc::Status ApproveReliefCase(grpc::ServerContext* context,
                                 const v1::ApproveReliefCaseRequest* request,
                                 v1::ApproveReliefCaseResponse* response) override;
  grpc::Status RejectReliefCase(grpc::ServerContext* context,
                                const v1::RejectReliefCaseRequest* request,
                                v1::RejectReliefCaseResponse* response) override;
  grpc::Status PayReliefCase(grpc::ServerContext* context, const v1::PayReliefCaseRequest* request,
                             v1::PayReliefCaseResponse* response) override;
  grpc::Status ListOverdueReliefCases(grpc::ServerContext* context,
                                      const v1::ListOverdueReliefCasesRequest* request,
                                      v1::ListOverdueReliefCasesResponse* response) override;

 private:
  ReliefCaseStore* store_;
  Clock clock_;
};

class MutualAidServiceImpl final : public v1::MutualAidService::Service {
 public:
  explicit MutualAidServiceImpl(MutualAidStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status RegisterSociety(grpc::ServerContext* context,
                               const v1::RegisterSocietyRequest* request,
                               v1::RegisterSocietyResponse* response) override;
  grpc::Status ListSocieties(grpc::ServerContext* context, const v1::ListSocietiesRequest* request,
                             v1::ListSocietiesResponse* response) override;
  grpc::Status RecordMutualAidCase(grpc::ServerContext* context,
                                   const v1::RecordMutualAidCaseRequest* request,
                                   v1::RecordMutualAidCaseResponse* response) override;
  grpc::Status ListMutualAidCases(grpc::ServerContext* context,
                                  const v1::ListMutualAidCasesRequest* request,
                                  v1::ListMutualAidCasesResponse* response) override;
  grpc::Status GetMutualAidCoverage(grpc::ServerContext* context,
                                    const v1::GetMutualAidCoverageRequest* request,
                                    v1::GetMutualAidCoverageResponse* response) override;

 private:
  MutualAidStore* store_;
  Clock clock_;
};

class OutreachServiceImpl final : public v1::OutreachService::Service {
 public:
  explicit OutreachServiceImpl(OutreachStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status RecordVisit(grpc::ServerContext* context, const v1::RecordVisitRequest* request,
                           v1::RecordVisitResponse* response) override;
  grpc::Status ListVisits(grpc::ServerContext* context, const v1::ListVisitsRequest* request,
                          v1::ListVisitsResponse* response) override;
  grpc::Status ResolveDemand(grpc::ServerContext* context, const v1::ResolveDemandRequest* request,
                             v1::ResolveDemandResponse* response) override;
  grpc::Status CreateHealthCheckBatch(grpc::ServerContext* context,
                                      const v1::CreateHealthCheckBatchRequest* request,
                                      v1::CreateHealthCheckBatchResponse* response) override;
  grpc::Status RecordHealthCheck(grpc::ServerContext* context,
                                 const v1::RecordHealthCheckRequest* request,
                                 v1::RecordHealthCheckResponse* response) override;
  grpc::Status ListHealthChecks(grpc::ServerContext* context,
                                const v1::ListHealthChecksRequest* request,
                                v1::ListHealthChecksResponse* response) override;

 private:
  OutreachStore* store_;
  Clock clock_;
};

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  explicit AuditServiceImpl(AuditStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status RunAudit(grpc::ServerContext* context, const v1::RunAuditRequest* request,
                        v1::RunAuditResponse* response) override;
  grpc::Status ListFindings(grpc::ServerContext* context, const v1::ListFindingsRequest* request,
                            v1::ListFindingsResponse* response) override;
  grpc::Status ConfirmFinding(grpc::ServerContext* context,
                              const v1::ConfirmFindingRequest* request,
                              v1::ConfirmFindingResponse* response) override;
  grpc::Status DismissFinding(grpc::ServerContext* context,
                              const v1::DismissFindingRequest* request,
                              v1::DismissFindingResponse* response) override;

 private:
  AuditStore* store_;
  Clock clock_;
};

class ReviewServiceImpl final : public v1::ReviewService::Service {
 public:
  explicit ReviewServiceImpl(ReviewStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status ListReviewsDue(grpc::ServerContext* context,
                              const v1::ListReviewsDueRequest* request,
                              v1::ListReviewsDueResponse* response) override;
  grpc::Status RecordReview(grpc::ServerContext* context, const v1::RecordReviewRequest* request,
                            v1::RecordReviewResponse* response) override;

 private:
  ReviewStore* store_;
  Clock clock_;
};

class BankFileServiceImpl final : public v1::BankFileService::Service {
 public:
  explicit BankFileServiceImpl(BankFileStore* store) : store_(store) {}
  grpc::Status ExportBankFile(grpc::ServerContext* context,
                              const v1::ExportBankFileRequest* request,
                              v1::ExportBankFileResponse* response) override;

 private:
  BankFileStore* store_;
};

// The report's sentences for these figures, in the seed report's wording, e.g.
// "临时救助1896人次,发放资金304万元", "已完成94家村(社区)互助社登记设立,开展救助158人次,
// 发放救助金10.46万元". A part with nothing to report gives no sentence; the audit sentence needs
// an audit run in the period.
std::vector<std::string> ReliefSummaryLines(const v1::ReliefFigures& figures);

}  // namespace civil::assistance
