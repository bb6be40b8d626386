#include "gateway/limits.h"

#include <hiredis/read.h>
#include <openssl/evp.h>

#include <algorithm>
#include <boost/asio/write.hpp>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace civil::gateway {
namespace {

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string DigestHex(absl::string_view data, const EVP_MD* md) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

// KEYS[1]: the bucket; ARGV: rate, burst, need, extra, reserve. Takes up to `need` whole tokens
// (as many as the bucket has), then up to `extra` more as long as `reserve` tokens stay in the
// bucket (a lease is taken only from a bucket far from empty). Returns {tokens taken, 0} or, when
// fewer than `need` were there, {tokens taken, milliseconds until the next token}. The hash
// fields `t` (tokens) and `at` (ms) are those every gateway version uses.
constexpr char kLeaseScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(v[1])
local at = tonumber(v[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
local granted = math.max(0, math.min(need, math.floor(tokens)))
tokens = tokens - granted
local wait = 0
if granted < need then
  wait = math.ceil((1 - tokens) * 1000 / rate)
else
  local extra = math.max(0, math.min(tonumber(ARGV[4]), math.floor(tokens - tonumber(ARGV[5]))))
  granted = granted + extra
  tokens = tokens - extra
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {granted, wait}
)lua";

// KEYS[1]: the bucket; ARGV: rate, burst, n. Puts back n leased tokens that were not spent (at most
// up to the burst); a bucket that expired meanwhile is full anyway.
constexpr char kRefundScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(v[1])
local at = tonumber(v[2])
if tokens == nil or at == nil then return 0 end
if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
tokens = math.min(burst, tokens + tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return 1
)lua";

// KEYS[1]: the idempotency key; ARGV[1]: fingerprint; ARGV[2]: claim TTL in ms. Returns the stored
// value, or "" after claiming the key.
constexpr char kClaimScript[] = R"lua(
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], 'P' .. ARGV[1], 'PX', ARGV[2])
return ''
)lua";

const std::string& LeaseScript() {
  static const std::string* s = new std::string(kLeaseScript);
  return *s;
}
const std::string& RefundScript() {
  static const std::string* s = new std::string(kRefundScript);
  return *s;
}
const std::string& ClaimScript() {
  static const std::string* s = new std::string(kClaimScript);
  return *s;
}

int RetryAfterSeconds(double wait_ms) {
  return std::max(1, static_cast<int>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace

std::string Sha256Hex(absl::string_view data) { return DigestHex(data, EVP_sha256()); }
std::string ScriptSha1(absl::string_view script) { return DigestHex(script, EVP_sha1()); }

const std::string& LeaseScriptSha1() {
  static const std::string* sha1 = new std::string(ScriptSha1(kLeaseScript));
  return *sha1;
}
const std::string& RefundScriptSha1() {
  static const std::string* sha1 = new std::string(ScriptSha1(kRefundScript));
  return *sha1;
}

// --- RedisLink ----------------------------------------------------------------------------------

void RedisLink::Eval(const std::string& script, const std::string& sha1,
                     std::vector<std::string> keys, std::vector<std::string> args,
                     Callback callback) {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.push_back("EVALSHA");
  command.push_back(sha1);
  command.push_back(std::to_string(keys.size()));
  for (std::string& k : keys) command.push_back(std::move(k));
  for (std::string& a : args) command.push_back(std::move(a));
  const std::string* text = &script;
  std::vector<std::string> again = command;
  Command(std::move(command),
          [this, text, again = std::move(again),
           callback = std::move(callback)](absl::StatusOr<RedisReplyPtr> reply) mutable {
            if (!reply.ok() && absl::StartsWith(reply.status().message(), "NOSCRIPT")) {
              again[0] = "EVAL";
              again[1] = *text;
              return Command(std::move(again), std::move(callback));
            }
            callback(std::move(reply));
          });
}

// --- IoRedis ------------------------------------------------------------------------------------

IoRedis::IoRedis(boost::asio::io_context& io, Options options)
    : io_(io), options_(std::move(options)), socket_(io), timer_(io) {
  boost::system::error_code ec;
  boost::asio::ip::address address = boost::asio::ip::make_address(options_.host, ec);
  if (ec) {
    // A host name: resolved once, here (start-up), never on the request path.
    boost::asio::ip::tcp::resolver resolver(io);
    auto results = resolver.resolve(options_.host, std::to_string(options_.port), ec);
    if (!ec && !results.empty()) address = results.begin()->endpoint().address();
  }
  endpoint_ = boost::asio::ip::tcp::endpoint(address, static_cast<uint16_t>(options_.port));
  reader_ = redisReaderCreate();
}

IoRedis::~IoRedis() {
  *alive_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  if (reader_ != nullptr) redisReaderFree(reader_);
}

void IoRedis::AppendResp(const std::vector<std::string>& args, std::string* out) {
  absl::StrAppend(out, "*", args.size(), "\r\n");
  for (const std::string& a : args) absl::StrAppend(out, "$", a.size(), "\r\n", a, "\r\n");
}

void IoRedis::Command(std::vector<std::string> args, Callback callback) {
  switch (state_) {
    case State::kDown:
      if (std::chrono::steady_clock::now() < next_connect_) {
        return callback(absl::UnavailableError("redis is unreachable"));
      }
      Connect();
      [[fallthrough]];
    case State::kConnecting:
      if (waiting_.size() >= options_.max_pending) {
        return callback(absl::UnavailableError("redis: too many commands waiting"));
      }
      waiting_.emplace_back(std::move(args), std::move(callback));
      return;
    case State::kUp:
      if (sent_.size() >= options_.max_pending) {
        return callback(absl::UnavailableError("redis: too many commands pending"));
      }
      AppendResp(args, &out_);
      sent_.push_back(Sent{std::move(callback), std::chrono::steady_clock::now()});
      if (!write_in_flight_) Flush();
      ArmTimer();
      return;
  }
}

void IoRedis::Connect() {
  state_ = State::kConnecting;
  boost::system::error_code ignored;
  socket_.close(ignored);
  redisReaderFree(reader_);
  reader_ = redisReaderCreate();
  const uint64_t generation = ++generation_;
  std::weak_ptr<bool> alive = alive_;
  socket_.async_connect(endpoint_, [this, alive, generation](boost::system::error_code ec) {
    if (alive.expired() || !*alive.lock() || generation != generation_) return;
    if (ec) return Fail(absl::UnavailableError(absl::StrCat("redis: ", ec.message())));
    OnConnected();
  });
  timer_armed_ = false;  // a fresh deadline for the connect (expires_after cancels the old wait)
  ArmTimer();
}

void IoRedis::OnConnected() {
  boost::system::error_code ignored;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  state_ = State::kUp;
  up_.store(true, std::memory_order_relaxed);
  std::vector<std::pair<std::vector<std::string>, Callback>> waiting;
  waiting.swap(waiting_);
  const auto now = std::chrono::steady_clock::now();
  for (auto& [args, callback] : waiting) {
    AppendResp(args, &out_);
    sent_.push_back(Sent{std::move(callback), now});
  }
  Read();
  if (!out_.empty()) Flush();
}

void IoRedis::Flush() {
  writing_.clear();
  writing_.swap(out_);
  write_in_flight_ = true;
  const uint64_t generation = generation_;
  std::weak_ptr<bool> alive = alive_;
  boost::asio::async_write(
      socket_, boost::asio::buffer(writing_),
      [this, alive, generation](boost::system::error_code ec, size_t) {
        if (alive.expired() || !*alive.lock() || generation != generation_) {
          return;
        }
        write_in_flight_ = false;
        if (ec) {
          return Fail(absl::UnavailableError(absl::StrCat("redis: ", ec.message())));
        }
        if (state_ == State::kUp && !out_.empty()) Flush();
      });
}

void IoRedis::Read() {
  const uint64_t generation = generation_;
  std::weak_ptr<bool> alive = alive_;
  socket_.async_read_some(boost::asio::buffer(in_), [this, alive, generation](
                                                        boost::system::error_code ec, size_t n) {
    if (alive.expired() || !*alive.lock() || generation != generation_ || state_ != State::kUp) {
      return;
    }
    if (ec) return Fail(absl::UnavailableError(absl::StrCat("redis: ", ec.message())));
    if (redisReaderFeed(reader_, in_.data(), n) != REDIS_OK) {
      return Fail(absl::UnavailableError("redis: unreadable reply"));
    }
    while (true) {
      void* raw = nullptr;
      if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
        return Fail(absl::UnavailableError("redis: protocol error"));
      }
      if (raw == nullptr) break;
      RedisReplyPtr reply(static_cast<redisReply*>(raw), freeReplyObject);
      if (sent_.empty()) return Fail(absl::UnavailableError("redis: unexpected reply"));
      Callback callback = std::move(sent_.front().callback);
      sent_.pop_front();
      if (reply->type == REDIS_REPLY_ERROR) {
        callback(absl::InternalError(std::string(reply->str, reply->len)));
      } else {
        callback(std::move(reply));
      }
      if (state_ != State::kUp) return;  // a callback's command failed the connection
    }
    Read();
  });
}

void IoRedis::ArmTimer() {
  if (timer_armed_) return;
  timer_armed_ = true;
  timer_.expires_after(options_.timeout);
  std::weak_ptr<bool> alive = alive_;
  timer_.async_wait([this, alive](boost::system::error_code ec) {
    if (alive.expired() || !*alive.lock() || ec == boost::asio::error::operation_aborted) return;
    timer_armed_ = false;
    const auto late = std::chrono::steady_clock::now() - options_.timeout;
    if (state_ == State::kConnecting) {
      return Fail(absl::UnavailableError("redis: connect timed out"));
    }
    if (!sent_.empty() && sent_.front().at <= late) {
      return Fail(absl::UnavailableError("redis: reply timed out"));
    }
    if (!sent_.empty()) ArmTimer();
  });
}

void IoRedis::Fail(const absl::Status& status) {
  state_ = State::kDown;
  up_.store(false, std::memory_order_relaxed);
  next_connect_ = std::chrono::steady_clock::now() + options_.retry_interval;
  boost::system::error_code ignored;
  socket_.close(ignored);  // pending handlers see operation_aborted and an old generation
  ++generation_;
  out_.clear();
  write_in_flight_ = false;
  std::deque<Sent> sent;
  sent.swap(sent_);
  std::vector<std::pair<std::vector<std::string>, Callback>> waiting;
  waiting.swap(waiting_);
  for (Sent& s : sent) s.callback(status);
  for (auto& w : waiting) w.second(status);
}

// --- RateLimiter -------------------------------------------------------------------------------

struct RateLimiter::Pending {
  std::vector<Check> checks;
  std::function<void(Decision)> done;
  absl::InlinedVector<bool, 2> reserved;  // a token of checks[i] is held for this request
  int outstanding = 1;  // keys still being fetched, + 1 while Take() registers them
  int64_t wait_ms = 0;  // the longest wait of a key that had no token
  bool failed = false;  // Redis did not answer for a key: decide in-process
};

struct RateLimiter::Lease {
  BucketSpec bucket;
  int64_t tokens = 0;          // leased, not spent yet
  int64_t expires_ms = 0;      // leased tokens are dropped then
  int64_t empty_until_ms = 0;  // Redis said the bucket has no token before then
  int64_t last_used_ms = 0;
  int64_t last_fetch_ms = 0;
  uint32_t used = 0;  // tokens spent since the last fetch: the demand, for the next prefetch
  bool fetching = false;
  bool holding = false;          // in ThreadState::holding
  std::vector<Pending*> sent;    // waiting for the fetch in flight
  std::vector<Pending*> queued;  // waiting for the next fetch
};

struct RateLimiter::ThreadState {
  absl::flat_hash_map<std::string, Lease> leases;
  RedisLink* redis = nullptr;        // this thread's link (the same on every call)
  std::vector<std::string> holding;  // keys whose leases may hold unspent tokens
  int64_t next_sweep_ms = 0;
  int64_t next_refund_ms = 0;
};

RateLimiter::RateLimiter(LimitCounters* counters, size_t threads, std::function<int64_t()> now_ms)
    : counters_(counters),
      now_ms_(std::move(now_ms)),
      sha1_(LeaseScriptSha1()),
      refund_sha1_(RefundScriptSha1()),
      shards_(new Shard[kShards]) {
  if (!now_ms_) now_ms_ = [] { return SteadyNs() / 1000000; };
  for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i) {
    threads_.push_back(std::make_unique<ThreadState>());
  }
}

RateLimiter::~RateLimiter() {
  // Pending requests hold callbacks into connections that are gone by now: drop them.
  for (auto& state : threads_) {
    absl::flat_hash_set<Pending*> pending;
    for (auto& [key, lease] : state->leases) {
      pending.insert(lease.sent.begin(), lease.sent.end());
      pending.insert(lease.queued.begin(), lease.queued.end());
    }
    for (Pending* p : pending) delete p;
  }
}

RateLimiter::Decision RateLimiter::TakeLocal(const std::vector<Check>& checks, int64_t now_ms) {
  Decision decision;
  decision.local = true;
  // Each key lives in the shard of its hash; the shards a call needs are locked in index order.
  std::vector<size_t> shard_of(checks.size(), kShards);
  std::vector<size_t> locked;
  for (size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].key.empty()) continue;
    shard_of[i] = absl::Hash<std::string>()(checks[i].key) % kShards;
    locked.push_back(shard_of[i]);
  }
  std::sort(locked.begin(), locked.end());
  locked.erase(std::unique(locked.begin(), locked.end()), locked.end());
  for (size_t s : locked) {
    shards_[s].mu.Lock();
    if (shards_[s].buckets.size() > 100000) {
      // Drop buckets idle for a minute: they have refilled, and a new bucket starts full anyway.
      auto& buckets = shards_[s].buckets;
      for (auto it = buckets.begin(); it != buckets.end();) {
        if (now_ms - it->second.at_ms > 60000) {
          buckets.erase(it++);
        } else {
          ++it;
        }
      }
    }
  }
  // Insert first, then take pointers: flat_hash_map moves its elements when it grows.
  for (size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    if (c.key.empty()) continue;
    auto [it, inserted] = shards_[shard_of[i]].buckets.try_emplace(c.key);
    if (inserted) it->second = Tokens{static_cast<double>(c.bucket.burst), now_ms};
  }
  double wait_ms = 0;
  std::vector<std::pair<Tokens*, double>> taken;
  for (size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    if (c.key.empty()) continue;
    Tokens& t = shards_[shard_of[i]].buckets.find(c.key)->second;
    double tokens = t.tokens;
    if (now_ms > t.at_ms) {
      tokens = std::min<double>(
          c.bucket.burst, tokens + static_cast<double>(now_ms - t.at_ms) * c.bucket.rate / 1000);
    }
    if (tokens < 1) wait_ms = std::max(wait_ms, (1 - tokens) * 1000 / c.bucket.rate);
    taken.emplace_back(&t, tokens);
  }
  if (wait_ms > 0) {
    decision.allowed = false;
    decision.retry_after_s = RetryAfterSeconds(wait_ms);
  } else {
    for (auto& [t, tokens] : taken) {
      t->tokens = tokens - 1;
      t->at_ms = now_ms;
    }
  }
  for (auto it = locked.rbegin(); it != locked.rend(); ++it) shards_[*it].mu.Unlock();
  return decision;
}

namespace {

// The most a lease may hold: rate × the lease time (so it never holds more than the bucket refills
// meanwhile), kMaxLease, a quarter of the burst.
int64_t LeaseCap(const BucketSpec& bucket) {
  const double by_rate = bucket.rate * static_cast<double>(RateLimiter::kLeaseTtlMs) / 1000.0;
  return static_cast<int64_t>(
      std::min<double>({by_rate, static_cast<double>(RateLimiter::kMaxLease),
                        static_cast<double>(bucket.burst) / 4}));
}

// Tokens a fetch asks for beyond the requests waiting: what the key is expected to use within the
// lease time at the pace it used tokens since the last fetch (nothing for a key used less than
// once per lease time), at most LeaseCap().
int64_t Prefetch(const BucketSpec& bucket, uint32_t used, int64_t since_last_fetch_ms) {
  if (used == 0) return 0;
  since_last_fetch_ms = std::max<int64_t>(since_last_fetch_ms, 1);  // a millisecond clock
  const int64_t cap = LeaseCap(bucket);
  const auto expected = static_cast<int64_t>(static_cast<double>(used) *
                                             static_cast<double>(RateLimiter::kLeaseTtlMs) /
                                             static_cast<double>(since_last_fetch_ms));
  return std::max<int64_t>(0, std::min(cap, expected));
}

}  // namespace

void RateLimiter::Expire(ThreadState& state, const std::string& key, Lease& lease, int64_t now) {
  if (now < lease.expires_ms || lease.tokens <= 0) return;
  // Leased and not spent: back to Redis, so that a key used in bursts is not charged for them.
  if (state.redis != nullptr) {
    state.redis->Eval(RefundScript(), refund_sha1_, {key},
                      {absl::StrCat(lease.bucket.rate), absl::StrCat(lease.bucket.burst),
                       absl::StrCat(lease.tokens)},
                      [](absl::StatusOr<RedisReplyPtr>) {});
  }
  lease.tokens = 0;
}

void RateLimiter::Refunds(ThreadState& state, int64_t now) {
  state.next_refund_ms = now + kLeaseTtlMs;
  std::vector<std::string> holding;
  holding.swap(state.holding);
  for (std::string& key : holding) {
    auto it = state.leases.find(key);
    if (it == state.leases.end()) continue;
    Expire(state, key, it->second, now);
    if (it->second.tokens > 0) {
      state.holding.push_back(std::move(key));
    } else {
      it->second.holding = false;
    }
  }
}

std::optional<RateLimiter::Decision> RateLimiter::TryTake(size_t thread,
                                                          const std::vector<Check>& checks) {
  ThreadState& state = *threads_[thread % threads_.size()];
  const int64_t now = now_ms_();
  if (now >= state.next_refund_ms) Refunds(state, now);
  Lease* leases[4];
  size_t n = 0;
  int64_t refused_until = 0;
  for (const Check& c : checks) {
    if (c.key.empty()) continue;
    if (n == 4) return std::nullopt;
    auto it = state.leases.find(c.key);
    if (it == state.leases.end()) return std::nullopt;
    Lease& lease = it->second;
    Expire(state, c.key, lease, now);
    if (lease.tokens < 1) {
      if (now >= lease.empty_until_ms) return std::nullopt;  // Redis may have one by now
      refused_until = std::max(refused_until, lease.empty_until_ms);
    }
    leases[n++] = &lease;
  }
  Decision decision;
  if (refused_until > 0) {
    decision.allowed = false;
    decision.retry_after_s = RetryAfterSeconds(static_cast<double>(refused_until - now));
    return decision;
  }
  for (size_t i = 0; i < n; ++i) {
    --leases[i]->tokens;
    ++leases[i]->used;
    leases[i]->last_used_ms = now;
  }
  return decision;
}

void RateLimiter::Take(size_t thread, RedisLink* redis, std::vector<Check> checks,
                       std::function<void(Decision)> done) {
  if (redis == nullptr) return done(TakeLocal(checks, now_ms_()));
  thread %= threads_.size();
  ThreadState& state = *threads_[thread];
  state.redis = redis;
  const int64_t now = now_ms_();
  if (now >= state.next_sweep_ms) Sweep(state, now);
  if (now >= state.next_refund_ms) Refunds(state, now);
  auto* pending = new Pending{std::move(checks), std::move(done), {}, 1, 0, false};
  pending->reserved.assign(pending->checks.size(), false);
  std::vector<const std::string*> to_fetch;
  for (size_t i = 0; i < pending->checks.size(); ++i) {
    const Check& c = pending->checks[i];
    if (c.key.empty()) {
      pending->reserved[i] = true;
      continue;
    }
    Lease& lease = state.leases[c.key];
    lease.bucket = c.bucket;
    lease.last_used_ms = now;
    Expire(state, c.key, lease, now);
    if (lease.tokens >= 1) {
      --lease.tokens;
      pending->reserved[i] = true;
      continue;
    }
    ++pending->outstanding;
    if (lease.fetching) {
      lease.queued.push_back(pending);
    } else {
      lease.sent.push_back(pending);
      to_fetch.push_back(&c.key);
    }
  }
  // Fetches may answer at once (Redis down): register everything first, then send.
  for (const std::string* key : to_fetch) {
    auto it = state.leases.find(*key);
    if (it != state.leases.end() && !it->second.fetching && !it->second.sent.empty()) {
      Fetch(thread, redis, *key, it->second);
    }
  }
  if (--pending->outstanding == 0) Decide(thread, pending);
}

void RateLimiter::Fetch(size_t thread, RedisLink* redis, const std::string& key, Lease& lease) {
  lease.fetching = true;
  const int64_t now = now_ms_();
  const int64_t need = static_cast<int64_t>(lease.sent.size());
  const int64_t extra =
      lease.last_fetch_ms == 0 ? 0 : Prefetch(lease.bucket, lease.used, now - lease.last_fetch_ms);
  // Extra tokens only from a bucket that keeps a full lease for every io thread (or half its
  // burst): near the limit no thread holds tokens another one would be refused for.
  const int64_t reserve = std::min<int64_t>(
      LeaseCap(lease.bucket) * static_cast<int64_t>(threads_.size()), lease.bucket.burst / 2);
  lease.used = 0;
  lease.last_fetch_ms = now;
  redis->Eval(LeaseScript(), sha1_, {key},
              {absl::StrCat(lease.bucket.rate), absl::StrCat(lease.bucket.burst),
               absl::StrCat(need), absl::StrCat(extra), absl::StrCat(reserve)},
              [this, thread, redis, key](absl::StatusOr<RedisReplyPtr> reply) {
                OnLease(thread, redis, key, std::move(reply));
              });
}

void RateLimiter::OnLease(size_t thread, RedisLink* redis, const std::string& key,
                          absl::StatusOr<RedisReplyPtr> reply) {
  ThreadState& state = *threads_[thread];
  auto it = state.leases.find(key);
  if (it == state.leases.end()) return;  // never: leases being fetched are not swept
  Lease& lease = it->second;
  lease.fetching = false;
  std::vector<Pending*> answered;
  answered.swap(lease.sent);
  const int64_t now = now_ms_();
  const bool ok = reply.ok() && (*reply)->type == REDIS_REPLY_ARRAY && (*reply)->elements == 2 &&
                  (*reply)->element[0]->type == REDIS_REPLY_INTEGER &&
                  (*reply)->element[1]->type == REDIS_REPLY_INTEGER;
  auto index_of = [&key](const Pending* p) {
    size_t i = 0;
    while (i < p->checks.size() && p->checks[i].key != key) ++i;
    return i;
  };
  if (!ok) {
    for (Pending* p : answered) p->failed = true;
  } else {
    int64_t granted = std::max<long long>(0, (*reply)->element[0]->integer);
    const int64_t wait = (*reply)->element[1]->integer;
    Expire(state, key, lease, now);
    // Tokens held for requests are part of the lease too (they return to it if unused).
    if (granted > 0) lease.expires_ms = now + kLeaseTtlMs;
    for (Pending* p : answered) {
      if (granted > 0) {
        --granted;
        p->reserved[index_of(p)] = true;
      } else {
        p->wait_ms = std::max(p->wait_ms, wait);
      }
    }
    lease.tokens += granted;
    if (lease.tokens > 0 && !lease.holding) {
      lease.holding = true;
      state.holding.push_back(key);
    }
    if (wait > 0 && lease.tokens < 1) lease.empty_until_ms = now + wait;
  }
  // Requests that came while this fetch was in flight: leased tokens, else the next fetch.
  std::vector<Pending*> queued;
  queued.swap(lease.queued);
  for (Pending* p : queued) {
    if (lease.tokens >= 1) {
      --lease.tokens;
      p->reserved[index_of(p)] = true;
      answered.push_back(p);
    } else {
      lease.sent.push_back(p);
    }
  }
  if (!lease.sent.empty()) Fetch(thread, redis, key, lease);
  for (Pending* p : answered) {
    if (--p->outstanding == 0) Decide(thread, p);
  }
}

void RateLimiter::Decide(size_t thread, Pending* pending) {
  std::unique_ptr<Pending> owned(pending);
  ThreadState& state = *threads_[thread];
  const int64_t now = now_ms_();
  bool all = !pending->failed;
  for (bool r : pending->reserved) all = all && r;
  if (all) {
    for (const Check& c : pending->checks) {
      if (c.key.empty()) continue;
      auto it = state.leases.find(c.key);
      if (it != state.leases.end()) ++it->second.used;
    }
    return pending->done(Decision{});
  }
  // Not admitted: the tokens held for it go back to the leases (and from there to Redis).
  for (size_t i = 0; i < pending->checks.size(); ++i) {
    const std::string& key = pending->checks[i].key;
    if (!pending->reserved[i] || key.empty()) continue;
    auto it = state.leases.find(key);
    if (it == state.leases.end()) continue;
    Lease& lease = it->second;
    if (now >= lease.expires_ms) {
      Expire(state, key, lease, now);
      lease.expires_ms = now;  // a lease of this one token, expired: refunded below
    }
    ++lease.tokens;
    if (now >= lease.expires_ms) {
      Expire(state, key, lease, now);
    } else if (!lease.holding) {
      lease.holding = true;
      state.holding.push_back(key);
    }
  }
  if (pending->failed) {
    counters_->local_decisions.fetch_add(1, std::memory_order_relaxed);
    return pending->done(TakeLocal(pending->checks, now));
  }
  Decision refused;
  refused.allowed = false;
  refused.retry_after_s = RetryAfterSeconds(static_cast<double>(pending->wait_ms));
  pending->done(refused);
}

void RateLimiter::Sweep(ThreadState& state, int64_t now) {
  state.next_sweep_ms = now + 10000;
  if (state.leases.size() < 1000) return;
  for (auto it = state.leases.begin(); it != state.leases.end();) {
    const Lease& lease = it->second;
    if (!lease.fetching && lease.queued.empty() && !lease.holding &&
        now - lease.last_used_ms > 10000) {
      state.leases.erase(it++);
    } else {
      ++it;
    }
  }
}

// --- IdempotencyStore --------------------------------------------------------------------------

IdempotencyStore::IdempotencyStore() : sha1_(ScriptSha1(kClaimScript)) {}

// Stored values: "P<fingerprint>" while claimed, "D<fingerprint><status, 3 digits><body>" once
// answered.
IdempotencyStore::Claim IdempotencyStore::Decide(absl::string_view stored,
                                                 const std::string& fingerprint) {
  Claim claim;
  if (stored.empty()) return claim;  // kNew
  const bool same = stored.size() >= 1 + fingerprint.size() &&
                    stored.substr(1, fingerprint.size()) == fingerprint;
  if (!same) {
    claim.state = State::kMismatch;
    return claim;
  }
  if (stored[0] == 'P') {
    claim.state = State::kInProgress;
    return claim;
  }
  absl::string_view rest = stored.substr(1 + fingerprint.size());
  int status = 0;
  if (stored[0] != 'D' || rest.size() < 3 || !absl::SimpleAtoi(rest.substr(0, 3), &status)) {
    claim.state = State::kMismatch;  // unreadable: never run the request twice
    return claim;
  }
  claim.state = State::kReplay;
  claim.status = status;
  claim.body = std::string(rest.substr(3));
  return claim;
}

IdempotencyStore::Claim IdempotencyStore::BeginLocal(const std::string& key,
                                                     const std::string& fingerprint,
                                                     std::chrono::milliseconds claim_ttl) {
  const auto now = std::chrono::steady_clock::now();
  absl::MutexLock lock(&mu_);
  auto it = local_.find(key);
  if (it != local_.end() && it->second.expires < now) {
    local_.erase(it);
    it = local_.end();
  }
  if (it != local_.end()) {
    Claim claim = Decide(it->second.value, fingerprint);
    claim.local = true;
    return claim;
  }
  if (local_.size() >= 200000) {
    for (auto e = local_.begin(); e != local_.end();) {
      if (e->second.expires < now) {
        local_.erase(e++);
      } else {
        ++e;
      }
    }
  }
  local_[key] = Entry{absl::StrCat("P", fingerprint), now + claim_ttl};
  Claim claim;
  claim.local = true;
  return claim;
}

void IdempotencyStore::Begin(RedisLink* redis, const std::string& key,
                             const std::string& fingerprint, std::chrono::milliseconds claim_ttl,
                             std::function<void(Claim)> done) {
  if (redis == nullptr) return done(BeginLocal(key, fingerprint, claim_ttl));
  redis->Eval(ClaimScript(), sha1_, {key}, {fingerprint, std::to_string(claim_ttl.count())},
              [this, key, fingerprint, claim_ttl,
               done = std::move(done)](absl::StatusOr<RedisReplyPtr> reply) {
                if (!reply.ok() || (*reply)->type != REDIS_REPLY_STRING) {
                  return done(BeginLocal(key, fingerprint, claim_ttl));
                }
                done(Decide(absl::string_view((*reply)->str, (*reply)->len), fingerprint));
              });
}

void IdempotencyStore::Complete(RedisLink* redis, const std::string& key,
                                const std::string& fingerprint, int status, const std::string& body,
                                bool local) {
  std::string value =
      absl::StrCat("D", fingerprint, absl::Dec(status % 1000, absl::kZeroPad3), body);
  if (local || redis == nullptr) {
    absl::MutexLock lock(&mu_);
    local_[key] = Entry{std::move(value), std::chrono::steady_clock::now() + kRetention};
    return;
  }
  redis->Command({"SET", key, std::move(value), "EX",
                  std::to_string(std::chrono::seconds(kRetention).count())},
                 [](absl::StatusOr<RedisReplyPtr>) {});
}

void IdempotencyStore::Abandon(RedisLink* redis, const std::string& key, bool local) {
  if (local || redis == nullptr) {
    absl::MutexLock lock(&mu_);
    local_.erase(key);
    return;
  }
  redis->Command({"DEL", key}, [](absl::StatusOr<RedisReplyPtr>) {});
}

}  // namespace civil::gateway
