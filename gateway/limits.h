// Rate limits and idempotency for the gateway, in Redis when it is reachable and in-process when
// it is not (or not configured):
//
//  - IoRedis: one connection per io thread, driven by that thread's event loop (no thread switch
//    per check), pipelined. Never blocks an io thread: while Redis is down, commands fail at once
//    with UNAVAILABLE and reconnects are tried at most once per retry interval.
//  - RateLimiter: token buckets per subject and per client IP, taken from Redis atomically by a Lua
//    script (Redis's clock) in leased batches per io thread; a local limiter with the same buckets
//    decides when Redis cannot, and gateway_rate_limit_local_total counts those decisions.
//  - IdempotencyStore: `Idempotency-Key` on POST. The first request claims the key (a pending
//    marker, atomically by Lua), its response is stored for 24 h and replayed for the same key and
//    fingerprint; another fingerprint is a mismatch (422), a claim still pending is a concurrent
//    duplicate (409). Falls back to an in-process store (same semantics, per gateway process).
#pragma once

#include <hiredis/hiredis.h>

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace civil::gateway {

using RedisReplyPtr = std::shared_ptr<redisReply>;

// What the limiter and the idempotency store need from Redis.
class RedisLink {
 public:
  using Callback = std::function<void(absl::StatusOr<RedisReplyPtr>)>;
  virtual ~RedisLink() = default;
  // Sends `args`; `callback` runs exactly once with the reply (an error reply is INTERNAL with its
  // text) or UNAVAILABLE.
  virtual void Command(std::vector<std::string> args, Callback callback) = 0;
  // Whether the last attempt to reach Redis worked.
  virtual bool up() const = 0;
  // Runs a Lua script by its SHA1 (EVALSHA), loading it (EVAL) when Redis does not know it.
  // `script` must outlive the call.
  void Eval(const std::string& script, const std::string& sha1, std::vector<std::string> keys,
            std::vector<std::string> args, Callback callback);
};

// A Redis connection owned by one io thread (its io_context), used only from that thread: commands
// are written with asio on the thread's own event loop and replies parsed with hiredis's reader, so
// a limit check costs no thread switch. Commands issued in one turn of the loop go out in one
// write (pipelining). While Redis is unreachable, commands fail at once with UNAVAILABLE and a
// reconnect is tried at most once per retry interval; a reply later than `timeout` drops the
// connection (and fails what was pending).
class IoRedis : public RedisLink {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::chrono::milliseconds timeout{200};
    std::chrono::milliseconds retry_interval{1000};
    size_t max_pending = 20000;
  };
  IoRedis(boost::asio::io_context& io, Options options);
  // Drops pending callbacks without running them (the io thread has stopped by then).
  ~IoRedis() override;

  void Command(std::vector<std::string> args, Callback callback) override;
  bool up() const override { return up_.load(std::memory_order_relaxed); }

 private:
  struct Sent {
    Callback callback;
    std::chrono::steady_clock::time_point at;
  };
  void Connect();
  void OnConnected();
  void Flush();
  void Read();
  void ArmTimer();
  void Fail(const absl::Status& status);
  static void AppendResp(const std::vector<std::string>& args, std::string* out);

  boost::asio::io_context& io_;
  Options options_;
  boost::asio::ip::tcp::endpoint endpoint_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  enum class State { kDown, kConnecting, kUp } state_ = State::kDown;
  std::chrono::steady_clock::time_point next_connect_{};
  std::vector<std::pair<std::vector<std::string>, Callback>> waiting_;  // until connected
  std::deque<Sent> sent_;                                               // awaiting replies
  std::string out_;      // formatted, not yet written
  std::string writing_;  // being written
  bool write_in_flight_ = false;
  bool timer_armed_ = false;
  uint64_t generation_ = 0;  // of the connection; handlers of an older one are ignored
  redisReader* reader_ = nullptr;
  std::array<char, 16384> in_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::atomic<bool> up_{false};
};

// SHA1 hex of a script, as Redis names it.
std::string ScriptSha1(absl::string_view script);

// The SHA1 names (EVALSHA) of the rate limiter's scripts: taking tokens (ARGV rate, burst, need,
// extra, reserve → {taken, ms until the next token when fewer than `need`}: up to `need`, then up
// to `extra` more while `reserve` stay) and putting n unspent tokens back (ARGV rate, burst, n).
// For test doubles of Redis.
const std::string& LeaseScriptSha1();
const std::string& RefundScriptSha1();

// A token bucket: `rate` tokens per second, at most `burst`.
struct BucketSpec {
  double rate = 0;
  int burst = 0;
};

struct LimitCounters {
  std::atomic<uint64_t> local_decisions{0};  // decided in-process because Redis was unreachable
};

// Token buckets per key, in Redis (shared by every gateway, Redis's clock) or, when Redis is not
// configured or fails, in-process.
//
// With Redis, tokens are leased: each io thread takes them from a Redis bucket in batches (one Lua
// call grants up to n tokens at once) and spends them locally, so a busy key costs one Redis round
// trip per batch instead of one per request. A batch covers the requests waiting for that key plus
// what the key is expected to use within kLeaseTtl at its recent pace (none for a key used less
// often than that; at most rate × kLeaseTtl, 1024 tokens and a quarter of the burst), the extra
// only while the bucket keeps that much for every io thread, or half its burst (so near the limit
// no thread holds tokens another is refused for); leased tokens not spent within kLeaseTtl go back
// to Redis. Every admitted request's token came out of the Redis bucket, so several gateways never
// admit more than the bucket allows, except for up to rate × kLeaseTtl tokens a thread may still
// hold after Redis refilled. When Redis answers that a bucket is empty, the thread refuses that key
// locally until Redis said a token would be back.
class RateLimiter {
 public:
  static constexpr int64_t kLeaseTtlMs = 250;
  static constexpr uint32_t kMaxLease = 1024;

  // `threads`: io threads that call Take() (each with its own index and Redis link). `now_ms`: a
  // steady clock in milliseconds (tests replace it).
  explicit RateLimiter(LimitCounters* counters, size_t threads = 1,
                       std::function<int64_t()> now_ms = {});
  ~RateLimiter();

  struct Decision {
    bool allowed = true;
    int retry_after_s = 0;  // when refused: seconds until a token is back (at least 1)
    bool local = false;     // decided in-process
  };
  struct Check {
    std::string key;  // e.g. `civil:gw:rl:r:s:<subject>`; empty = not checked
    BucketSpec bucket;
  };

  // The decision for `checks` (one token from every bucket, or none) when thread `thread` can take
  // it at once: from its leased tokens, or a refusal when a bucket is known to be empty. Nullopt
  // when Redis must be asked (call Take()).
  std::optional<Decision> TryTake(size_t thread, const std::vector<Check>& checks);

  // Takes one token from every bucket of `checks` if each has one; otherwise takes none. Through
  // `redis` (leases, as above), or in-process when it is null or fails. `done` runs once, on the
  // calling thread: at once or when Redis answers (`redis` must answer on that thread).
  void Take(size_t thread, RedisLink* redis, std::vector<Check> checks,
            std::function<void(Decision)> done);

  // The in-process limiter alone (also the fallback). `now_ms` on a steady clock.
  Decision TakeLocal(const std::vector<Check>& checks, int64_t now_ms);

 private:
  struct Tokens {
    double tokens = 0;
    int64_t at_ms = 0;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Tokens> buckets;
  };
  struct Pending;
  struct Lease;
  struct ThreadState;

  void Fetch(size_t thread, RedisLink* redis, const std::string& key, Lease& lease);
  void OnLease(size_t thread, RedisLink* redis, const std::string& key,
               absl::StatusOr<RedisReplyPtr> reply);
  void Decide(size_t thread, Pending* pending);
  void Sweep(ThreadState& state, int64_t now);
  // Drops the unspent tokens of an expired lease, putting them back in Redis.
  void Expire(ThreadState& state, const std::string& key, Lease& lease, int64_t now);
  // Expire() for every lease holding tokens (every kLeaseTtlMs).
  void Refunds(ThreadState& state, int64_t now);

  LimitCounters* counters_;
  std::function<int64_t()> now_ms_;
  std::string sha1_;
  std::string refund_sha1_;
  // Local buckets for a key live in the shard of its first key's hash; every check of one call
  // is decided under one lock.
  static constexpr size_t kShards = 16;
  std::unique_ptr<Shard[]> shards_;
  // Leases of each io thread, touched only by that thread.
  std::vector<std::unique_ptr<ThreadState>> threads_;
};

class IdempotencyStore {
 public:
  IdempotencyStore();

  enum class State {
    kNew,         // claimed: call the backend, then Complete() or Abandon()
    kInProgress,  // another request with this key is still running (409)
    kMismatch,    // this key was used with another request (422)
    kReplay,      // the stored response: status, body
  };
  struct Claim {
    State state = State::kNew;
    int status = 0;
    std::string body;
    bool local = false;  // decided in-process
  };

  // Claims `key` for a request with `fingerprint` (hex) in Redis through `redis` (in-process when
  // it is null or fails); a claim expires after `claim_ttl` unless completed. `done` runs once, on
  // the thread `redis` answers on or the calling thread.
  void Begin(RedisLink* redis, const std::string& key, const std::string& fingerprint,
             std::chrono::milliseconds claim_ttl, std::function<void(Claim)> done);
  // Stores the response for 24 h. `local` as returned by Begin().
  void Complete(RedisLink* redis, const std::string& key, const std::string& fingerprint,
                int status, const std::string& body, bool local);
  // Releases the claim (the request failed in a way a retry may fix, e.g. 503).
  void Abandon(RedisLink* redis, const std::string& key, bool local);

  static constexpr std::chrono::hours kRetention{24};

 private:
  Claim Decide(absl::string_view stored, const std::string& fingerprint);
  Claim BeginLocal(const std::string& key, const std::string& fingerprint,
                   std::chrono::milliseconds claim_ttl);

  struct Entry {
    std::string value;  // same encoding as in Redis
    std::chrono::steady_clock::time_point expires;
  };
  std::string sha1_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> local_;
};

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace civil::gateway
