// `make bench`, the work summary (tests/bench/report_bench.sh): ROUNDS rounds, each one
// GetWorkSummary of the report service (format=json, then format=md) and, as the baseline, the
// six departments' GetSummary calls made directly and concurrently, as the report makes them.
// Prints one TSV line per call: `<what>\t<round>\t<microseconds>\t<grpc code>`; a failed call
// is printed with its code and counted by the script (never silently timed as a success).
// Calls carry the bearer token of CIVIL_BENCH_TOKEN (an auditor token of the county).
//
//   report_bench_client <report addr> <assistance> <eldercare> <childwelfare> <governance>
//                       <socialorg> <affairs> <rounds> <period_start> <period_end>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "civil/affairs/v1/summary.grpc.pb.h"
#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "civil/governance/v1/summary.grpc.pb.h"
#include "civil/report/v1/report.grpc.pb.h"
#include "civil/socialorg/v1/summary.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string g_bearer;
std::string g_start, g_end;

void Prepare(grpc::ClientContext* context) {
  context->AddMetadata("authorization", g_bearer);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
}

struct Timed {
  int64_t micros;
  int code;
};

template <typename Fn>
Timed Time(Fn&& fn) {
  const auto t0 = Clock::now();
  const grpc::Status status = fn();
  return {std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count(),
          static_cast<int>(status.error_code())};
}

template <typename Service, typename Request, typename Response>
std::function<grpc::Status()> Summary(std::shared_ptr<grpc::Channel> channel) {
  std::shared_ptr<typename Service::Stub> stub = Service::NewStub(channel);
  return [stub]() {
    grpc::ClientContext context;
    Prepare(&context);
    Request request;
    request.set_period_start(g_start);
    request.set_period_end(g_end);
    Response response;
    return stub->GetSummary(&context, request, &response);
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 11) {
    std::fprintf(stderr,
                 "usage: %s <report> <assistance> <eldercare> <childwelfare> <governance> "
                 "<socialorg> <affairs> <rounds> <period_start> <period_end>\n",
                 argv[0]);
    return 2;
  }
  const char* token = std::getenv("CIVIL_BENCH_TOKEN");
  if (token == nullptr || *token == '\0') {
    std::fprintf(stderr, "CIVIL_BENCH_TOKEN is not set\n");
    return 2;
  }
  g_bearer = std::string("Bearer ") + token;
  g_start = argv[9];
  g_end = argv[10];
  auto channel = [](const char* addr) {
    return grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  };
  auto report = civil::report::v1::WorkSummaryService::NewStub(channel(argv[1]));
  namespace as = civil::assistance::v1;
  namespace el = civil::eldercare::v1;
  namespace cw = civil::childwelfare::v1;
  namespace gv = civil::governance::v1;
  namespace so = civil::socialorg::v1;
  namespace af = civil::affairs::v1;
  const std::vector<std::function<grpc::Status()>> departments = {
      Summary<as::SummaryService, as::GetSummaryRequest, as::GetSummaryResponse>(channel(argv[2])),
      Summary<el::EldercareSummaryService, el::GetSummaryRequest, el::GetSummaryResponse>(
          channel(argv[3])),
      Summary<cw::ChildWelfareSummaryService, cw::GetSummaryRequest, cw::GetSummaryResponse>(
          channel(argv[4])),
      Summary<gv::GovernanceSummaryService, gv::GetSummaryRequest, gv::GetSummaryResponse>(
          channel(argv[5])),
      Summary<so::SocialorgSummaryService, so::GetSummaryRequest, so::GetSummaryResponse>(
          channel(argv[6])),
      Summary<af::AffairsSummaryService, af::GetSummaryRequest, af::GetSummaryResponse>(
          channel(argv[7]))};
  const int rounds = std::atoi(argv[8]);

  auto work_summary = [&](const char* format) {
    return Time([&] {
      grpc::ClientContext context;
      Prepare(&context);
      civil::report::v1::GetWorkSummaryRequest request;
      request.set_period_start(g_start);
      request.set_period_end(g_end);
      request.set_format(format);
      civil::report::v1::GetWorkSummaryResponse response;
      return report->GetWorkSummary(&context, request, &response);
    });
  };
  auto six = [&] {
    const auto t0 = Clock::now();
    std::vector<std::future<grpc::Status>> calls;
    for (const auto& call : departments) calls.push_back(std::async(std::launch::async, call));
    int code = 0;
    for (auto& f : calls) {
      const grpc::Status s = f.get();
      if (!s.ok() && code == 0) code = static_cast<int>(s.error_code());
    }
    return Timed{std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count(),
                 code};
  };
  // Warm every channel and cache once, untimed.
  work_summary("json");
  six();
  for (int round = 0; round < rounds; ++round) {
    // Interleaved, the order alternating, so that neither side always runs on a warmer machine.
    std::vector<std::pair<const char*, Timed>> got;
    if (round % 2 == 0) {
      got.emplace_back("six_summaries", six());
      got.emplace_back("report_json", work_summary("json"));
      got.emplace_back("report_md", work_summary("md"));
    } else {
      got.emplace_back("report_md", work_summary("md"));
      got.emplace_back("report_json", work_summary("json"));
      got.emplace_back("six_summaries", six());
    }
    for (const auto& [what, t] : got) {
      std::printf("%s\t%d\t%lld\t%d\n", what, round, static_cast<long long>(t.micros), t.code);
    }
  }
  return 0;
}
