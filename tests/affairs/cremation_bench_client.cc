// affairs_bench_client: records cremations through the API path (gRPC RecordCremation on a
// running affairs_server, each in its own transaction with its outbox event and death hooks) as
// fast as `--concurrency` callers can, and prints one tab-separated result line:
//
//   cremations <records> <errors> <seconds> <records_per_s> <p50_ms> <p99_ms>
//
//   affairs_bench_client --addr HOST:PORT [--records 100000] [--concurrency 32]
//                        [--first 0] [--region 340722100001] [--schedule]
//
// `--schedule` first sets a county fee schedule (so every record computes a waiver). Records use
// distinct valid ID numbers numbered from `--first`. Calls carry the caller metadata the gateway
// would set (subject `bench`, roles affairs.clerk + affairs.reviewer, region `*`).
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "civil/affairs/v1/funeral.grpc.pb.h"

namespace {

namespace v1 = civil::affairs::v1;
using SteadyClock = std::chrono::steady_clock;

// The `n`-th distinct valid ID number: a birth date from 1920-01-01 on, sequence 001–999.
std::string NthId(int64_t n) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  const absl::CivilDay birth = absl::CivilDay(1920, 1, 1) + n / 999;
  char body[20];
  std::snprintf(body, sizeof body, "340722%04d%02d%02d%03d", static_cast<int>(birth.year()),
                birth.month(), birth.day(), static_cast<int>(n % 999 + 1));
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

void Identify(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  // The token the script minted (subject `bench`, roles affairs clerk + reviewer, region `*`).
  static const std::string bearer = [] {
    const char* token = std::getenv("CIVIL_BENCH_TOKEN");
    if (token == nullptr || *token == '\0') {
      std::cerr << "affairs_bench_client: CIVIL_BENCH_TOKEN is not set\n";
      std::exit(2);
    }
    return std::string("Bearer ") + token;
  }();
  context->AddMetadata("authorization", bearer);
}

int64_t Flag(const std::map<std::string, std::string>& flags, const std::string& name,
             int64_t fallback) {
  auto it = flags.find(name);
  int64_t v = fallback;
  if (it != flags.end() && !absl::SimpleAtoi(it->second, &v)) {
    std::cerr << "affairs_bench_client: --" << name << " must be a number\n";
    std::exit(2);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) continue;
    if (arg == "--schedule") {
      flags["schedule"] = "1";
    } else if (i + 1 < argc) {
      flags[arg.substr(2)] = argv[++i];
    }
  }
  if (flags.count("addr") == 0) {
    std::cerr << "usage: affairs_bench_client --addr HOST:PORT [--records N] [--concurrency C] "
                 "[--first N] [--region CODE] [--schedule]\n";
    return 2;
  }
  const int64_t records = Flag(flags, "records", 100000);
  const int concurrency = static_cast<int>(std::max<int64_t>(1, Flag(flags, "concurrency", 32)));
  const int64_t first = Flag(flags, "first", 0);
  const std::string region = flags.count("region") ? flags["region"] : "340722100001";

  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(flags["addr"], grpc::InsecureChannelCredentials(), args);
  auto stub = v1::FuneralService::NewStub(channel);
  if (flags.count("schedule")) {
    v1::SetFuneralFeeScheduleRequest req;
    req.set_region_prefix(region.substr(0, 6));
    req.set_effective_from("2000-01-01");
    auto* item = req.add_items();
    item->set_code("CREMATION");
    item->set_name("遗体火化");
    item->set_amount_fen(100000);
    v1::SetFuneralFeeScheduleResponse resp;
    grpc::ClientContext context;
    Identify(&context);
    grpc::Status s = stub->SetFuneralFeeSchedule(&context, req, &resp);
    if (!s.ok() && s.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      std::cerr << "affairs_bench_client: SetFuneralFeeSchedule: " << s.error_message() << "\n";
      return 1;
    }
  }

  std::atomic<int64_t> next{0};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<double>> latencies(concurrency);
  std::string first_error;
  std::mutex error_mu;
  const auto start = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t i = next++; i < records; i = next++) {
        v1::RecordCremationRequest req;
        req.set_name("逝者");
        req.set_id_number(NthId(first + i));
        req.set_date_of_death("2023-03-01");
        req.set_cremation_date("2023-03-02");
        req.set_funeral_home("枞阳县殡仪馆");
        req.set_region_code(region);
        v1::RecordCremationResponse resp;
        grpc::ClientContext context;
        Identify(&context);
        const auto t0 = SteadyClock::now();
        grpc::Status s = stub->RecordCremation(&context, req, &resp);
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
        if (!s.ok()) {
          ++errors;
          std::lock_guard lock(error_mu);
          if (first_error.empty()) first_error = s.error_message();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  if (!first_error.empty())
    std::cerr << "affairs_bench_client: first error: " << first_error << "\n";
  std::printf("cremations\t%lld\t%lld\t%.2f\t%.0f\t%.2f\t%.2f\n", static_cast<long long>(records),
              static_cast<long long>(errors.load()), seconds,
              static_cast<double>(records - errors.load()) / seconds, pct(0.5), pct(0.99));
  return errors.load() == 0 ? 0 : 1;
}
