// gRPC adapter of civil.governance.v1.ResidentRecordService: single submissions, the two bulk
// imports (a client stream of rows, and CSV text the gateway serves) fed through one importer
// that validates each row (record.h, record_import.h), resolves grid codes and region scope per
// batch of 500 and hands the batch to the store, reviews, the worklist, and the import progress
// gauges. No SQL here (RecordStore, GridStore).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "civil/governance/v1/record.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"
#include "services/governance/grid_store.h"
#include "services/governance/record_store.h"

namespace civil::governance {

// The import series: rows of the imports in progress (planned, done) and rows imported by
// outcome. Built once at start-up.
struct ImportMetrics {
  explicit ImportMetrics(prometheus::Registry* registry);
  prometheus::Gauge* rows_planned = nullptr;
  prometheus::Gauge* rows_done = nullptr;
  prometheus::Counter* created = nullptr;
  prometheus::Counter* resubmitted = nullptr;
  prometheus::Counter* unchanged = nullptr;
  prometheus::Counter* rejected = nullptr;
};

class ResidentRecordServiceImpl final : public v1::ResidentRecordService::Service {
 public:
  // None is owned. `today` gives the current date.
  // Full ID numbers (GetRecord / ListRecords with a reveal_reason) are recorded in `id_views`.
  ResidentRecordServiceImpl(RecordStore* records, GridStore* grids, ImportMetrics* metrics,
                            IdViewLog* id_views, Clock today);

  grpc::Status SubmitRecord(grpc::ServerContext* context, const v1::SubmitRecordRequest* request,
                            v1::SubmitRecordResponse* response) override;
  grpc::Status ImportRecords(grpc::ServerContext* context,
                             grpc::ServerReader<v1::ImportRecordsRequest>* reader,
                             v1::ImportRecordsResponse* response) override;
  grpc::Status ImportRecordsCsv(grpc::ServerContext* context,
                                const v1::ImportRecordsCsvRequest* request,
                                v1::ImportRecordsResponse* response) override;
  grpc::Status ReviewRecord(grpc::ServerContext* context, const v1::ReviewRecordRequest* request,
                            v1::ReviewRecordResponse* response) override;
  grpc::Status ReviewRecords(grpc::ServerContext* context, const v1::ReviewRecordsRequest* request,
                             v1::ReviewRecordsResponse* response) override;
  grpc::Status GetRecord(grpc::ServerContext* context, const v1::GetRecordRequest* request,
                         v1::GetRecordResponse* response) override;
  grpc::Status ListRecords(grpc::ServerContext* context, const v1::ListRecordsRequest* request,
                           v1::ListRecordsResponse* response) override;

 private:
  // `full`: the record's ID number in clear, appended to `seen` (both null: masked).
  absl::Status ToProto(const StoredRecord& record, v1::ResidentRecord* out,
                       std::vector<SeenPerson>* seen = nullptr) const;

  RecordStore* records_;
  GridStore* grids_;
  ImportMetrics* metrics_;
  IdViewLog* id_views_;
  Clock today_;
};

}  // namespace civil::governance
