// gRPC adapter of civil.exchange.v1.InboundRecordService (the log of every record received),
// and what the batch adapters share: who may send as a source, results to proto.
#pragma once

#include <map>
#include <tuple>

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/common/adapter.h"
#include "services/exchange/inbound_store.h"

namespace civil::exchange {

// PERMISSION_DENIED "source: …" unless `caller` is the system of `source` (holds
// SourceRole(source)) or `admin`.
absl::Status CheckSender(const Caller& caller, Source source);

// The batch header of a batch from `caller`.
BatchHeader HeaderFor(const Caller& caller, RecordKind kind, Source source, std::string batch_id,
                      int records);

// `civil_exchange_records_total{kind, source, outcome}`: records received, by kind, source and
// outcome (`resent` for a record sent again). Every child is made at start-up.
class InboundMetrics {
 public:
  explicit InboundMetrics(prometheus::Registry* registry);
  void Count(RecordKind kind, Source source, const RecordResult& result);

 private:
  std::map<std::tuple<RecordKind, Source, std::string>, prometheus::Counter*> counters_;
};

void ToProto(const RecordResult& result, v1::RecordResult* out);
void ToProto(const Tally& tally, v1::BatchTally* out);

class InboundRecordServiceImpl final : public v1::InboundRecordService::Service {
 public:
  // Not owned.
  explicit InboundRecordServiceImpl(InboundStore* inbound) : inbound_(inbound) {}

  grpc::Status ListInboundRecords(grpc::ServerContext* context,
                                  const v1::ListInboundRecordsRequest* request,
                                  v1::ListInboundRecordsResponse* response) override;

 private:
  InboundStore* inbound_;
};

}  // namespace civil::exchange
