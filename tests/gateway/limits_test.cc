// RateLimiter's leases against a model of the Redis script: batches instead of a round trip per
// request, never more admitted than the bucket allows (plus what a lease may hold), refusals
// decided locally while a bucket is known to be empty, both buckets of a request or neither, and
// the in-process fallback when Redis fails.
#include "gateway/limits.h"

#include <gtest/gtest.h>
#include <hiredis/read.h>

#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace civil::gateway {
namespace {

// Redis as the lease script sees it: buckets by key on the test's clock; replies are held until
// Deliver() (the network round trip), or fail when `down`.
class FakeRedis : public RedisLink {
 public:
  explicit FakeRedis(const int64_t* now_ms) : now_ms_(now_ms) {}

  void Command(std::vector<std::string> args, Callback callback) override {
    ++commands;
    if (down) return callback(absl::UnavailableError("redis is unreachable"));
    if (args.size() < 7 || args[0] != "EVALSHA" || args[2] != "1") {
      return callback(absl::InternalError("unexpected command"));
    }
    double rate;
    int burst;
    int64_t want, extra = 0, reserve = 0;
    if (!absl::SimpleAtod(args[4], &rate) || !absl::SimpleAtoi(args[5], &burst) ||
        !absl::SimpleAtoi(args[6], &want) ||
        (args.size() == 9 &&
         (!absl::SimpleAtoi(args[7], &extra) || !absl::SimpleAtoi(args[8], &reserve)))) {
      return callback(absl::InternalError("bad arguments"));
    }
    Bucket& b = buckets_[args[3]];
    if (args[1] == RefundScriptSha1()) {
      if (b.known) {
        b.tokens = std::min<double>(burst, b.tokens + (*now_ms_ - b.at) * rate / 1000);
        b.at = *now_ms_;
        b.tokens = std::min<double>(burst, b.tokens + static_cast<double>(want));
      }
      refunded += want;
      return callback(Reply(":1\r\n"));
    }
    if (args[1] != LeaseScriptSha1() || args.size() != 9) {
      return callback(absl::InternalError("NOSCRIPT"));
    }
    requested += want + extra;
    if (!b.known) b = Bucket{static_cast<double>(burst), *now_ms_, true};
    if (*now_ms_ > b.at) {
      b.tokens = std::min<double>(burst, b.tokens + (*now_ms_ - b.at) * rate / 1000);
    }
    b.at = *now_ms_;
    int64_t granted = std::min<int64_t>(want, static_cast<int64_t>(std::floor(b.tokens)));
    granted = std::max<int64_t>(granted, 0);
    b.tokens -= static_cast<double>(granted);
    int64_t wait = 0;
    if (granted < want) {
      wait = static_cast<int64_t>(std::ceil((1 - b.tokens) * 1000 / rate));
    } else {
      const int64_t more = std::max<int64_t>(
          0, std::min<int64_t>(extra, static_cast<int64_t>(std::floor(b.tokens - reserve))));
      granted += more;
      b.tokens -= static_cast<double>(more);
    }
    granted_total += granted;
    replies_.emplace_back(std::move(callback),
                          Reply(absl::StrCat("*2\r\n:", granted, "\r\n:", wait, "\r\n")));
  }
  bool up() const override { return !down; }

  // Answers every command sent so far (and those the answers send, when `all`).
  void Deliver(bool all = true) {
    size_t n = replies_.size();
    while (!replies_.empty() && (all || n-- > 0)) {
      auto [callback, reply] = std::move(replies_.front());
      replies_.pop_front();
      callback(std::move(reply));
    }
  }

  int commands = 0;
  int64_t requested = 0;
  int64_t refunded = 0;
  int64_t granted_total = 0;
  bool down = false;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at = 0;
    bool known = false;
  };
  static RedisReplyPtr Reply(const std::string& resp) {
    redisReader* reader = redisReaderCreate();
    redisReaderFeed(reader, resp.data(), resp.size());
    void* raw = nullptr;
    redisReaderGetReply(reader, &raw);
    redisReaderFree(reader);
    return RedisReplyPtr(static_cast<redisReply*>(raw), freeReplyObject);
  }

  const int64_t* now_ms_;
  std::map<std::string, Bucket> buckets_;
  std::deque<std::pair<Callback, absl::StatusOr<RedisReplyPtr>>> replies_;
};

class LimitsTest : public ::testing::Test {
 protected:
  RateLimiter::Check Subject(const std::string& who, double rate, int burst) {
    return {absl::StrCat("civil:gw:rl:r:s:", who), BucketSpec{rate, burst}};
  }
  RateLimiter::Check Ip(const std::string& ip, double rate, int burst) {
    return {absl::StrCat("civil:gw:rl:r:ip:", ip), BucketSpec{rate, burst}};
  }

  // One request through `limiter`'s thread `thread`, as the gateway makes it; the decision once
  // known (`decided` false while Redis has not answered).
  struct Outcome {
    bool decided = false;
    RateLimiter::Decision decision;
  };
  std::shared_ptr<Outcome> Request(RateLimiter& limiter, FakeRedis& redis,
                                   std::vector<RateLimiter::Check> checks, size_t thread = 0) {
    auto outcome = std::make_shared<Outcome>();
    if (auto now = limiter.TryTake(thread, checks)) {
      outcome->decided = true;
      outcome->decision = *now;
      return outcome;
    }
    limiter.Take(thread, &redis, std::move(checks), [outcome](RateLimiter::Decision d) {
      outcome->decided = true;
      outcome->decision = d;
    });
    return outcome;
  }

  void Load(RateLimiter& limiter, FakeRedis& redis, double rate, int burst, int requests,
            int* allowed, int* refused);

  int64_t now_ = 1000000;
  LimitCounters counters_;
};

// `requests` requests for one subject, 0.5 ms apart (2000/s), 16 in flight at a time (answered
// together, as a Redis round trip would); counts what was admitted and refused.
void LimitsTest::Load(RateLimiter& limiter, FakeRedis& redis, double rate, int burst, int requests,
                      int* allowed, int* refused) {
  std::vector<std::shared_ptr<Outcome>> in_flight;
  const int64_t start = now_;
  for (int i = 0; i < requests; ++i) {
    in_flight.push_back(Request(limiter, redis, {Subject("alice", rate, burst)}));
    now_ = start + i / 2;
    if (in_flight.size() == 16 || i + 1 == requests) {
      redis.Deliver();
      for (const auto& o : in_flight) {
        ASSERT_TRUE(o->decided);
        o->decision.allowed ? ++*allowed : ++*refused;
      }
      in_flight.clear();
    }
  }
}

TEST_F(LimitsTest, BusyKeysCostOneRoundTripPerBatch) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  // 2000 requests/s for 3 s, within 5000/s.
  int allowed = 0, refused = 0;
  Load(limiter, redis, 5000, 1000, 6000, &allowed, &refused);
  EXPECT_EQ(allowed, 6000);
  EXPECT_LT(redis.commands, 6000 / 20) << redis.commands << " commands";
  EXPECT_EQ(counters_.local_decisions.load(), 0u);
}

TEST_F(LimitsTest, OverTheLimitNeverMoreThanTheBucketAllows) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  // 2000 requests/s for 3 s against 1000/s with a burst of 200.
  const double rate = 1000;
  const int burst = 200;
  const int64_t start = now_;
  int allowed = 0, refused = 0;
  Load(limiter, redis, rate, burst, 6000, &allowed, &refused);
  const double seconds = static_cast<double>(now_ - start) / 1000;
  EXPECT_LE(allowed, burst + rate * (seconds + RateLimiter::kLeaseTtlMs / 1000.0));
  EXPECT_GE(allowed, rate * seconds * 0.9);  // and not much less than it allows
  EXPECT_GT(refused, 0);
  EXPECT_LT(redis.commands, 6000 / 4) << redis.commands << " commands";
}

TEST_F(LimitsTest, AnOccasionalClientIsChargedOneTokenPerRequest) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  // Bursts of 5 requests 2 ms apart, every 2 s, against 10/s with a burst of 5: each burst fits
  // exactly, so none is refused (tokens leased for a burst and not spent go back to Redis).
  for (int burst = 0; burst < 5; ++burst) {
    for (int i = 0; i < 5; ++i) {
      auto o = Request(limiter, redis, {Subject("gina", 10, 5)});
      redis.Deliver();
      ASSERT_TRUE(o->decided);
      EXPECT_TRUE(o->decision.allowed) << "burst " << burst << " request " << i;
      now_ += 2;
    }
    now_ += 2000;
  }
}

TEST_F(LimitsTest, UnspentLeasedTokensGoBackToRedis) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  int allowed = 0, refused = 0;
  Load(limiter, redis, 5000, 1000, 600, &allowed, &refused);  // a busy 300 ms: large leases
  EXPECT_EQ(allowed, 600);
  EXPECT_GT(redis.granted_total, allowed);  // leased ahead
  // The key goes quiet; after the lease time the next request on the thread returns the rest.
  now_ += RateLimiter::kLeaseTtlMs + 1;
  auto other = Request(limiter, redis, {Subject("someone-else", 5000, 1000)});
  redis.Deliver();
  EXPECT_TRUE(other->decision.allowed);
  EXPECT_EQ(allowed + 1 + redis.refunded, redis.granted_total);
}

TEST_F(LimitsTest, NearTheLimitNoThreadHoldsTokensAnotherIsRefusedFor) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 2, [this] { return now_; });
  // 100 requests/s alternating between two io threads against 10/s with a burst of 20: an exact
  // bucket admits the first 22 (20 + 10/s × 0.21 s). So must the leases: none of them may be
  // refused because the other thread still holds leased tokens.
  for (int i = 0; i < 22; ++i) {
    auto o = Request(limiter, redis, {Subject("hana", 10, 20)}, static_cast<size_t>(i % 2));
    redis.Deliver();
    ASSERT_TRUE(o->decided);
    EXPECT_TRUE(o->decision.allowed) << "request " << i;
    now_ += 10;
  }
  auto over = Request(limiter, redis, {Subject("hana", 10, 20)}, 0);
  redis.Deliver();
  EXPECT_FALSE(over->decision.allowed);
}

TEST_F(LimitsTest, AnEmptyBucketIsRefusedLocallyUntilATokenIsBack) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  auto check = [&] { return std::vector<RateLimiter::Check>{Subject("bob", 0.5, 2)}; };
  for (int i = 0; i < 2; ++i) {
    auto o = Request(limiter, redis, check());
    redis.Deliver();
    ASSERT_TRUE(o->decided);
    EXPECT_TRUE(o->decision.allowed);
  }
  auto refused = Request(limiter, redis, check());
  redis.Deliver();
  ASSERT_TRUE(refused->decided);
  EXPECT_FALSE(refused->decision.allowed);
  EXPECT_EQ(refused->decision.retry_after_s, 2);  // 0.5 tokens/s
  const int commands = redis.commands;
  now_ += 1500;
  auto again = Request(limiter, redis, check());
  EXPECT_TRUE(again->decided);  // without asking Redis
  EXPECT_FALSE(again->decision.allowed);
  EXPECT_EQ(again->decision.retry_after_s, 1);
  EXPECT_EQ(redis.commands, commands);
  now_ += 600;  // the token is back: Redis is asked again
  auto later = Request(limiter, redis, check());
  redis.Deliver();
  EXPECT_TRUE(later->decision.allowed);
  EXPECT_EQ(redis.commands, commands + 1);
}

TEST_F(LimitsTest, BothBucketsOrNeither) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  // The IP bucket allows one request; the subject's would allow many.
  auto first = Request(limiter, redis, {Subject("carol", 0.01, 5), Ip("10.0.0.1", 0.01, 1)});
  redis.Deliver();
  EXPECT_TRUE(first->decision.allowed);
  auto second = Request(limiter, redis, {Subject("carol", 0.01, 5), Ip("10.0.0.1", 0.01, 1)});
  redis.Deliver();
  ASSERT_TRUE(second->decided);
  EXPECT_FALSE(second->decision.allowed);
  EXPECT_GE(second->decision.retry_after_s, 99);
  // The subject's token taken for the refused request went back to the lease: the next request
  // from another address is admitted without asking Redis for the subject again.
  const int64_t requested = redis.requested;
  auto third = Request(limiter, redis, {Subject("carol", 0.01, 5), Ip("10.0.0.2", 0.01, 1)});
  redis.Deliver();
  EXPECT_TRUE(third->decision.allowed);
  EXPECT_EQ(redis.requested, requested + 1);  // the new IP bucket only
}

TEST_F(LimitsTest, SeveralGatewaysShareTheBucket) {
  FakeRedis redis(&now_);
  RateLimiter a(&counters_, 2, [this] { return now_; });
  RateLimiter b(&counters_, 2, [this] { return now_; });
  int allowed = 0;
  for (int i = 0; i < 400; ++i) {
    RateLimiter& limiter = i % 2 ? a : b;
    auto o = Request(limiter, redis, {Subject("dave", 10, 50)}, static_cast<size_t>(i % 3 % 2));
    redis.Deliver();
    ASSERT_TRUE(o->decided);
    allowed += o->decision.allowed;
    now_ += 5;  // 200 requests/s for 2 s
  }
  // 50 + 10/s × 2 s, plus at most one lease (10 × 0.25 s → 2 tokens) per thread.
  EXPECT_LE(allowed, 50 + 20 + 4 * 2);
  EXPECT_GE(allowed, 60);
}

TEST_F(LimitsTest, RedisFailureIsDecidedInProcess) {
  FakeRedis redis(&now_);
  redis.down = true;
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  int allowed = 0;
  for (int i = 0; i < 5; ++i) {
    auto o = Request(limiter, redis, {Subject("erin", 0.01, 3)});
    ASSERT_TRUE(o->decided);
    EXPECT_TRUE(o->decision.local);
    allowed += o->decision.allowed;
  }
  EXPECT_EQ(allowed, 3);
  EXPECT_EQ(counters_.local_decisions.load(), 5u);
}

TEST_F(LimitsTest, RequestsWaitingForAFetchAreServedByItOrTheNext) {
  FakeRedis redis(&now_);
  RateLimiter limiter(&counters_, 1, [this] { return now_; });
  std::vector<std::shared_ptr<Outcome>> outcomes;
  for (int i = 0; i < 10; ++i) outcomes.push_back(Request(limiter, redis, {Subject("f", 100, 4)}));
  EXPECT_EQ(redis.commands, 1);  // one fetch in flight; the rest wait for the next
  redis.Deliver();
  int allowed = 0;
  for (const auto& o : outcomes) {
    ASSERT_TRUE(o->decided);
    allowed += o->decision.allowed;
  }
  EXPECT_EQ(allowed, 4);
  EXPECT_EQ(redis.commands, 2);
}

}  // namespace
}  // namespace civil::gateway
