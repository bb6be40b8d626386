// PostgreSQL access for residents' basic records: batches of submitted records (the existing
// records of a batch read under row locks, DecideSubmission applied to each, new ones inserted
// and corrected RETURNED ones resubmitted, all in one transaction per batch), reviews, the
// keyset-paginated worklist and the period's figures. All SQL of `resident_records` and
// `record_events` lives here (grids are read for codes and regions); the rules are record.h's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"
#include "services/governance/record.h"

namespace civil::governance {

struct StoredRecord {
  std::string record_id;
  std::string grid_id;
  std::string grid_code;
  std::string village_code;
  std::string name;
  std::string id_masked;
  std::string id_cipher;
  std::string address;
  std::string household;
  std::vector<std::string> tags;
  RecordStatus status = RecordStatus::kSubmitted;
  std::string submitted_by;
  absl::CivilDay submitted_on;
  std::string reviewed_by;
  std::optional<absl::CivilDay> reviewed_on;
  std::string return_reason;
  int64_t update_time_micros = 0;
  int64_t seq = 0;
};

// A validated record bound for a grid.
struct RecordToWrite {
  std::string grid_id;
  RecordDraft draft;
};

// What one batch did.
struct BatchResult {
  int64_t created = 0;
  int64_t resubmitted = 0;
  int64_t unchanged = 0;
  // Rows written as nothing, by their index in the batch, with the reason ("<field>: …"): a
  // resubmission dated before the record's return (CheckResubmission).
  std::vector<std::pair<size_t, std::string>> rejected;
};

// One record of a ReviewBatch call that was not decided, and why (the status Review would give).
struct ReviewRefusal {
  std::string record_id;
  absl::Status status;
};

// The records figures of a region.
struct RecordFigures {
  int64_t reviewed_as_of = 0;  // REVIEWED with the review on or before the period's end
  int64_t reviewed_in_period = 0;
  int64_t submitted_as_of = 0;  // every record submitted on or before the end
};

class RecordStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  RecordStore(PgPool* pool, const PiiProtector* pii);

  // Writes a batch of records submitted by `actor`, each on its draft's day, in one transaction:
  // for each, DecideSubmission against the record of the same grid and person (read FOR UPDATE);
  // a second row of the same grid and person in the batch is unchanged, as a row whose record a
  // concurrent import created first. INTERNAL when encryption fails.
  absl::StatusOr<BatchResult> WriteBatch(const std::vector<RecordToWrite>& rows,
                                         const std::string& actor);

  // Writes one record as WriteBatch does and returns it with what happened; a row WriteBatch
  // rejects is its FAILED_PRECONDITION.
  absl::StatusOr<std::pair<StoredRecord, SubmitOutcome>> Submit(const RecordToWrite& row,
                                                                const std::string& actor);

  // NOT_FOUND "record_id: no such record".
  absl::StatusOr<StoredRecord> Get(const std::string& record_id);

  // The clear ID number of a record (for callers who may see it) and its blind index (for the
  // ID-view trail, id_views.h). DATA_LOSS when the cipher does not open.
  absl::StatusOr<std::pair<std::string, std::string>> Reveal(const StoredRecord& record) const;

  // Decides on a record after `check_scope` (its grid's village) and CheckReview, under a row
  // lock; writes the record_events row. NOT_FOUND for an unknown record.
  absl::StatusOr<StoredRecord> Review(
      const std::string& record_id, const std::string& reviewer, const ReviewDecision& decision,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // Decides on up to kMaxReviewBatch records at once, as Review does each, in one transaction:
  // the records that pass `check_scope` and CheckReview are decided; the others are returned with
  // the status Review would have given them (NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION),
  // and nothing of theirs changes. A repeated id counts once.
  absl::StatusOr<std::vector<ReviewRefusal>> ReviewBatch(
      const std::vector<std::string>& record_ids, const std::string& reviewer,
      const ReviewDecision& decision,
      const std::function<absl::Status(const std::string&)>& check_scope);

  // Whether a listing of `region_prefix` (no grid) goes grid by grid: for a township or village
  // prefix, the records are listed by grid (in creation order), each grid's oldest first, and a
  // position packs the grid's and the record's (kGridPositionShift); for the county (or all),
  // oldest first across the region. Either way each page is a few index range scans, whatever
  // the table's size, where filtering the whole table by region would scan it.
  static bool ListsByGrid(const std::string& grid_id, const std::string& region_prefix);
  static constexpr int kGridPositionShift = 40;

  // Records of `grid_id` (or, when empty, of every grid within `region_prefix`) in `status`
  // (any when unset), after position `after` (0 = from the start), in the order ListsByGrid says.
  absl::StatusOr<Page<StoredRecord>> List(const std::string& grid_id,
                                          const std::string& region_prefix,
                                          std::optional<RecordStatus> status, int64_t after,
                                          int page_size);

  // The figures of `start`..`end` within `region_prefix` (by the grid's village now).
  absl::StatusOr<RecordFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                        absl::CivilDay end);

 private:
  // The decision of Review and ReviewBatch inside `txn`: the records locked, each checked
  // (`check_scope`, then CheckReview), the passing ones decided with their record_events rows;
  // returns the others with their reasons (NOT_FOUND for an id with no record).
  std::vector<ReviewRefusal> DecideIn(
      pqxx::transaction_base& txn, const std::vector<std::string>& record_ids,
      const std::string& reviewer, const ReviewDecision& decision,
      const std::function<absl::Status(const std::string&)>& check_scope);

  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::governance
