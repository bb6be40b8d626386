#include "services/assistance/disbursement_service.h"

#include "prometheus/family.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/paging.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

constexpr absl::string_view kService = "civil.assistance.v1.DisbursementService";

DisbursementServiceImpl::DisbursementServiceImpl(DisbursementStore* store,
                                                 prometheus::Registry* registry, Clock clock)
    : store_(store), clock_(std::move(clock)) {
  if (registry == nullptr) return;
  auto& fen = prometheus::BuildCounter()
                  .Name("civil_payments_fen_total")
                  .Help("Money disbursed by monthly runs, fen")
                  .Register(*registry);
  auto& count = prometheus::BuildCounter()
                    .Name("civil_payments_total")
                    .Help("Payments made by monthly runs")
                    .Register(*registry);
  auto& done = prometheus::BuildGauge()
                   .Name("assistance_disbursement_rows_done")
                   .Help("Enrolments the latest monthly run of the programme has been through")
                   .Register(*registry);
  auto& total = prometheus::BuildGauge()
                    .Name("assistance_disbursement_rows_planned")
                    .Help("Enrolments the latest monthly run of the programme pays")
                    .Register(*registry);
  auto& ratio = prometheus::BuildGauge()
                    .Name("assistance_disbursement_progress_ratio")
                    .Help("rows_done / rows_planned of the latest monthly run (1 when done)")
                    .Register(*registry);
  for (int p = 1; p <= 7; ++p) {
    const auto programme = static_cast<Programme>(p);
    if (!IsPaid(programme)) continue;
    const std::string name(ProgrammeName(programme));
    paid_fen_[p] = &fen.Add({{"program", name}});
    payments_[p] = &count.Add({{"program", name}});
    progress_[p] = {&done.Add({{"program", name}}), &total.Add({{"program", name}}),
                    &ratio.Add({{"program", name}})};
  }
}

grpc::Status DisbursementServiceImpl::RunDisbursement(grpc::ServerContext* context,
                                                      const v1::RunDisbursementRequest* request,
                                                      v1::RunDisbursementResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RunDisbursement"));
    CIVIL_ASSIGN_OR_RETURN(Programme programme,
                           ProgrammeFromNumber(request->programme(), "programme"));
    if (!IsPaid(programme)) {
      return InvalidField("programme", "a monitored programme is not paid monthly");
    }
    // The message assistance has always given (the kit's RequiredMonth says "is required" /
    // "must be a month written YYYY-MM"), and no month before 1900.
    absl::StatusOr<absl::CivilMonth> month = ParseMonth(request->month());
    if (!month.ok() || month->year() < 1900) return InvalidField("month", "must be YYYY-MM");
    if (*month > absl::CivilMonth(clock_())) {
      return InvalidField("month", "must not be after the current month");
    }
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    if (prefix.empty()) {
      return InvalidField("region_prefix", "name the county (or narrower) to pay");
    }
    bool created = false;
    const std::string name(ProgrammeName(programme));
    const std::string month_text = FormatMonth(*month);
    const auto gauges = progress_.find(request->programme());
    auto report = [&](const DisbursementProgress& p) {
      if (gauges != progress_.end()) {
        gauges->second.done->Set(static_cast<double>(p.done));
        gauges->second.total->Set(static_cast<double>(p.total));
        gauges->second.ratio->Set(
            p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0);
      }
      Log(LogLevel::kInfo, "disbursement progress",
          {{"program", name},
           {"month", month_text},
           {"region_prefix", prefix},
           {"batch_id", p.batch_id},
           {"rows_done", p.done},
           {"rows_total", p.total}});
    };
    auto batch = store_->Run(caller.subject, programme, *month, prefix, &created, report);
    if (!batch.ok()) {
      Log(LogLevel::kWarn, "disbursement failed",
          {{"program", name},
           {"month", month_text},
           {"region_prefix", prefix},
           {"code", absl::StatusCodeToString(batch.status().code())}});
      return batch.status();
    }
    if (created && paid_fen_.contains(request->programme())) {
      paid_fen_[request->programme()]->Increment(static_cast<double>(batch->total_fen()));
      payments_[request->programme()]->Increment(static_cast<double>(batch->payments()));
    }
    *response->mutable_batch() = *std::move(batch);
    response->set_created(created);
    return absl::OkStatus();
  });
}

grpc::Status DisbursementServiceImpl::GetDisbursement(grpc::ServerContext* context,
                                                      const v1::GetDisbursementRequest* request,
                                                      v1::GetDisbursementResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetDisbursement"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("batch_id", request->batch_id()));
    CIVIL_ASSIGN_OR_RETURN(auto batch, store_->Get(ActorOf(caller), request->batch_id()));
    *response->mutable_batch() = std::move(batch);
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
