#include "gateway/limits.h"

#include <hiredis/read.h>
#include <openssl/evp.h>

#include <algorithm>
#include <boost/asio/write.hpp>
#include <cmath>
#include <utility>

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

// KEYS: the buckets; ARGV: rate, burst per key. Takes a token from every bucket if each has one.
// Returns {1, 0} or {0, milliseconds until the emptiest bucket has a token}.
constexpr char kTakeScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local have = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local v = redis.call('HMGET', key, 't', 'at')
  local tokens = tonumber(v[1])
  local at = tonumber(v[2])
  if tokens == nil or at == nil then
    tokens = burst
    at = now
  end
  if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
  have[i] = tokens
  if tokens < 1 then
    local w = math.ceil((1 - tokens) * 1000 / rate)
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  redis.call('HSET', key, 't', tostring(have[i] - 1), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
end
return {1, 0}
)lua";

// KEYS[1]: the idempotency key; ARGV[1]: fingerprint; ARGV[2]: claim TTL in ms. Returns the stored
// value, or "" after claiming the key.
constexpr char kClaimScript[] = R"lua(
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], 'P' .. ARGV[1], 'PX', ARGV[2])
return ''
)lua";

const std::string& TakeScript() {
  static const std::string* s = new std::string(kTakeScript);
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

RateLimiter::RateLimiter(LimitCounters* counters)
    : counters_(counters), sha1_(ScriptSha1(kTakeScript)), shards_(new Shard[kShards]) {}

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

void RateLimiter::Take(RedisLink* redis, std::vector<Check> checks,
                       std::function<void(Decision)> done) {
  auto local = [this](const std::vector<Check>& c) {
    counters_->local_decisions.fetch_add(1, std::memory_order_relaxed);
    return TakeLocal(c, SteadyNs() / 1000000);
  };
  if (redis == nullptr) {
    Decision d = TakeLocal(checks, SteadyNs() / 1000000);
    return done(d);
  }
  std::vector<std::string> keys;
  std::vector<std::string> args;
  for (const Check& c : checks) {
    if (c.key.empty()) continue;
    keys.push_back(c.key);
    args.push_back(absl::StrCat(c.bucket.rate));
    args.push_back(absl::StrCat(c.bucket.burst));
  }
  if (keys.empty()) return done(Decision{});
  redis->Eval(TakeScript(), sha1_, std::move(keys), std::move(args),
              [checks = std::move(checks), done = std::move(done),
               local](absl::StatusOr<RedisReplyPtr> reply) {
                if (!reply.ok() || (*reply)->type != REDIS_REPLY_ARRAY || (*reply)->elements != 2 ||
                    (*reply)->element[0]->type != REDIS_REPLY_INTEGER ||
                    (*reply)->element[1]->type != REDIS_REPLY_INTEGER) {
                  return done(local(checks));
                }
                Decision d;
                d.allowed = (*reply)->element[0]->integer == 1;
                if (!d.allowed) {
                  d.retry_after_s =
                      RetryAfterSeconds(static_cast<double>((*reply)->element[1]->integer));
                }
                done(d);
              });
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
