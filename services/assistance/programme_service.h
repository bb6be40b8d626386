// gRPC adapters of the assistance programmes: StandardService, ApplicationService,
// EnrolmentService, EnrolmentCheckService, DisbursementService and SummaryService. Each method
// authorises the caller against the contract's access rule, validates the request naming the
// field, calls its store and maps the status once.
#pragma once

#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/assistance/programme_store.h"
#include "services/assistance/relief_figures_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class StandardServiceImpl final : public v1::StandardService::Service {
 public:
  explicit StandardServiceImpl(StandardStore* store) : store_(store) {}
  grpc::Status SetStandard(grpc::ServerContext* context, const v1::SetStandardRequest* request,
                           v1::SetStandardResponse* response) override;
  grpc::Status ListStandards(grpc::ServerContext* context, const v1::ListStandardsRequest* request,
                             v1::ListStandardsResponse* response) override;

 private:
  StandardStore* store_;
};

class ApplicationServiceImpl final : public v1::ApplicationService::Service {
 public:
  // `clock` gives the day a step without a date happened on, and the day dates are checked against.
  explicit ApplicationServiceImpl(ApplicationStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status CreateApplication(grpc::ServerContext* context,
                                 const v1::CreateApplicationRequest* request,
                                 v1::CreateApplicationResponse* response) override;
  grpc::Status GetApplication(grpc::ServerContext* context,
                              const v1::GetApplicationRequest* request,
                              v1::GetApplicationResponse* response) override;
  grpc::Status ListApplications(grpc::ServerContext* context,
                                const v1::ListApplicationsRequest* request,
                                v1::ListApplicationsResponse* response) override;
  grpc::Status InvestigateApplication(grpc::ServerContext* context,
                                      const v1::InvestigateApplicationRequest* request,
                                      v1::InvestigateApplicationResponse* response) override;
  grpc::Status PublishApplication(grpc::ServerContext* context,
                                  const v1::PublishApplicationRequest* request,
                                  v1::PublishApplicationResponse* response) override;
  grpc::Status RecordObjection(grpc::ServerContext* context,
                               const v1::RecordObjectionRequest* request,
                               v1::RecordObjectionResponse* response) override;
  grpc::Status ApproveApplication(grpc::ServerContext* context,
                                  const v1::ApproveApplicationRequest* request,
                                  v1::ApproveApplicationResponse* response) override;
  grpc::Status RejectApplication(grpc::ServerContext* context,
                                 const v1::RejectApplicationRequest* request,
                                 v1::RejectApplicationResponse* response) override;

 private:
  ApplicationStore* store_;
  Clock clock_;
};

class EnrolmentServiceImpl final : public v1::EnrolmentService::Service {
 public:
  explicit EnrolmentServiceImpl(EnrolmentStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status GetEnrolment(grpc::ServerContext* context, const v1::GetEnrolmentRequest* request,
                            v1::GetEnrolmentResponse* response) override;
  grpc::Status ListEnrolments(grpc::ServerContext* context,
                              const v1::ListEnrolmentsRequest* request,
                              v1::ListEnrolmentsResponse* response) override;
  grpc::Status ExitEnrolment(grpc::ServerContext* context, const v1::ExitEnrolmentRequest* request,
                             v1::ExitEnrolmentResponse* response) override;

 private:
  EnrolmentStore* store_;
  Clock clock_;
};

class EnrolmentCheckServiceImpl final : public v1::EnrolmentCheckService::Service {
 public:
  EnrolmentCheckServiceImpl(EnrolmentStore* store, const PiiProtector* pii,
                            Clock clock = SystemClock())
      : store_(store), pii_(pii), clock_(std::move(clock)) {}
  grpc::Status CheckEnrolment(grpc::ServerContext* context,
                              const v1::CheckEnrolmentRequest* request,
                              v1::CheckEnrolmentResponse* response) override;

 private:
  EnrolmentStore* store_;
  const PiiProtector* pii_;
  Clock clock_;
};

class DisbursementServiceImpl final : public v1::DisbursementService::Service {
 public:
  // `registry` may be null; otherwise civil_payments_fen_total{program} counts money disbursed,
  // and the progress of the latest run of each programme is in
  // assistance_disbursement_rows_done{program}, assistance_disbursement_rows_planned{program} (its
  // enrolments paid so far / to pay) and assistance_disbursement_progress_ratio{program}. Every
  // run also logs its progress after each chunk ("disbursement progress").
  DisbursementServiceImpl(DisbursementStore* store, prometheus::Registry* registry,
                          Clock clock = SystemClock());
  grpc::Status RunDisbursement(grpc::ServerContext* context,
                               const v1::RunDisbursementRequest* request,
                               v1::RunDisbursementResponse* response) override;
  grpc::Status GetDisbursement(grpc::ServerContext* context,
                               const v1::GetDisbursementRequest* request,
                               v1::GetDisbursementResponse* response) override;

 private:
  DisbursementStore* store_;
  Clock clock_;
  std::map<int, prometheus::Counter*> paid_fen_;
  std::map<int, prometheus::Counter*> payments_;
  // The progress gauges of each paid programme.
  struct ProgressGauges {
    prometheus::Gauge* done;
    prometheus::Gauge* total;
    prometheus::Gauge* ratio;
  };
  std::map<int, ProgressGauges> progress_;
};

class SummaryServiceImpl final : public v1::SummaryService::Service {
 public:
  // `relief` may be null (programme figures only); `grievances` too (no grievance figures).
  SummaryServiceImpl(SummaryStore* store, ReliefFiguresStore* relief,
                     GrievanceStore* grievances = nullptr)
      : store_(store), relief_(relief), grievances_(grievances) {}
  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  SummaryStore* store_;
  ReliefFiguresStore* relief_;
  GrievanceStore* grievances_;
};

// Interleaves the programme lines and the relief lines in the seed report's order: 低保, 特困 and
// subsidies; 临时救助 and 互助社; exits; the special-rectification result; monitored households;
// then outreach and health checks.
std::vector<std::string> MergeSummaryLines(const std::vector<std::string>& programme_lines,
                                           const std::vector<std::string>& relief_lines);

// The report's sentences for the figures, in the seed report's wording, e.g.
// "农村低保对象9847户15044人,发放资金3808万元".
std::vector<std::string> SummaryLines(const std::vector<v1::ProgrammeFigures>& figures);

}  // namespace civil::assistance
