// gRPC adapter of DisbursementService: monthly runs, with their metrics and progress.
#pragma once

#include <map>

#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/assistance/disbursement_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

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

}  // namespace civil::assistance
