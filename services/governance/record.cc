#include "services/governance/record.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/governance/grid.h"

namespace civil::governance {
namespace {

absl::StatusOr<std::vector<std::string>> Tags(absl::string_view text) {
  const std::string ascii = absl::StrReplaceAll(text, {{"；", ";"}});
  std::vector<std::string> tags;
  for (absl::string_view part : absl::StrSplit(ascii, ';')) {
    CIVIL_ASSIGN_OR_RETURN(std::string tag, BoundedText("tags", part, kMaxTagChars, false));
    if (tag.empty()) continue;
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  if (static_cast<int>(tags.size()) > kMaxTags) {
    return InvalidField("tags", absl::StrCat("at most ", kMaxTags, " tags"));
  }
  std::sort(tags.begin(), tags.end());
  return tags;
}

}  // namespace

absl::StatusOr<RecordDraft> ValidateRecord(const RecordRow& row, absl::CivilDay today) {
  const absl::string_view grid = absl::StripAsciiWhitespace(row.grid_code);
  if (grid.empty()) return InvalidField("grid_code", "is required");
  if (!IsGridCode(grid)) return InvalidField("grid_code", "must be a grid's 15 digits");
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", row.name, 32));
  absl::StatusOr<IdNumber> id =
      RequiredIdNumber("id_number", absl::StripAsciiWhitespace(row.id_number), today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(std::string address, BoundedText("address", row.address, 100));
  CIVIL_ASSIGN_OR_RETURN(std::string household, BoundedText("household", row.household, 32, false));
  CIVIL_ASSIGN_OR_RETURN(std::vector<std::string> tags, Tags(row.tags));
  CIVIL_ASSIGN_OR_RETURN(
      const absl::CivilDay submitted_on,
      EventDate("submit_date", absl::StripAsciiWhitespace(row.submit_date), today));
  return RecordDraft{std::string(grid),    std::move(name), *std::move(id), std::move(address),
                     std::move(household), std::move(tags), submitted_on};
}

absl::Status CheckResubmission(absl::CivilDay returned_on, absl::CivilDay submitted_on) {
  if (submitted_on < returned_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("submit_date: before the record was returned on ", FormatDay(returned_on)));
  }
  return absl::OkStatus();
}

SubmitOutcome DecideSubmission(std::optional<RecordStatus> status, const RecordContent& stored,
                               const RecordContent& submitted) {
  if (!status) return SubmitOutcome::kCreated;
  if (*status == RecordStatus::kReturned && !(stored == submitted)) {
    return SubmitOutcome::kResubmitted;
  }
  return SubmitOutcome::kUnchanged;
}

absl::StatusOr<ReviewDecision> ValidateReview(int decision, absl::string_view reason,
                                              absl::string_view review_date, absl::CivilDay today) {
  if (decision == 0) return InvalidField("decision", "is required");
  const auto outcome = static_cast<RecordStatus>(decision);
  if (outcome != RecordStatus::kReviewed && outcome != RecordStatus::kReturned) {
    return InvalidField("decision", "must be RECORD_STATUS_REVIEWED or RECORD_STATUS_RETURNED");
  }
  std::string clean;
  if (outcome == RecordStatus::kReturned) {
    CIVIL_ASSIGN_OR_RETURN(clean,
                           RequiredText("reason", reason, 200, "a return needs a written reason"));
  } else {
    CIVIL_ASSIGN_OR_RETURN(clean, BoundedText("reason", reason, 200, false));
  }
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("review_date", review_date, today));
  return ReviewDecision{outcome, std::move(clean), on};
}

absl::Status CheckReview(RecordStatus status, absl::string_view submitted_by,
                         absl::CivilDay submitted_on, absl::string_view reviewer,
                         const ReviewDecision& decision) {
  if (status != RecordStatus::kSubmitted) {
    return absl::FailedPreconditionError(
        absl::StrCat("record_id: the record is ", kRecordStatusNames.Name(static_cast<int>(status)),
                     ", not SUBMITTED"));
  }
  if (submitted_by == reviewer) {
    return absl::PermissionDeniedError(
        "maker-checker: the reviewer must not be the person who submitted the record");
  }
  if (decision.on < submitted_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "review_date: must not be before the submission on ", FormatDay(submitted_on)));
  }
  return absl::OkStatus();
}

}  // namespace civil::governance
