#include "services/common/events.h"

#include <google/protobuf/util/time_util.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "prometheus/family.h"
#include "services/common/log.h"

namespace civil {
namespace {

// Test-only crash points (CIVIL_FAULT=<name>): the process dies as a kill -9 would, at the
// worst moment for the exactly-once guarantee. Never set in production.
void FaultPoint(absl::string_view name) {
  const char* fault = std::getenv("CIVIL_FAULT");
  if (fault != nullptr && name == fault) _exit(137);
}

std::string EpochKey(absl::string_view source) {
  return absl::StrCat(EventStream(source), ":epoch");
}

// Listening only needs a receiver to exist; the notifications just wake the relay. libpqxx
// LISTENs when a channel's first receiver is made and UNLISTENs when its last one goes, so the
// relay keeps one for as long as its connection: a NOTIFY sent while it publishes then waits
// on the connection instead of being lost (which left an event for the next idle poll).
class Wakeup final : public pqxx::notification_receiver {
 public:
  explicit Wakeup(pqxx::connection_base& c) : pqxx::notification_receiver(c, "civil_outbox") {}
  void operator()(const std::string&, int) override {}
};

std::string Str(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
             ? std::string(r->str, r->len)
             : std::string();
}

// XADDs a relay batch to KEYS[1] in order, capped at ARGV[1] (MAXLEN ~), and returns the entry
// ids. ARGV[2..] are (event_id, type, envelope) triples. A script, not a MULTI or pipeline, so
// that RedisClient's one-command interface carries the batch in one round trip; Lua strings are
// binary-safe, and a script with its one key also runs on a Redis Cluster.
constexpr absl::string_view kPublishScript = R"lua(
local ids = {}
for i = 2, #ARGV, 3 do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event_id', ARGV[i],
                             'type', ARGV[i + 1], 'envelope', ARGV[i + 2])
end
return ids
)lua";

}  // namespace

std::string EventStream(absl::string_view source) { return absl::StrCat("civil.events.", source); }

std::string ConsumerName(absl::string_view service) {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return absl::StrCat(service, "-", host, "-", getpid());
}

// ---------------------------------------------------------------------------------------------

OutboxRelay::OutboxRelay(Options options, prometheus::Registry* registry)
    : options_(std::move(options)),
      redis_({options_.redis_host, options_.redis_port, 2, std::chrono::milliseconds(1000),
              std::chrono::milliseconds(500)},
             nullptr) {
  if (registry == nullptr) return;
  const prometheus::Labels source = {{"source", options_.source}};
  published_ = &prometheus::BuildCounter()
                    .Name("civil_events_published_total")
                    .Help("Events published from the outbox to Redis")
                    .Register(*registry)
                    .Add(source);
  republished_ = &prometheus::BuildCounter()
                      .Name("civil_events_republished_total")
                      .Help("Outbox rows queued again after Redis lost its data")
                      .Register(*registry)
                      .Add(source);
  lag_rows_ = &prometheus::BuildGauge()
                   .Name("civil_outbox_lag_rows")
                   .Help("Outbox rows not yet published")
                   .Register(*registry)
                   .Add(source);
  lag_seconds_ = &prometheus::BuildGauge()
                      .Name("civil_outbox_lag_seconds")
                      .Help("Age of the oldest unpublished outbox row")
                      .Register(*registry)
                      .Add(source);
  errors_ = &prometheus::BuildCounter()
                 .Name("civil_outbox_relay_errors_total")
                 .Help("Relay passes that failed (PostgreSQL or Redis unavailable)")
                 .Register(*registry)
                 .Add(source);
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::Status OutboxRelay::EnsureConnection() {
  if (connection_ != nullptr && connection_->is_open()) return absl::OkStatus();
  Disconnect();
  try {
    connection_ = std::make_unique<pqxx::connection>(options_.pg_dsn);
    wakeup_ = std::make_unique<Wakeup>(*connection_);  // LISTEN civil_outbox
  } catch (const std::exception& error) {
    Disconnect();
    return absl::UnavailableError("relay: database unavailable");
  }
  return absl::OkStatus();
}

void OutboxRelay::Disconnect() {
  wakeup_.reset();  // before the connection it listens on
  connection_.reset();
}

absl::Status OutboxRelay::CheckEpoch() {
  const std::string key = EpochKey(options_.source);
  absl::StatusOr<std::optional<std::string>> current = redis_.Get(key);
  if (!current.ok()) return current.status();
  if (current->has_value() && **current == epoch_) return absl::OkStatus();
  if (current->has_value() && epoch_.empty()) {
    epoch_ = **current;  // another replica (or an earlier run) set it; Redis kept its data
    return absl::OkStatus();
  }
  // The epoch key is gone (or changed): Redis lost what was published. Queue the recent rows
  // again; consumers drop what they had applied already (inbox).
  const std::string fresh = NewUuid();
  absl::StatusOr<RedisReply> set = redis_.Command({"SET", key, fresh, "NX"});
  if (!set.ok()) return set.status();
  absl::StatusOr<std::optional<std::string>> now = redis_.Get(key);
  if (!now.ok()) return now.status();
  try {
    pqxx::work txn(*connection_);
    pqxx::result r = txn.exec_params(
        "UPDATE outbox SET published_at = NULL, stream_id = NULL WHERE published_at > now() - "
        "make_interval(hours => $1)",
        static_cast<int>(options_.republish_window.count()));
    txn.commit();
    if (r.affected_rows() > 0) {
      Log(LogLevel::kWarn, "redis lost the event stream: republishing",
          {{"source", absl::string_view(options_.source)},
           {"rows", static_cast<int64_t>(r.affected_rows())}});
      if (republished_ != nullptr) republished_->Increment(static_cast<double>(r.affected_rows()));
    }
  } catch (const std::exception&) {
    Disconnect();
    return absl::UnavailableError("relay: database unavailable");
  }
  epoch_ = now->value_or(fresh);
  return absl::OkStatus();
}

absl::StatusOr<int> OutboxRelay::PublishOnce() {
  std::lock_guard lock(mu_);
  if (absl::Status s = EnsureConnection(); !s.ok()) return s;
  if (absl::Status s = CheckEpoch(); !s.ok()) return s;
  const std::string stream = EventStream(options_.source);
  const std::string max_len = std::to_string(options_.max_len);
  try {
    pqxx::work txn(*connection_);
    pqxx::result rows = txn.exec_params(
        "SELECT seq, event_id::text, event_type, envelope FROM outbox WHERE published_at IS NULL "
        "ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
        options_.batch);
    if (rows.empty()) return 0;
    // The whole batch goes to Redis in one round trip: a script that XADDs every row in order
    // and returns the entry ids (one command per row cost a round trip each, most of the relay's
    // time). Nothing is marked published unless every XADD succeeded.
    std::vector<pqxx::binarystring> envelopes;
    envelopes.reserve(rows.size());
    std::vector<absl::string_view> args = {"EVAL", kPublishScript, "1", stream, max_len};
    args.reserve(5 + 3 * rows.size());
    for (const auto& row : rows) {
      const pqxx::binarystring& envelope = envelopes.emplace_back(row[3]);
      args.push_back(absl::string_view(row[1].c_str(), row[1].size()));
      args.push_back(absl::string_view(row[2].c_str(), row[2].size()));
      args.push_back(
          absl::string_view(reinterpret_cast<const char*>(envelope.data()), envelope.size()));
    }
    absl::StatusOr<RedisReply> added = redis_.Command(args);
    if (!added.ok()) {
      txn.abort();
      return added.status();
    }
    const redisReply* reply = added->get();
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != rows.size()) {
      txn.abort();
      return absl::InternalError("relay: unexpected reply to the publishing script");
    }
    std::vector<std::string> seqs;
    std::vector<std::string> ids;
    seqs.reserve(rows.size());
    ids.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      seqs.push_back(rows[i][0].as<std::string>());
      ids.push_back(Str(reply->element[i]));
    }
    FaultPoint("relay_crash_after_xadd");
    // `o.seq = ANY($1)` lets the planner find the batch by primary key; joined with the
    // unnest alone it hashed a scan of the whole outbox, which keeps a week of rows.
    txn.exec_params(
        "UPDATE outbox o SET published_at = now(), stream_id = v.sid FROM unnest($1::bigint[], "
        "$2::text[]) AS v(seq, sid) WHERE o.seq = v.seq AND o.seq = ANY($1::bigint[])",
        absl::StrCat("{", absl::StrJoin(seqs, ","), "}"),
        absl::StrCat("{", absl::StrJoin(ids, ","), "}"));
    txn.commit();
    if (published_ != nullptr) published_->Increment(static_cast<double>(rows.size()));
    return static_cast<int>(rows.size());
  } catch (const std::exception&) {
    Disconnect();
    return absl::UnavailableError("relay: database unavailable");
  }
}

absl::StatusOr<std::pair<int64_t, double>> OutboxRelay::Lag() {
  std::lock_guard lock(mu_);
  if (absl::Status s = EnsureConnection(); !s.ok()) return s;
  try {
    pqxx::nontransaction txn(*connection_);
    pqxx::row r = txn.exec1(
        "SELECT count(*), coalesce(extract(epoch from now() - min(created_at)), 0)::float8 FROM "
        "outbox WHERE published_at IS NULL");
    return std::make_pair(r[0].as<int64_t>(), r[1].as<double>());
  } catch (const std::exception&) {
    Disconnect();
    return absl::UnavailableError("relay: database unavailable");
  }
}

void OutboxRelay::Loop() {
  std::chrono::milliseconds backoff(100);
  auto last_gauge = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  while (!stop_) {
    absl::StatusOr<int> published = PublishOnce();
    if (std::chrono::steady_clock::now() - last_gauge > std::chrono::seconds(1)) {
      last_gauge = std::chrono::steady_clock::now();
      if (auto lag = Lag(); lag.ok() && lag_rows_ != nullptr) {
        lag_rows_->Set(static_cast<double>(lag->first));
        lag_seconds_->Set(lag->second);
      }
    }
    if (!published.ok()) {
      if (errors_ != nullptr) errors_->Increment();
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
      continue;
    }
    backoff = std::chrono::milliseconds(100);
    if (*published >= options_.batch) continue;
    // Wait for a NOTIFY from a committing producer, or poll again after idle_poll.
    std::lock_guard lock(mu_);
    if (connection_ == nullptr) continue;
    try {
      const auto ms = std::min<int64_t>(options_.idle_poll.count(), 250);
      connection_->await_notification(0, static_cast<long>(ms * 1000));
    } catch (const std::exception&) {
      Disconnect();
    }
  }
}

// ---------------------------------------------------------------------------------------------

EventConsumer::EventConsumer(Options options, PgPool* pool, prometheus::Registry* registry)
    : options_(std::move(options)),
      pool_(pool),
      redis_({options_.redis_host, options_.redis_port, 2, options_.block + std::chrono::seconds(2),
              std::chrono::milliseconds(500)},
             nullptr) {
  if (registry == nullptr) return;
  consumed_family_ = &prometheus::BuildCounter()
                          .Name("civil_events_consumed_total")
                          .Help("Events applied by this service, by type")
                          .Register(*registry);
  dead_family_ = &prometheus::BuildCounter()
                      .Name("civil_events_dead_lettered_total")
                      .Help("Events moved to the dead-letter stream, by type")
                      .Register(*registry);
  duplicates_ = &prometheus::BuildCounter()
                     .Name("civil_events_duplicates_total")
                     .Help("Deliveries of events applied before (dropped by the inbox)")
                     .Register(*registry)
                     .Add({{"service", options_.service}});
  redelivered_ = &prometheus::BuildCounter()
                      .Name("civil_events_redelivered_total")
                      .Help("Pending entries claimed again from a dead or slow consumer")
                      .Register(*registry)
                      .Add({{"service", options_.service}});
  latency_ = &prometheus::BuildHistogram()
                  .Name("civil_events_delivery_seconds")
                  .Help("From the event's occurrence to its application here")
                  .Register(*registry)
                  .Add({{"service", options_.service}},
                       prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.2,
                                                               0.5, 1, 2, 5, 10, 60});
}

EventConsumer::~EventConsumer() { Stop(); }

std::string EventConsumer::DeadLetterStream() const {
  return absl::StrCat("civil.events.dead.", options_.service);
}

void EventConsumer::Subscribe(const std::string& source, const std::string& type, Handler handler) {
  handlers_[source][type] = std::move(handler);
  if (consumed_family_ != nullptr) {
    consumed_[type] = &consumed_family_->Add({{"service", options_.service}, {"type", type}});
    dead_[type] = &dead_family_->Add({{"service", options_.service}, {"type", type}});
  }
}

void EventConsumer::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void EventConsumer::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::Status EventConsumer::EnsureGroups() {
  if (groups_ready_) return absl::OkStatus();
  for (const auto& [source, types] : handlers_) {
    absl::StatusOr<RedisReply> r = redis_.Command(
        {"XGROUP", "CREATE", EventStream(source), options_.service, "0", "MKSTREAM"});
    if (!r.ok() && !absl::StrContains(r.status().message(), "BUSYGROUP")) return r.status();
  }
  groups_ready_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EventConsumer::Entry>> EventConsumer::Read(bool claim) {
  std::vector<Entry> entries;
  auto collect = [&](const std::string& stream, const redisReply* list) {
    if (list == nullptr || list->type != REDIS_REPLY_ARRAY) return;
    for (size_t i = 0; i < list->elements; ++i) {
      const redisReply* e = list->element[i];
      if (e == nullptr || e->type != REDIS_REPLY_ARRAY || e->elements < 2) continue;
      Entry entry{stream, Str(e->element[0]), ""};
      const redisReply* fields = e->element[1];
      if (fields != nullptr && fields->type == REDIS_REPLY_ARRAY) {
        for (size_t f = 0; f + 1 < fields->elements; f += 2) {
          if (Str(fields->element[f]) == "envelope") entry.envelope = Str(fields->element[f + 1]);
        }
      }
      entries.push_back(std::move(entry));
    }
  };
  if (claim) {
    for (const auto& [source, types] : handlers_) {
      const std::string stream = EventStream(source);
      absl::StatusOr<RedisReply> r =
          redis_.Command({"XAUTOCLAIM", stream, options_.service, options_.consumer,
                          std::to_string(options_.claim_idle.count()), "0-0", "COUNT",
                          std::to_string(options_.count)});
      if (!r.ok()) return r.status();
      if ((*r)->type == REDIS_REPLY_ARRAY && (*r)->elements >= 2) {
        const size_t before = entries.size();
        collect(stream, (*r)->element[1]);
        if (redelivered_ != nullptr) {
          redelivered_->Increment(static_cast<double>(entries.size() - before));
        }
      }
    }
    return entries;
  }
  std::vector<std::string> args = {"XREADGROUP",     "GROUP",
                                   options_.service, options_.consumer,
                                   "COUNT",          std::to_string(options_.count),
                                   "BLOCK",          std::to_string(options_.block.count()),
                                   "STREAMS"};
  for (const auto& [source, types] : handlers_) args.push_back(EventStream(source));
  for (size_t i = 0; i < handlers_.size(); ++i) args.push_back(">");
  std::vector<absl::string_view> views(args.begin(), args.end());
  absl::StatusOr<RedisReply> r = redis_.Command(views);
  if (!r.ok()) return r.status();
  if ((*r)->type != REDIS_REPLY_ARRAY) return entries;  // nil: nothing arrived in time
  for (size_t s = 0; s < (*r)->elements; ++s) {
    const redisReply* per_stream = (*r)->element[s];
    if (per_stream->type != REDIS_REPLY_ARRAY || per_stream->elements < 2) continue;
    collect(Str(per_stream->element[0]), per_stream->element[1]);
  }
  return entries;
}

const EventConsumer::Handler* EventConsumer::FindHandler(
    const civil::events::v1::Envelope& envelope) const {
  auto by_source = handlers_.find(envelope.source());
  if (by_source == handlers_.end()) return nullptr;
  auto by_type = by_source->second.find(envelope.type());
  return by_type == by_source->second.end() ? nullptr : &by_type->second;
}

namespace {

// Records the event in the inbox within `txn`; false when it was applied before.
bool FirstDelivery(pqxx::transaction_base& txn, const civil::events::v1::Envelope& envelope) {
  return !txn.exec_params(
                 "INSERT INTO inbox (event_id, event_type, source) VALUES ($1::uuid, $2, $3) "
                 "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                 envelope.event_id(), envelope.type(), envelope.source())
              .empty();
}

// A PostgreSQL array literal of `values`, each element quoted (event ids, type and source names
// come from the stream and are not trusted to be free of commas or braces).
std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

void EventConsumer::CountApplied(const civil::events::v1::Envelope& envelope, bool duplicate) {
  if (duplicate) {
    if (duplicates_ != nullptr) duplicates_->Increment();
    return;
  }
  if (auto it = consumed_.find(envelope.type()); it != consumed_.end()) it->second->Increment();
  if (latency_ != nullptr) {
    const auto occurred =
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(envelope.occurred_at());
    latency_->Observe(static_cast<double>(absl::ToUnixMicros(absl::Now()) - occurred) / 1e6);
  }
}

absl::Status EventConsumer::Apply(const civil::events::v1::Envelope& envelope, bool* duplicate) {
  *duplicate = false;
  const Handler* handler = FindHandler(envelope);
  if (handler == nullptr) return absl::UnimplementedError("no handler for the source and type");
  absl::Status applied = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    *duplicate = !FirstDelivery(txn, envelope);
    return *duplicate ? absl::OkStatus() : (*handler)(txn, envelope);
  });
  if (!applied.ok()) return applied;
  CountApplied(envelope, *duplicate);
  return absl::OkStatus();
}

absl::Status EventConsumer::Handle(const Entry& entry) {
  civil::events::v1::Envelope envelope;
  const bool parsed = envelope.ParseFromString(entry.envelope);
  absl::Status applied = absl::OkStatus();
  if (!parsed) {
    applied = absl::DataLossError("envelope unreadable");
  } else {
    bool duplicate = false;
    applied = Apply(envelope, &duplicate);
    // An event nobody here subscribes to is acknowledged and skipped.
    if (applied.code() == absl::StatusCode::kUnimplemented) applied = absl::OkStatus();
  }
  if (!applied.ok()) {
    if (applied.code() == absl::StatusCode::kUnavailable) return applied;  // retry later as is
    // Count the failure; after max_attempts the event goes to the dead-letter stream.
    int attempts = options_.max_attempts;
    if (parsed) {
      absl::Status counted = pool_->Transact([&](pqxx::transaction_base& txn) {
        attempts =
            txn.exec_params1(
                   "INSERT INTO event_failures (event_id, event_type, attempts, last_error) "
                   "VALUES ($1::uuid, $2, 1, $3) ON CONFLICT (event_id) DO UPDATE SET "
                   "attempts = event_failures.attempts + 1, last_error = excluded.last_error, "
                   "updated_at = now() RETURNING attempts",
                   envelope.event_id(), envelope.type(), std::string(applied.message()))[0]
                .as<int>();
        return absl::OkStatus();
      });
      if (!counted.ok()) return counted;
    }
    if (attempts < options_.max_attempts) return applied;
    absl::StatusOr<RedisReply> dead =
        redis_.Command({"XADD", DeadLetterStream(), "*", "stream", entry.stream, "id", entry.id,
                        "error", applied.message(), "envelope", entry.envelope});
    if (!dead.ok()) return dead.status();
    if (parsed) {
      pool_
          ->Transact([&](pqxx::transaction_base& txn) {
            txn.exec_params(
                "UPDATE event_failures SET dead_lettered = true WHERE event_id = $1::uuid",
                envelope.event_id());
            return absl::OkStatus();
          })
          .IgnoreError();
    }
    if (auto it = dead_.find(envelope.type()); it != dead_.end()) it->second->Increment();
    Log(LogLevel::kError, "event dead-lettered",
        {{"type", absl::string_view(envelope.type())},
         {"event_id", absl::string_view(envelope.event_id())},
         {"attempts", static_cast<int64_t>(attempts)}});
  }
  FaultPoint("consumer_crash_before_ack");
  return redis_.Command({"XACK", entry.stream, options_.service, entry.id}).status();
}

absl::StatusOr<std::vector<EventConsumer::DeadLetter>> EventConsumer::ListDeadLetters(
    const std::string& after, int limit) {
  const std::string start = after.empty() ? "-" : absl::StrCat("(", after);
  absl::StatusOr<RedisReply> r =
      redis_.Command({"XRANGE", DeadLetterStream(), start, "+", "COUNT", std::to_string(limit)});
  if (!r.ok()) return r.status();
  std::vector<DeadLetter> out;
  if ((*r)->type != REDIS_REPLY_ARRAY) return out;
  for (size_t i = 0; i < (*r)->elements; ++i) {
    const redisReply* e = (*r)->element[i];
    if (e->type != REDIS_REPLY_ARRAY || e->elements < 2) continue;
    DeadLetter d;
    d.id = Str(e->element[0]);
    const redisReply* fields = e->element[1];
    for (size_t f = 0; f + 1 < fields->elements; f += 2) {
      const std::string name = Str(fields->element[f]);
      if (name == "error") d.error = Str(fields->element[f + 1]);
      if (name == "envelope") d.envelope.ParseFromString(Str(fields->element[f + 1]));
    }
    out.push_back(std::move(d));
  }
  return out;
}

absl::Status EventConsumer::ReplayDeadLetter(const std::string& id, absl::Status* applied) {
  absl::StatusOr<RedisReply> r = redis_.Command({"XRANGE", DeadLetterStream(), id, id});
  if (!r.ok()) return r.status();
  if ((*r)->type != REDIS_REPLY_ARRAY || (*r)->elements == 0) {
    return absl::NotFoundError("id: no such dead letter");
  }
  const redisReply* fields = (*r)->element[0]->element[1];
  civil::events::v1::Envelope envelope;
  for (size_t f = 0; f + 1 < fields->elements; f += 2) {
    if (Str(fields->element[f]) == "envelope") {
      envelope.ParseFromString(Str(fields->element[f + 1]));
    }
  }
  absl::Status reset = pool_->Transact([&](pqxx::transaction_base& txn) {
    txn.exec_params("DELETE FROM event_failures WHERE event_id = $1::uuid", envelope.event_id());
    return absl::OkStatus();
  });
  if (!reset.ok()) return reset;
  bool duplicate = false;
  *applied = Apply(envelope, &duplicate);
  if (applied->code() == absl::StatusCode::kUnavailable) return *applied;
  if (applied->ok()) {
    absl::StatusOr<RedisReply> removed = redis_.Command({"XDEL", DeadLetterStream(), id});
    if (!removed.ok()) return removed.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<int> EventConsumer::PollOnce() {
  if (absl::Status s = EnsureGroups(); !s.ok()) return s;
  int handled = 0;
  for (bool claim : {true, false}) {
    absl::StatusOr<std::vector<Entry>> entries = Read(claim);
    if (!entries.ok()) {
      if (absl::StrContains(entries.status().message(), "NOGROUP")) groups_ready_ = false;
      return entries.status();
    }
    if (entries->size() > 1) {
      absl::StatusOr<int> batch = ApplyBatch(*entries);
      if (batch.ok()) {
        handled += *batch;
        continue;
      }
      // A failing event in the batch: apply one by one so only it is retried.
    }
    for (const Entry& entry : *entries) {
      if (Handle(entry).ok()) ++handled;
    }
  }
  return handled;
}

absl::StatusOr<int> EventConsumer::ApplyBatch(const std::vector<Entry>& entries) {
  std::vector<civil::events::v1::Envelope> envelopes(entries.size());
  std::vector<const Handler*> handlers(entries.size(), nullptr);
  // The inbox rows of every event subscribed here, as array literals for one statement.
  std::vector<std::string> ids, types, sources;
  std::vector<size_t> row_of(entries.size(), 0);  // entry → its position in `ids`
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!envelopes[i].ParseFromString(entries[i].envelope)) {
      return absl::DataLossError("envelope unreadable");
    }
    handlers[i] = FindHandler(envelopes[i]);
    if (handlers[i] == nullptr) continue;
    row_of[i] = ids.size();
    ids.push_back(envelopes[i].event_id());
    types.push_back(envelopes[i].type());
    sources.push_back(envelopes[i].source());
  }
  // Per entry: no handler here (skipped), applied before (duplicate), or applied now.
  enum class Outcome { kSkipped, kDuplicate, kApplied };
  std::vector<Outcome> outcome(entries.size(), Outcome::kSkipped);
  // Group commit: every event of the read with its inbox row in one transaction. The inbox rows
  // go in first, in one statement that answers which of them are new: for each event it
  // inserted, the position of the event's first occurrence in the batch. A redelivery conflicts
  // and is left out, and an event twice in one read (a relay republished it) is applied once, so
  // duplicates cost no round trip of their own. Then the handlers of the new ones run in stream
  // order, in the same transaction.
  absl::Status applied = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    std::vector<bool> fresh(ids.size(), false);
    if (!ids.empty()) {
      const pqxx::result inserted = txn.exec_params(
          "WITH batch AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH "
          "ORDINALITY AS b(event_id, event_type, source, n)), "
          "added AS (INSERT INTO inbox (event_id, event_type, source) SELECT event_id, "
          "event_type, source FROM batch ON CONFLICT (event_id) DO NOTHING RETURNING event_id) "
          "SELECT min(n) FROM batch JOIN added USING (event_id) GROUP BY event_id",
          ArrayLiteral(ids), ArrayLiteral(types), ArrayLiteral(sources));
      for (const auto& row : inserted) {
        const auto n = row[0].as<int64_t>();
        if (n >= 1 && static_cast<size_t>(n) <= fresh.size()) fresh[n - 1] = true;
      }
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      outcome[i] = Outcome::kSkipped;
      if (handlers[i] == nullptr) continue;
      if (!fresh[row_of[i]]) {
        outcome[i] = Outcome::kDuplicate;
        continue;
      }
      outcome[i] = Outcome::kApplied;
      if (absl::Status s = (*handlers[i])(txn, envelopes[i]); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  if (!applied.ok()) return applied;
  FaultPoint("consumer_crash_before_ack");
  std::map<std::string, std::vector<std::string>> acks;
  for (const Entry& e : entries) acks[e.stream].push_back(e.id);
  for (const auto& [stream, ids] : acks) {
    std::vector<absl::string_view> args = {"XACK", stream, options_.service};
    for (const auto& id : ids) args.push_back(id);
    if (absl::Status s = redis_.Command(args).status(); !s.ok()) return s;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (outcome[i] != Outcome::kSkipped) {
      CountApplied(envelopes[i], outcome[i] == Outcome::kDuplicate);
    }
  }
  return static_cast<int>(entries.size());
}

void EventConsumer::Loop() {
  std::chrono::milliseconds backoff(100);
  while (!stop_) {
    absl::StatusOr<int> n = PollOnce();
    if (!n.ok()) {
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
      continue;
    }
    backoff = std::chrono::milliseconds(100);
  }
}

}  // namespace civil
