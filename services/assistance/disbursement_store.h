// PostgreSQL access for monthly disbursement batches: a run pays every enrolment of a programme
// in a region for a month, in chunks, exactly once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/disbursement.pb.h"
#include "services/assistance/benefit.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/pg.h"

namespace civil::assistance {

// How far a running disbursement is: `done` of the `total` enrolments it pays (those of the
// programme in the region covering the month) have been through, in batch `batch_id`.
struct DisbursementProgress {
  std::string batch_id;
  int64_t done = 0;
  int64_t total = 0;
};

class DisbursementStore {
 public:
  // Enrolments per INSERT … SELECT of a run (see Run): about four progress reports per county
  // run, at a cost per chunk that stays out of the figures.
  static constexpr int kDefaultChunkSize = 25000;

  // `chunk_size` > 0: enrolments paid per statement, between two progress reports.
  explicit DisbursementStore(PgPool* pool, int chunk_size = kDefaultChunkSize);
  // See DisbursementService.RunDisbursement; `actor` is the subject recorded as run_by (the
  // adapter has scoped `region_prefix`). `created` tells whether this call made the batch.
  // A new batch is paid in chunks of enrolments, in enrolment order, all in the one transaction
  // that creates the batch (a failure keeps nothing; the unique index on enrolment and month
  // still makes every payment exactly once); runs of one programme and month wait for each other.
  // `progress`, when set, is called before the first chunk and after each, on the calling
  // thread, and again from the start if the transaction is run again. Returns the mapped
  // database error when the run fails.
  absl::StatusOr<v1::DisbursementBatch> Run(
      const std::string& actor, Programme programme, absl::CivilMonth month,
      const std::string& region_prefix, bool* created,
      const std::function<void(const DisbursementProgress&)>& progress = nullptr);
  // NOT_FOUND also for a batch whose region is outside the actor's scope.
  absl::StatusOr<v1::DisbursementBatch> Get(const Actor& actor, const std::string& batch_id);

 private:
  PgPool* pool_;
  int chunk_size_;
};

}  // namespace civil::assistance
