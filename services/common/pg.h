// PostgreSQL access for every service: a bounded connection pool with prepared statements that
// survives server restarts, a transaction helper that retries serialization failures, and the
// mapping of libpqxx (6.x) exceptions to absl::Status.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/pool_metrics.h"

namespace civil {

// The deadline of the RPC the calling thread is serving: the kit's server interceptor
// (server.h) enters it before the handler runs and leaves it when the status is sent, for every
// RPC of every department. A transaction begun under it runs its statements with
// statement_timeout set to what is left of it, and never commits once it has passed: a caller
// who got DEADLINE_EXCEEDED never finds the change made afterwards.
class CallDeadline {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  // No deadline when `deadline` is more than a day away (gRPC's "infinite").
  static void Enter(TimePoint deadline);
  static void Leave();
  static std::optional<TimePoint> Current();
  // Enters `deadline` for a scope (tests, and work a handler hands to no other thread).
  class Scope {
   public:
    explicit Scope(TimePoint deadline) : previous_(Current()) { Enter(deadline); }
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::optional<TimePoint> previous_;
  };
};

// DEADLINE_EXCEEDED: the call's deadline passed before the database had done its work.
absl::Status DeadlinePassed();

// Maps an exception thrown by libpqxx to a status without SQL text: unique violation →
// ALREADY_EXISTS, serialization failure or deadlock → ABORTED, broken connection → UNAVAILABLE,
// check/foreign-key/not-null violation → FAILED_PRECONDITION, anything else → INTERNAL. The
// SQLSTATE is logged, never returned.
absl::Status DbErrorToStatus(const std::exception& error);

// A bounded pool of PostgreSQL connections. Thread-safe.
//
// Connections are opened on demand up to `max_size`. A connection found broken (server restart,
// network) is dropped and replaced on a later acquire, so the process never needs a restart;
// while the server is down, callers get UNAVAILABLE.
class PgPool {
 public:
  struct Options {
    std::string dsn;
    int max_size = 8;
    std::chrono::milliseconds acquire_timeout{2000};
  };

  class Lease;

  // `registry` may be null (no metrics).
  PgPool(Options options, prometheus::Registry* registry);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Declares a statement that every connection prepares under `name`: the idle ones now, one
  // leased or being opened when it comes back, new ones as they open.
  void Prepare(std::string name, std::string sql);

  // A connection for the caller's exclusive use until the lease is destroyed. UNAVAILABLE when
  // none is free within the acquire timeout, the server cannot be reached, or the pool is closed.
  absl::StatusOr<Lease> Acquire();

  // OK when a connection can run `SELECT 1`; UNAVAILABLE otherwise. Used for health.
  absl::Status Ping();

  // Refuses new acquires and closes idle connections; leased ones close when returned.
  void Close();

  // Runs `fn` in one transaction at isolation level `Isolation` and commits when it returns OK.
  // A serialization failure or deadlock is retried (up to `attempts` times in all); `fn` must be
  // safe to run again. Returns `fn`'s error, or the mapped database error (DbErrorToStatus).
  template <pqxx::isolation_level Isolation = pqxx::read_committed, typename Fn>
  absl::Status Transact(Fn&& fn, int attempts = 3);

  // Runs `fn` on a connection outside any explicit transaction block (pqxx::nontransaction),
  // for single read-only statements. Same error mapping as Transact.
  template <typename Fn>
  absl::Status Read(Fn&& fn);

 private:
  friend class Lease;
  // A new connection with the statements prepared so far (`*prepared` of them).
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect(size_t* prepared);
  void Return(std::unique_ptr<pqxx::connection> connection, bool broken);
  void UpdateGauges();  // mu_ held

  Options options_;
  PoolMetrics metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::vector<std::pair<std::string, std::string>> statements_;
  // How many of statements_ each open connection has: a statement prepared while a connection
  // is leased or being opened is added to it when it comes back (Return), never missed.
  std::unordered_map<const pqxx::connection*, size_t> prepared_;
  int open_ = 0;     // idle + leased + being opened
  int waiting_ = 0;  // callers blocked in Acquire
  bool closed_ = false;
};

// Exclusive use of one pooled connection; returned to the pool on destruction.
class PgPool::Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  pqxx::connection& connection() { return *connection_; }
  // The connection failed; the pool drops it instead of reusing it.
  void MarkBroken() { broken_ = true; }

 private:
  friend class PgPool;
  Lease(PgPool* pool, std::unique_ptr<pqxx::connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PgPool* pool_;
  std::unique_ptr<pqxx::connection> connection_;
  bool broken_ = false;
};

// Whether `error` is worth retrying the whole transaction for.
bool IsRetryableDbError(const std::exception& error);
// Whether `error` means the connection is unusable.
bool IsConnectionError(const std::exception& error);
// Sleeps a short, growing, jittered delay before retry number `attempt` (1-based).
void BackoffBeforeRetry(int attempt);

template <pqxx::isolation_level Isolation, typename Fn>
absl::Status PgPool::Transact(Fn&& fn, int attempts) {
  absl::Status last;
  // One extra try is granted when BEGIN itself fails on a connection that went stale (server
  // restart): nothing was sent, so running again on a fresh connection is always safe.
  bool stale_retry_left = true;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) return lease.status();
    std::optional<pqxx::transaction<Isolation>> txn;
    try {
      txn.emplace(lease->connection());
    } catch (const std::exception& error) {
      if (IsConnectionError(error)) lease->MarkBroken();
      if (IsConnectionError(error) && stale_retry_left) {
        stale_retry_left = false;
        --attempt;
        continue;
      }
      return DbErrorToStatus(error);
    }
    const std::optional<CallDeadline::TimePoint> deadline = CallDeadline::Current();
    try {
      if (deadline.has_value()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            *deadline - std::chrono::system_clock::now());
        if (left.count() <= 0) {
          txn->abort();
          return DeadlinePassed();
        }
        txn->exec("SET LOCAL statement_timeout = " + std::to_string(left.count()));
      }
      absl::Status status = fn(static_cast<pqxx::transaction_base&>(*txn));
      if (!status.ok()) {
        txn->abort();
        return status;
      }
      if (deadline.has_value() && std::chrono::system_clock::now() >= *deadline) {
        txn->abort();  // the caller has its answer already: nothing may commit after it
        return DeadlinePassed();
      }
      txn->commit();
      return absl::OkStatus();
    } catch (const std::exception& error) {
      if (IsConnectionError(error)) lease->MarkBroken();
      if (deadline.has_value() && std::chrono::system_clock::now() >= *deadline) {
        return DeadlinePassed();  // statement_timeout, or anything else past the deadline
      }
      last = DbErrorToStatus(error);
      if (!IsRetryableDbError(error) || attempt == attempts) return last;
    }
    txn.reset();
    BackoffBeforeRetry(attempt);
  }
  return last;
}

template <typename Fn>
absl::Status PgPool::Read(Fn&& fn) {
  // A read is safe to run again: one retry on a fresh connection when the first one was stale.
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) return lease.status();
    try {
      pqxx::nontransaction txn(lease->connection());
      return fn(static_cast<pqxx::transaction_base&>(txn));
    } catch (const std::exception& error) {
      if (!IsConnectionError(error)) return DbErrorToStatus(error);
      lease->MarkBroken();
      if (attempt == 2) return DbErrorToStatus(error);
    }
  }
}

}  // namespace civil
