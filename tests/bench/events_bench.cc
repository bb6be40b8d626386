// Events end to end (outbox → relay → Redis Stream → consumer transaction with inbox) on a real
// PostgreSQL and Redis: throughput over a backlog, and delivery latency at a steady rate, each
// beside a baseline measured in the same run (plain PostgreSQL inserts in the same transaction
// sizes). Prints a markdown table; no pass/fail.
//
//   events_bench PG_HOST PG_PORT REDIS_PORT [BACKLOG=20000] [RATE=500] [SECONDS=10] [BATCH]
//
// BATCH is the consumer's entries per read (and so per transaction), default the consumer's
// default; the baseline inserts the same number of rows per transaction.
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "services/common/events.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"

namespace {

using Clock = std::chrono::steady_clock;
using civil::events::v1::PersonDeceased;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

int64_t Scalar(pqxx::connection& c, const std::string& sql) {
  pqxx::nontransaction txn(c);
  return txn.exec1(sql)[0].as<int64_t>();
}

int64_t Scalar(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  return Scalar(c, sql);
}

std::string Dsn(const std::string& host, const std::string& port, const std::string& db) {
  return "host=" + host + " port=" + port + " user=civil dbname=" + db;
}

void CreateDatabase(const std::string& host, const std::string& port, const std::string& db) {
  pqxx::connection admin(Dsn(host, port, "postgres"));
  pqxx::nontransaction txn(admin);
  txn.exec("DROP DATABASE IF EXISTS " + db);
  txn.exec("CREATE DATABASE " + db);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: events_bench PG_HOST PG_PORT REDIS_PORT [BACKLOG] [RATE] [SECONDS] "
                 "[BATCH]\n");
    return 2;
  }
  const std::string host = argv[1], port = argv[2];
  const int redis_port = std::atoi(argv[3]);
  const int backlog = argc > 4 ? std::atoi(argv[4]) : 20000;
  const int rate = argc > 5 ? std::atoi(argv[5]) : 500;
  const int seconds = argc > 6 ? std::atoi(argv[6]) : 10;
  const int batch = argc > 7 ? std::atoi(argv[7]) : civil::EventConsumer::Options{}.count;

  CreateDatabase(host, port, "bench_producer");
  CreateDatabase(host, port, "bench_consumer");
  const std::string producer = Dsn(host, port, "bench_producer");
  const std::string consumer_dsn = Dsn(host, port, "bench_consumer");
  const std::vector<civil::Migration> deaths = {
      {1, "0001_deaths",
       "CREATE TABLE deaths (subject text PRIMARY KEY, died date NOT NULL); "
       "CREATE TABLE baseline (subject text PRIMARY KEY, died date NOT NULL)"}};
  if (!civil::ApplyMigrations(producer, "bench", civil::WithCommonMigrations({})).ok() ||
      !civil::ApplyMigrations(consumer_dsn, "bench", civil::WithCommonMigrations(deaths)).ok()) {
    std::fprintf(stderr, "migrations failed\n");
    return 1;
  }
  civil::PgPool pool({consumer_dsn, 4, std::chrono::seconds(10)}, nullptr);
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::atomic<bool> record{false};

  auto write = [&](int from, int count, int per_txn) {
    pqxx::connection c(producer);
    for (int i = 0; i < count; i += per_txn) {
      pqxx::work txn(c);
      for (int k = i; k < std::min(count, i + per_txn); ++k) {
        PersonDeceased p;
        p.set_date_of_death("2023-05-01");
        civil::WriteEvent(txn, "benchsrc", {"s" + std::to_string(from + k), "masked"}, p);
      }
      txn.commit();
    }
  };

  // 1. Throughput over a backlog: the outbox holds BACKLOG events, then relay and consumer run.
  write(0, backlog, 500);
  civil::OutboxRelay relay({.source = "benchsrc", .pg_dsn = producer, .redis_port = redis_port},
                           nullptr);
  civil::EventConsumer consumer({.service = "benchdst",
                                 .consumer = "c1",
                                 .redis_port = redis_port,
                                 .count = batch,
                                 .block = std::chrono::milliseconds(50)},
                                &pool, nullptr);
  consumer.On<PersonDeceased>(
      "benchsrc",
      [&](pqxx::transaction_base& txn, const civil::events::v1::Envelope& e,
          const PersonDeceased& p) -> absl::Status {
        txn.exec_params("INSERT INTO deaths VALUES ($1, $2::date)", e.subject_index(),
                        p.date_of_death());
        if (record) {
          const auto now = absl::ToUnixMicros(absl::Now());
          const auto at =
              google::protobuf::util::TimeUtil::TimestampToMicroseconds(e.occurred_at());
          std::lock_guard lock(mu);
          latencies_ms.push_back(static_cast<double>(now - at) / 1000.0);
        }
        return absl::OkStatus();
      });
  // Baseline: the same rows straight into PostgreSQL, `batch` per transaction (the consumer's),
  // in the consumer's database. Run just before and just after the events and timed together,
  // so that both sides see the same load on a shared machine.
  auto baseline = [&](const std::string& prefix) {
    const auto t0 = Clock::now();
    pqxx::connection c(consumer_dsn);
    for (int i = 0; i < backlog; i += batch) {
      pqxx::work txn(c);
      for (int k = i; k < std::min(backlog, i + batch); ++k) {
        txn.exec_params("INSERT INTO baseline VALUES ($1, '2023-05-01')",
                        prefix + std::to_string(k));
      }
      txn.commit();
    }
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  double base_s = baseline("a");

  // Progress is watched over one connection opened beforehand: a connection per look would
  // charge the measurement's own backend start-ups to the events.
  pqxx::connection watch(consumer_dsn);
  const auto start = Clock::now();
  relay.Start();
  consumer.Start();
  while (Scalar(watch, "SELECT count(*) FROM deaths") < backlog) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (Clock::now() - start > std::chrono::minutes(5)) break;
  }
  const double drain_s = std::chrono::duration<double>(Clock::now() - start).count();
  const int64_t applied = Scalar(watch, "SELECT count(*) FROM deaths");

  base_s += baseline("b");
  const double base_rate = 2.0 * backlog / base_s;

  // 2. Latency at a steady rate: one event per producer transaction, RATE per second.
  record = true;
  std::vector<double> commit_ms;
  {
    pqxx::connection c(producer);
    const auto period = std::chrono::microseconds(1000000 / std::max(1, rate));
    auto next = Clock::now();
    for (int i = 0; i < rate * seconds; ++i) {
      std::this_thread::sleep_until(next);
      next += period;
      const auto t0 = Clock::now();
      pqxx::work txn(c);
      PersonDeceased p;
      p.set_date_of_death("2023-05-02");
      civil::WriteEvent(txn, "benchsrc", {"r" + std::to_string(i), "masked"}, p);
      txn.commit();
      commit_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
  }
  const int64_t expected = backlog + static_cast<int64_t>(rate) * seconds;
  const auto wait_start = Clock::now();
  while (Scalar(consumer_dsn, "SELECT count(*) FROM deaths") < expected &&
         Clock::now() - wait_start < std::chrono::seconds(30)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  consumer.Stop();
  relay.Stop();
  std::vector<double> lat;
  {
    std::lock_guard lock(mu);
    lat = latencies_ms;
  }
  std::printf("\n## events — outbox → relay → stream → consumer, one run\n\n");
  std::printf("| measure | events | baseline | ratio | target |\n|---|---:|---:|---:|---:|\n");
  std::printf(
      "| throughput over a %d backlog (events/s; baseline: plain inserts, %d per txn, run "
      "before and after) | %.0f | %.0f | %.2f | ≥ 5000 |\n",
      backlog, batch, applied / drain_s, base_rate, (applied / drain_s) / base_rate);
  std::printf(
      "| delivery latency p50 at %d/s (ms; baseline: the producer's commit) | %.1f | %.1f | | |\n",
      rate, Percentile(lat, 0.50), Percentile(commit_ms, 0.50));
  std::printf(
      "| delivery latency p99 at %d/s (ms; baseline: the producer's commit) | %.1f | %.1f | | ≤ "
      "200 |\n",
      rate, Percentile(lat, 0.99), Percentile(commit_ms, 0.99));
  std::printf("| events applied / expected | %lld / %lld | | | |\n",
              static_cast<long long>(Scalar(consumer_dsn, "SELECT count(*) FROM deaths")),
              static_cast<long long>(expected));
  return 0;
}
