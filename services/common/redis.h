// Redis access for every service (hiredis 0.14): a small pool of connections with connect and
// command timeouts, reconnect after failures, and a read-through cache helper.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/common/pool_metrics.h"

namespace civil {

// A Redis reply, freed when it goes out of scope.
struct RedisReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

// A pool of Redis connections. Thread-safe.
//
// Each command runs on a connection of its own for its duration. A connection that fails is
// dropped; while Redis stays unreachable, new connects are tried at most once per
// `retry_interval`, and callers get UNAVAILABLE at once instead of waiting, so a fallback path
// (PostgreSQL) stays fast.
class RedisClient {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    int max_size = 8;
    std::chrono::milliseconds timeout{200};
    std::chrono::milliseconds retry_interval{1000};
  };

  RedisClient(Options options, prometheus::Registry* registry);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command given as separate arguments (binary-safe). UNAVAILABLE when Redis cannot
  // be reached or times out; INTERNAL when Redis answers with an error reply (its text included).
  absl::StatusOr<RedisReply> Command(const std::vector<absl::string_view>& args);

  // GET: the value, or nullopt when the key does not exist.
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key);
  // SET key value EX ttl.
  absl::Status SetEx(absl::string_view key, absl::string_view value, std::chrono::seconds ttl);
  // DEL key.
  absl::Status Del(absl::string_view key);
  // PING.
  absl::Status Ping();

  // Closes idle connections and refuses further commands.
  void Close();

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  using Context = std::unique_ptr<redisContext, ContextDeleter>;

  absl::StatusOr<Context> Take();
  void Give(Context context);

  Options options_;
  PoolMetrics metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Context> idle_;
  int open_ = 0;
  int waiting_ = 0;
  bool closed_ = false;
  std::chrono::steady_clock::time_point next_connect_;
};

// Read-through cache over RedisClient: values are bytes (usually a serialized response),
// keys are `<prefix>:<key>`. Redis being down never fails a read: it falls back to the loader.
//
// After a write commits, call Invalidate. A read that raced with the write may put the old value
// back; the TTL bounds how long it can stay.
class ReadThroughCache {
 public:
  // `registry` may be null. `name` labels civil_cache_requests_total{cache,result}.
  ReadThroughCache(RedisClient* redis, std::string prefix, std::chrono::seconds ttl,
                   prometheus::Registry* registry, const std::string& name);

  // The cached value of `key`, or `load()`'s value (then stored for the TTL). Returns `load()`'s
  // error as it is; nothing is cached then.
  absl::StatusOr<std::string> Get(absl::string_view key,
                                  absl::FunctionRef<absl::StatusOr<std::string>()> load);

  // Drops `key` from the cache; a Redis failure is counted, not returned (the TTL bounds it).
  void Invalidate(absl::string_view key);

 private:
  std::string Key(absl::string_view key) const;

  RedisClient* redis_;
  std::string prefix_;
  std::chrono::seconds ttl_;
  prometheus::Counter* hits_ = nullptr;
  prometheus::Counter* misses_ = nullptr;
  prometheus::Counter* errors_ = nullptr;
};

}  // namespace civil
