// The inter-department event exchange: a relay that publishes a service's outbox to its Redis
// Stream, and a consumer that applies other services' events exactly once in effect.
//
//   producer transaction ──► outbox row ──relay──► XADD civil.events.<source>
//   XREADGROUP (group = consuming service) ──► one PostgreSQL transaction: inbox row (event_id,
//   a redelivery is a no-op) + the handler's changes ──► XACK
//
// The relay publishes a batch of rows in one round trip (a script that XADDs each in order) and
// marks them in one UPDATE; the consumer applies each read in one transaction, with the inbox
// rows of the whole read in one statement.
//
// Failure handling: the relay marks a row published only after XADD succeeded (a crash between
// the two publishes it again; consumers drop the duplicate by inbox). A consumer that dies
// before XACK leaves the entry pending; XAUTOCLAIM hands it to a live consumer after
// `claim_idle`. A handler failing `max_attempts` times sends the event to the dead-letter stream
// `civil.events.dead.<service>`. When Redis loses its data (restart without persistence,
// FLUSHALL), the relay notices its epoch key is gone and republishes the outbox rows of the last
// `republish_window`; consumer groups are recreated from the start of the stream.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/events/v1/events.pb.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/common/pg.h"
#include "services/common/redis.h"

namespace civil {

// The stream a source publishes to: "civil.events.<source>".
std::string EventStream(absl::string_view source);

// A consumer name unique to this process: "<service>-<hostname>-<pid>".
std::string ConsumerName(absl::string_view service);

// Publishes a service's outbox to Redis. Thread-safe; one relay per service process is enough
// (several replicas may run one each: rows are claimed with FOR UPDATE SKIP LOCKED).
class OutboxRelay {
 public:
  struct Options {
    std::string source;  // producing service, e.g. "affairs"
    std::string pg_dsn;  // the service's database (holds `outbox`)
    std::string redis_host = "127.0.0.1";
    int redis_port = 6379;
    int batch = 500;
    // Approximate cap of the stream (XADD MAXLEN ~): far above what consumers leave unread in
    // normal operation, so only long-acknowledged entries are trimmed.
    int64_t max_len = 1000000;
    std::chrono::milliseconds idle_poll{1000};  // fallback poll when no NOTIFY arrives
    std::chrono::hours republish_window{24 * 7};
  };

  OutboxRelay(Options options, prometheus::Registry* registry);
  ~OutboxRelay();

  // Runs the relay on a thread of its own until Stop().
  void Start();
  void Stop();

  // One pass, for tests and tools: checks the Redis epoch, then publishes up to `batch` pending
  // rows. Returns the number published; UNAVAILABLE when PostgreSQL or Redis is down.
  absl::StatusOr<int> PublishOnce();

  // Pending rows and the age of the oldest, as the lag gauges show them.
  absl::StatusOr<std::pair<int64_t, double>> Lag();

 private:
  void Loop();
  absl::Status EnsureConnection();
  absl::Status CheckEpoch();
  void Disconnect();  // drops the connection and its LISTEN

  Options options_;
  RedisClient redis_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::notification_receiver> wakeup_;  // on connection_, declared after it
  std::mutex mu_;                                        // guards connection_, wakeup_ and epoch_
  std::string epoch_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  prometheus::Counter* published_ = nullptr;
  prometheus::Counter* republished_ = nullptr;
  prometheus::Gauge* lag_rows_ = nullptr;
  prometheus::Gauge* lag_seconds_ = nullptr;
  prometheus::Counter* errors_ = nullptr;
};

// Applies events from other services' streams in this service's database.
class EventConsumer {
 public:
  // Applies one event inside `txn` (the transaction that also records it in `inbox`). Return an
  // error to have it retried (and, after max_attempts, dead-lettered).
  using Handler = std::function<absl::Status(pqxx::transaction_base& txn,
                                             const civil::events::v1::Envelope& envelope)>;

  struct Options {
    std::string service;   // consuming service = consumer group name
    std::string consumer;  // this process's name within the group (unique per replica)
    std::string redis_host = "127.0.0.1";
    int redis_port = 6379;
    // Entries per read, applied in one transaction (group commit). Keep a read's handlers well
    // within `claim_idle`, or another replica claims the entries while they are being applied
    // (harmless, the inbox drops the second application, but wasted).
    int count = 500;
    std::chrono::milliseconds block{500};
    std::chrono::milliseconds claim_idle{5000};
    int max_attempts = 5;
  };

  EventConsumer(Options options, PgPool* pool, prometheus::Registry* registry);
  ~EventConsumer();

  // Subscribes `handler` to events of payload type `Payload` from `source`.
  template <typename Payload>
  void On(const std::string& source,
          std::function<absl::Status(pqxx::transaction_base&, const civil::events::v1::Envelope&,
                                     const Payload&)>
              handler) {
    Subscribe(source, Payload::descriptor()->full_name(),
              [handler](pqxx::transaction_base& txn,
                        const civil::events::v1::Envelope& envelope) -> absl::Status {
                Payload payload;
                if (!envelope.payload().UnpackTo(&payload)) {
                  return absl::DataLossError("event payload unreadable");
                }
                return handler(txn, envelope, payload);
              });
  }
  void Subscribe(const std::string& source, const std::string& type, Handler handler);

  void Start();
  void Stop();

  // One round, for tests: claims idle pending entries, reads new ones (waiting up to `block`),
  // applies and acknowledges them. Returns how many entries were handled (applied, duplicate or
  // dead-lettered).
  absl::StatusOr<int> PollOnce();

  // The dead-letter stream of this service.
  std::string DeadLetterStream() const;

  // Entries of the dead-letter stream after entry id `after` ("" = from the start), at most
  // `limit`, as stream id → raw fields (stream, id, error, envelope).
  struct DeadLetter {
    std::string id;
    std::string error;
    civil::events::v1::Envelope envelope;
  };
  absl::StatusOr<std::vector<DeadLetter>> ListDeadLetters(const std::string& after, int limit);

  // Applies dead-lettered entry `id` again with its failure count reset; `*applied` is the
  // result of applying (OK removes the entry from the dead-letter stream). Returns NOT_FOUND for
  // an unknown id, UNAVAILABLE when PostgreSQL or Redis is down.
  absl::Status ReplayDeadLetter(const std::string& id, absl::Status* applied);

 private:
  struct Entry {
    std::string stream;
    std::string id;
    std::string envelope;
  };
  absl::Status EnsureGroups();
  absl::StatusOr<std::vector<Entry>> Read(bool claim);
  absl::Status Handle(const Entry& entry);
  // Applies `envelope` with its inbox row in one transaction; `duplicate` tells it was applied
  // before. UNIMPLEMENTED when no handler is subscribed to its source and type.
  absl::Status Apply(const civil::events::v1::Envelope& envelope, bool* duplicate);
  // The handler subscribed to the envelope's source and type, or null.
  const Handler* FindHandler(const civil::events::v1::Envelope& envelope) const;
  // Metrics of one event handled: duplicates, or consumed and its delivery latency.
  void CountApplied(const civil::events::v1::Envelope& envelope, bool duplicate);
  // Applies the entries of one read (new or claimed) in one transaction and acknowledges them:
  // their inbox rows in one statement that tells which events are new, then the handlers of the
  // new ones in stream order. An error (any handler failed) changes nothing, and the caller
  // applies them one by one.
  absl::StatusOr<int> ApplyBatch(const std::vector<Entry>& entries);
  void Loop();

  Options options_;
  PgPool* pool_;
  RedisClient redis_;
  std::map<std::string, std::map<std::string, Handler>> handlers_;  // source → type → handler
  std::atomic<bool> stop_{false};
  std::thread thread_;
  bool groups_ready_ = false;
  prometheus::Family<prometheus::Counter>* consumed_family_ = nullptr;
  std::mutex metrics_mu_;
  std::map<std::string, prometheus::Counter*> consumed_;  // by type
  std::map<std::string, prometheus::Counter*> dead_;      // by type
  prometheus::Family<prometheus::Counter>* dead_family_ = nullptr;
  prometheus::Counter* duplicates_ = nullptr;
  prometheus::Counter* redelivered_ = nullptr;
  prometheus::Histogram* latency_ = nullptr;
};

}  // namespace civil
