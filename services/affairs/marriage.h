// Marriage registration rules (pure C++): legal marriage age (民法典 第1047条: men 22, women 20),
// one man and one woman (第1049条), and divorce by registration (第1077条): a 30-day cooling-off
// period in which either party may withdraw, then 30 days in which both must appear to receive
// the certificate, otherwise the application is deemed withdrawn. Periods count from the day
// after the application date (民法典 第201条); a period whose last day is a rest day ends on the
// next working day (第203条), over the kit's holiday calendar (holiday_calendar.h). The dates are
// decided once, when the application is filed, and kept with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/holiday_calendar.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::affairs {

inline constexpr int kMinMarriageAgeMen = 22;
inline constexpr int kMinMarriageAgeWomen = 20;
inline constexpr int kCoolingOffDays = 30;
inline constexpr int kCertificateWindowDays = 30;

// A party as entered.
struct PartyInput {
  std::string name;
  std::string id_number;
};

// A validated party.
struct PartyDraft {
  std::string name;
  IdNumber id;
};

// A validated marriage registration.
struct MarriageDraft {
  PartyDraft a;
  PartyDraft b;
  absl::CivilDay registered_on;
  std::string certificate_number;
  RegionCode region;
};

// Validates a certificate number (结婚证/离婚证字号) of `field`: 1–32 ASCII letters, digits and
// `-`. INVALID_ARGUMENT naming the field.
absl::StatusOr<std::string> ValidateCertificateNumber(absl::string_view field,
                                                      absl::string_view text);

// Checks the legal marriage age of `id` on `date`: FAILED_PRECONDITION
// "<field>: under the legal marriage age (民法典第1047条): a man may marry from 22, this party is
// 21 on 2024-03-14" otherwise.
absl::Status CheckMarriageAge(absl::string_view field, const IdNumber& id, absl::CivilDay date);

// Validates a registration: names 1–64 characters, valid and distinct ID numbers
// (INVALID_ARGUMENT naming `party_a.id_number` …), the date (default `today`, not in the future),
// the certificate number, the office's region (6/9/12 digits). Then the rules, as
// FAILED_PRECONDITION naming the rule: one man and one woman, both of legal age on the date.
// The "not currently married" rule needs the records and is the store's.
absl::StatusOr<MarriageDraft> ValidateMarriage(const PartyInput& a, const PartyInput& b,
                                               absl::string_view registration_date,
                                               absl::string_view certificate_number,
                                               absl::string_view region_code, absl::CivilDay today);

// Numbers match civil.affairs.v1.DivorceState.
enum class DivorceState {
  kCoolingOff = 1,
  kAwaitingCertificate = 2,
  kCompleted = 3,
  kWithdrawn = 4,
  kWithdrawnByLaw = 5,
  kTerminated = 6,
};

// The dates of a divorce application's periods.
struct DivorceTimeline {
  absl::CivilDay applied;
  absl::CivilDay cooling_off_end;  // applied + 30: the last day a party may withdraw
  absl::CivilDay window_start;  // cooling_off_end + 1: the first day the certificate may be issued
  absl::CivilDay window_end;    // cooling_off_end + 30: the last day
  absl::CivilDay lapsed;        // window_end + 1: deemed withdrawn from this day
};

// The periods counted in calendar days only (applied + 30, + 31, + 60, + 61): the dates of
// applications filed before the holiday calendar applied, and of facts that carry none.
DivorceTimeline TimelineOf(absl::CivilDay applied);
// The periods of an application filed on `applied`: each period's last day extended past rest
// days (民法典 第203条), the certificate window counted from the cooling-off period's (extended)
// end.
DivorceTimeline TimelineOf(absl::CivilDay applied, const HolidayCalendar& calendar);

// What happened to an application, with the dates (each empty until it happened).
struct DivorceFacts {
  absl::CivilDay applied;
  std::optional<absl::CivilDay> completed;
  std::optional<absl::CivilDay> withdrawn;
  std::optional<absl::CivilDay> terminated;  // the marriage ended by a death
  // The periods decided when it was filed (none: TimelineOf(applied), calendar days only).
  std::optional<DivorceTimeline> timeline;
};

// The periods the rules below apply to `facts`.
DivorceTimeline TimelineOf(const DivorceFacts& facts);

// The state on `as_of`: an event dated after `as_of` has not happened yet; an open application is
// COOLING_OFF up to the cooling-off end, AWAITING_CERTIFICATE up to the window's end and
// WITHDRAWN_BY_LAW after it (days 30, 60 and 61 without holidays).
// A date before the application counts as the application date.
DivorceState DivorceStateOn(const DivorceFacts& facts, absl::CivilDay as_of);

// Whether a party may withdraw on `date`: the application is open and `date` lies in
// [applied, applied + 30]. FAILED_PRECONDITION naming the rule otherwise.
absl::Status CheckWithdrawal(const DivorceFacts& facts, absl::CivilDay date);

// Whether the certificate may be issued on `date`: the application is open and `date` lies in
// [applied + 31, applied + 60]. FAILED_PRECONDITION naming the rule otherwise (inside the
// cooling-off period; after the window, when the application is deemed withdrawn).
absl::Status CheckCompletion(const DivorceFacts& facts, absl::CivilDay date);

// Whether a new application of a marriage may be filed on `date` given its earlier applications
// (none completed or terminated: the marriage is current): FAILED_PRECONDITION when one was filed
// after `date`; ALREADY_EXISTS "application_date: an application filed on X is open until Y" when
// one is still open on `date` (not withdrawn by then and not past its window).
absl::Status CheckNewApplication(const std::vector<DivorceFacts>& earlier, absl::CivilDay date);

// Numbers match civil.affairs.v1.ArchiveStage.
enum class ArchiveStage { kScanned = 1, kVerified = 2, kTransferred = 3 };
inline constexpr absl::string_view kArchiveStageNameList[] = {"", "SCANNED", "VERIFIED",
                                                              "TRANSFERRED"};
inline constexpr EnumNames kArchiveStageNames{kArchiveStageNameList};
inline constexpr int64_t kMaxArchiveFiles = 10'000'000;

// A validated archive digitisation batch.
struct ArchiveBatchDraft {
  RegionCode region;
  absl::CivilMonth covers_from;
  absl::CivilMonth covers_to;
  int64_t files_total = 0;
  absl::CivilDay received_on;
};

// Validates a batch: region 6/9/12 digits, `YYYY-MM` months with covers_from ≤ covers_to, 1 to
// 10,000,000 files, the received date (default today, not in the future). INVALID_ARGUMENT naming
// the field.
absl::StatusOr<ArchiveBatchDraft> ValidateArchiveBatch(
    absl::string_view region_code, absl::string_view covers_from, absl::string_view covers_to,
    int64_t files_total, absl::string_view received_date, absl::CivilDay today);

// Files of a batch and how many passed each stage so far.
struct ArchiveTotals {
  int64_t total = 0;
  int64_t scanned = 0;
  int64_t verified = 0;
  int64_t transferred = 0;
};

// Whether `files` more files may pass `stage`: a stage never counts more files than the one
// before it (scanned ≤ total, verified ≤ scanned, transferred ≤ verified). FAILED_PRECONDITION
// naming the limit otherwise.
absl::Status CheckArchiveProgress(const ArchiveTotals& totals, ArchiveStage stage, int64_t files);

}  // namespace civil::affairs
