// Rules of residents' basic records (pure C++ on Abseil): a record as entered (one row of an
// import or one submission), what a resubmission may change, and a reviewer's decision (maker ≠
// checker, a return needs a reason).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::governance {

// Numbers match civil.governance.v1.RecordStatus.
enum class RecordStatus { kSubmitted = 1, kReviewed = 2, kReturned = 3 };
inline constexpr absl::string_view kRecordStatusNameList[] = {"", "SUBMITTED", "REVIEWED",
                                                              "RETURNED"};
inline constexpr EnumNames kRecordStatusNames{kRecordStatusNameList};

// Numbers match civil.governance.v1.SubmitOutcome.
enum class SubmitOutcome { kCreated = 1, kResubmitted = 2, kUnchanged = 3 };

inline constexpr int kMaxTags = 10;
inline constexpr int kMaxTagChars = 16;

// A record as entered: every field as text.
struct RecordRow {
  std::string grid_code;
  std::string name;
  std::string id_number;
  std::string address;
  std::string household;
  std::string tags;  // `;`-separated (a full-width `；` too)
  // `YYYY-MM-DD`, the day the record was collected; empty = today.
  std::string submit_date;
};

// A record validated.
struct RecordDraft {
  std::string grid_code;
  std::string name;
  IdNumber id;
  std::string address;
  std::string household;
  std::vector<std::string> tags;  // distinct, sorted
  absl::CivilDay submitted_on;
};

// Validates a record: grid_code 15 digits, name 1–32 characters, a valid ID number (birth date
// not after `today`), address 1–100 characters, household 0–32 characters, at most 10 tags of
// 1–16 characters, a submit date (default `today`, never in the future: a historical import keeps
// the day each record was collected). INVALID_ARGUMENT "<field>: <problem>" for the first field at
// fault, in that order (never quoting the ID number).
absl::StatusOr<RecordDraft> ValidateRecord(const RecordRow& row, absl::CivilDay today);

// A record's content as stored (the part a resubmission may change).
struct RecordContent {
  std::string name;
  std::string address;
  std::string household;
  std::vector<std::string> tags;
  friend bool operator==(const RecordContent& a, const RecordContent& b) {
    return a.name == b.name && a.address == b.address && a.household == b.household &&
           a.tags == b.tags;
  }
};

// What submitting `draft` does to an existing record of the same grid and person in `status`
// with `stored` content: a RETURNED record whose content differs is resubmitted; anything else
// is left unchanged. (No existing record: kCreated.)
SubmitOutcome DecideSubmission(std::optional<RecordStatus> status, const RecordContent& stored,
                               const RecordContent& submitted);

// A reviewer's decision as entered.
struct ReviewDecision {
  RecordStatus outcome = RecordStatus::kReviewed;  // kReviewed or kReturned
  std::string reason;
  absl::CivilDay on;
};

// Validates: `decision` REVIEWED or RETURNED, a reason (1–200 characters) required for RETURNED,
// the date (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<ReviewDecision> ValidateReview(int decision, absl::string_view reason,
                                              absl::string_view review_date, absl::CivilDay today);

// Whether `reviewer` may decide on a record in `status` submitted by `submitted_by` on
// `submitted_on`: PERMISSION_DENIED "maker-checker: …" when the reviewer submitted it;
// FAILED_PRECONDITION "record_id: …" when it is not SUBMITTED, "review_date: …" when the decision
// predates the submission.
absl::Status CheckReview(RecordStatus status, absl::string_view submitted_by,
                         absl::CivilDay submitted_on, absl::string_view reviewer,
                         const ReviewDecision& decision);

// Whether a RETURNED record returned on `returned_on` may be resubmitted on `submitted_on`:
// FAILED_PRECONDITION "submit_date: …" when the resubmission predates the return.
absl::Status CheckResubmission(absl::CivilDay returned_on, absl::CivilDay submitted_on);

// At most this many records in one ReviewRecords call.
inline constexpr int kMaxReviewBatch = 500;

}  // namespace civil::governance
