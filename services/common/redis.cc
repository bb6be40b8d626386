#include "services/common/redis.h"

#include <sys/time.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "prometheus/family.h"
#include "services/common/log.h"

namespace civil {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

RedisClient::RedisClient(Options options, prometheus::Registry* registry)
    : options_(std::move(options)), metrics_(PoolMetrics::Create(registry, "redis")) {
  if (metrics_.max != nullptr) metrics_.max->Set(options_.max_size);
}

RedisClient::~RedisClient() { Close(); }

absl::StatusOr<RedisClient::Context> RedisClient::Take() {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  ++waiting_;
  while (!closed_ && idle_.empty() && open_ >= options_.max_size) {
    metrics_.Set(open_ - static_cast<int>(idle_.size()), static_cast<int>(idle_.size()), waiting_);
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_size) {
      --waiting_;
      metrics_.CountTimeout();
      return absl::UnavailableError("redis busy");
    }
  }
  --waiting_;
  if (closed_) return absl::UnavailableError("redis client closed");
  if (!idle_.empty()) {
    Context context = std::move(idle_.back());
    idle_.pop_back();
    metrics_.Set(open_ - static_cast<int>(idle_.size()), static_cast<int>(idle_.size()), waiting_);
    return context;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < next_connect_) return absl::UnavailableError("redis unreachable");
  ++open_;
  lock.unlock();
  const timeval tv = ToTimeval(options_.timeout);
  Context context(redisConnectWithTimeout(options_.host.c_str(), options_.port, tv));
  if (context == nullptr || context->err != 0 || redisSetTimeout(context.get(), tv) != REDIS_OK) {
    metrics_.CountConnectError();
    lock.lock();
    --open_;
    next_connect_ = std::chrono::steady_clock::now() + options_.retry_interval;
    cv_.notify_one();
    return absl::UnavailableError("redis unreachable");
  }
  return context;
}

void RedisClient::Give(Context context) {
  {
    std::lock_guard lock(mu_);
    if (context == nullptr || context->err != 0 || closed_) {
      --open_;
      if (context != nullptr && context->err != 0) {
        next_connect_ = std::chrono::steady_clock::now() + options_.retry_interval;
        // The others are likely broken too (server restart); let them fail on their own use.
      }
    } else {
      idle_.push_back(std::move(context));
      context = nullptr;
    }
    metrics_.Set(open_ - static_cast<int>(idle_.size()), static_cast<int>(idle_.size()), waiting_);
  }
  cv_.notify_one();
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<absl::string_view>& args) {
  absl::StatusOr<Context> context = Take();
  if (!context.ok()) return context.status();
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (absl::string_view a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  RedisReply reply(static_cast<redisReply*>(redisCommandArgv(
      context->get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (reply == nullptr) {
    // The context is in an error state now (timeout, reset): Give drops it.
    Give(*std::move(context));
    return absl::UnavailableError("redis command failed");
  }
  Give(*std::move(context));
  if (reply->type == REDIS_REPLY_ERROR) {
    return absl::InternalError(absl::StrCat("redis: ", absl::string_view(reply->str, reply->len)));
  }
  return reply;
}

absl::StatusOr<std::optional<std::string>> RedisClient::Get(absl::string_view key) {
  absl::StatusOr<RedisReply> reply = Command({"GET", key});
  if (!reply.ok()) return reply.status();
  if ((*reply)->type == REDIS_REPLY_NIL) return std::optional<std::string>();
  if ((*reply)->type != REDIS_REPLY_STRING) return absl::InternalError("redis: GET: not a string");
  return std::optional<std::string>(std::string((*reply)->str, (*reply)->len));
}

absl::Status RedisClient::SetEx(absl::string_view key, absl::string_view value,
                                std::chrono::seconds ttl) {
  const std::string seconds = std::to_string(ttl.count());
  return Command({"SET", key, value, "EX", seconds}).status();
}

absl::Status RedisClient::Del(absl::string_view key) { return Command({"DEL", key}).status(); }

absl::Status RedisClient::Ping() { return Command({"PING"}).status(); }

void RedisClient::Close() {
  std::vector<Context> to_close;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    open_ -= static_cast<int>(idle_.size());
    to_close = std::move(idle_);
    idle_.clear();
  }
  cv_.notify_all();
}

ReadThroughCache::ReadThroughCache(RedisClient* redis, std::string prefix, std::chrono::seconds ttl,
                                   prometheus::Registry* registry, const std::string& name)
    : redis_(redis), prefix_(std::move(prefix)), ttl_(ttl) {
  if (registry == nullptr) return;
  auto& family = prometheus::BuildCounter()
                     .Name("civil_cache_requests_total")
                     .Help("Read-through cache lookups by result (hit, miss, error)")
                     .Register(*registry);
  hits_ = &family.Add({{"cache", name}, {"result", "hit"}});
  misses_ = &family.Add({{"cache", name}, {"result", "miss"}});
  errors_ = &family.Add({{"cache", name}, {"result", "error"}});
}

std::string ReadThroughCache::Key(absl::string_view key) const {
  return absl::StrCat(prefix_, ":", key);
}

absl::StatusOr<std::string> ReadThroughCache::Get(
    absl::string_view key, absl::FunctionRef<absl::StatusOr<std::string>()> load) {
  const std::string full_key = Key(key);
  absl::StatusOr<std::optional<std::string>> cached = redis_->Get(full_key);
  if (cached.ok() && cached->has_value()) {
    if (hits_ != nullptr) hits_->Increment();
    return **std::move(cached);
  }
  const bool redis_up = cached.ok();
  if (redis_up) {
    if (misses_ != nullptr) misses_->Increment();
  } else if (errors_ != nullptr) {
    errors_->Increment();
  }
  absl::StatusOr<std::string> value = load();
  if (value.ok() && redis_up) {
    if (!redis_->SetEx(full_key, *value, ttl_).ok() && errors_ != nullptr) errors_->Increment();
  }
  return value;
}

void ReadThroughCache::Invalidate(absl::string_view key) {
  if (!redis_->Del(Key(key)).ok() && errors_ != nullptr) errors_->Increment();
}

}  // namespace civil
