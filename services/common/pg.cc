#include "services/common/pg.h"

#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace civil {
namespace {

// Adds a connect timeout to a DSN that has none, so an unreachable server costs seconds, not
// minutes, and health can report it.
std::string WithConnectTimeout(const std::string& dsn) {
  if (absl::StrContains(dsn, "connect_timeout")) return dsn;
  if (absl::StartsWith(dsn, "postgres://") || absl::StartsWith(dsn, "postgresql://")) {
    return absl::StrCat(dsn, absl::StrContains(dsn, "?") ? "&" : "?", "connect_timeout=2");
  }
  return absl::StrCat(dsn, " connect_timeout=2");
}

}  // namespace

bool IsConnectionError(const std::exception& error) {
  return dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
         dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr;
}

bool IsRetryableDbError(const std::exception& error) {
  return dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr ||
         dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr;
}

void BackoffBeforeRetry(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  int base_ms = 5 << std::min(attempt, 6);
  std::uniform_int_distribution<int> jitter(0, base_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(base_ms + jitter(rng)));
}

namespace {
thread_local std::optional<CallDeadline::TimePoint> current_deadline;
}  // namespace

void CallDeadline::Enter(TimePoint deadline) {
  if (deadline - std::chrono::system_clock::now() < std::chrono::hours(24)) {
    current_deadline = deadline;
  } else {
    current_deadline.reset();
  }
}

void CallDeadline::Leave() { current_deadline.reset(); }

CallDeadline::Scope::~Scope() { current_deadline = previous_; }

std::optional<CallDeadline::TimePoint> CallDeadline::Current() { return current_deadline; }

absl::Status DeadlinePassed() {
  return absl::DeadlineExceededError(
      "the call's deadline passed before the database finished; nothing was changed");
}

absl::Status DbErrorToStatus(const std::exception& error) {
  if (IsConnectionError(error)) {
    return absl::UnavailableError("database unavailable, try again");
  }
  if (IsRetryableDbError(error)) {
    return absl::AbortedError("concurrent update, try again");
  }
  if (dynamic_cast<const pqxx::unique_violation*>(&error) != nullptr) {
    return absl::AlreadyExistsError("record already exists");
  }
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&error) != nullptr) {
    return absl::FailedPreconditionError("the change breaks a data rule");
  }
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr) {
    // The service's role may not do this (an UPDATE of an append-only table, say): a bug or an
    // attack, never a user's mistake.
    Log(LogLevel::kError, "database refused the service's privilege", {{"sqlstate", "42501"}});
    return absl::PermissionDeniedError("the database refuses this change to its records");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    Log(LogLevel::kError, "database error", {{"sqlstate", sql->sqlstate()}});
  } else {
    Log(LogLevel::kError, "database client error", {{"what", error.what()}});
  }
  return absl::InternalError("internal database error");
}

PgPool::PgPool(Options options, prometheus::Registry* registry)
    : options_(std::move(options)), metrics_(PoolMetrics::Create(registry, "postgres")) {
  options_.dsn = WithConnectTimeout(options_.dsn);
  if (metrics_.max != nullptr) metrics_.max->Set(options_.max_size);
}

PgPool::~PgPool() { Close(); }

void PgPool::Prepare(std::string name, std::string sql) {
  std::lock_guard lock(mu_);
  statements_.emplace_back(std::move(name), std::move(sql));
  for (auto& connection : idle_) {
    connection->prepare(statements_.back().first, statements_.back().second);
    prepared_[connection.get()] = statements_.size();
  }
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Connect(size_t* prepared) {
  std::vector<std::pair<std::string, std::string>> statements;
  {
    std::lock_guard lock(mu_);
    statements = statements_;
  }
  *prepared = statements.size();
  try {
    auto connection = std::make_unique<pqxx::connection>(options_.dsn);
    for (const auto& [name, sql] : statements) connection->prepare(name, sql);
    return connection;
  } catch (const std::exception& error) {
    metrics_.CountConnectError();
    Log(LogLevel::kWarn, "postgres connect failed");
    return absl::UnavailableError("database unavailable, try again");
  }
}

absl::StatusOr<PgPool::Lease> PgPool::Acquire() {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  ++waiting_;
  while (!closed_ && idle_.empty() && open_ >= options_.max_size) {
    UpdateGauges();
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_size) {
      --waiting_;
      UpdateGauges();
      metrics_.CountTimeout();
      return absl::UnavailableError("database busy: no free connection, try again");
    }
  }
  --waiting_;
  if (closed_) return absl::UnavailableError("shutting down");
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
    idle_.pop_back();
    UpdateGauges();
    return Lease(this, std::move(connection));
  }
  ++open_;  // reserve the slot, connect without holding the lock
  UpdateGauges();
  lock.unlock();
  size_t prepared = 0;
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection = Connect(&prepared);
  lock.lock();
  if (!connection.ok()) {
    --open_;
    UpdateGauges();
    cv_.notify_one();
    return connection.status();
  }
  prepared_[connection->get()] = prepared;
  lock.unlock();
  return Lease(this, *std::move(connection));
}

void PgPool::Return(std::unique_ptr<pqxx::connection> connection, bool broken) {
  std::vector<std::unique_ptr<pqxx::connection>> to_close;
  {
    std::lock_guard lock(mu_);
    if (broken || closed_ || !connection->is_open()) {
      --open_;
      prepared_.erase(connection.get());
      to_close.push_back(std::move(connection));
      if (broken) {
        // One broken connection usually means the server restarted: the idle ones are stale too.
        open_ -= static_cast<int>(idle_.size());
        for (auto& c : idle_) {
          prepared_.erase(c.get());
          to_close.push_back(std::move(c));
        }
        idle_.clear();
      }
    } else {
      // Statements prepared while it was out (pqxx defines them now, PostgreSQL at first use).
      size_t& has = prepared_[connection.get()];
      for (; has < statements_.size(); ++has) {
        connection->prepare(statements_[has].first, statements_[has].second);
      }
      idle_.push_back(std::move(connection));
    }
    UpdateGauges();
  }
  cv_.notify_all();
  // Closing may block on the network: done outside the lock.
  to_close.clear();
}

void PgPool::UpdateGauges() {
  metrics_.Set(open_ - static_cast<int>(idle_.size()), static_cast<int>(idle_.size()), waiting_);
}

absl::Status PgPool::Ping() {
  return Read([](pqxx::transaction_base& txn) {
    txn.exec("SELECT 1");
    return absl::OkStatus();
  });
}

void PgPool::Close() {
  std::vector<std::unique_ptr<pqxx::connection>> to_close;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    open_ -= static_cast<int>(idle_.size());
    for (auto& c : idle_) prepared_.erase(c.get());
    to_close = std::move(idle_);
    idle_.clear();
    UpdateGauges();
  }
  cv_.notify_all();
}

PgPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), broken_(other.broken_) {
  other.pool_ = nullptr;
}

PgPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Return(std::move(connection_), broken_);
}

}  // namespace civil
