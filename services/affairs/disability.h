// Disability subsidy rules (pure C++, 国发〔2015〕52号): valid certificate data, who may receive
// the care subsidy (grade 1–2 needing long-term care) and the living subsidy (a member of a 低保
// household, as the assistance department answers), and the months a subsidy covers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/allowance_months.h"  // MoveOutStopMonth: the kit's, shared
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::affairs {

// Numbers match civil.affairs.v1.DisabilityCategory / SubsidyKind / SubsidyStatus.
inline constexpr absl::string_view kCategoryNameList[] = {
    "", "VISUAL", "HEARING", "SPEECH", "PHYSICAL", "INTELLECTUAL", "MENTAL", "MULTIPLE"};
inline constexpr EnumNames kCategoryNames{kCategoryNameList};
enum class SubsidyKind { kLiving = 1, kCare = 2 };
inline constexpr absl::string_view kSubsidyKindNameList[] = {"", "LIVING", "CARE"};
inline constexpr EnumNames kSubsidyKindNames{kSubsidyKindNameList};
enum class SubsidyStatus { kPendingEligibility = 1, kActive = 2, kRejected = 3, kStopped = 4 };
inline constexpr absl::string_view kSubsidyStatusNameList[] = {"", "PENDING_ELIGIBILITY", "ACTIVE",
                                                               "REJECTED", "STOPPED"};
inline constexpr EnumNames kSubsidyStatusNames{kSubsidyStatusNameList};

// The programme a subsidy kind pays as the bank file names it (困难残疾人生活补贴,
// 重度残疾人护理补贴), and the run's file name: `bank-DISABILITY_<KIND>-<YYYY-MM>-<prefix>.csv`.
absl::string_view SubsidyProgrammeLabel(SubsidyKind kind);
std::string SubsidyBankFileName(SubsidyKind kind, absl::CivilMonth month, absl::string_view prefix);

// An upheld grievance against a refused subsidy: it goes back to the eligibility check
// (PENDING_ELIGIBILITY, history kept). FAILED_PRECONDITION unless REJECTED.
absl::Status CheckReopenRejectedSubsidy(SubsidyStatus status);

// The reason a living subsidy was stopped with when the person left 低保 (the EnrolmentEnded
// handler), and whether a stopped subsidy is one that an EnrolmentReinstated from `effective`
// (the reversed exit's first month no longer covered) resumes: a LIVING subsidy stopped for
// leaving 低保 from that month (or from its start, when it started later). Any other stop (a
// death, a reviewer's, an earlier or later 低保 exit) stays.
inline constexpr absl::string_view kLeftDibaoReason = "left 低保";
bool ResumesOnDibaoReinstated(absl::string_view reason, absl::CivilMonth start,
                              absl::CivilMonth end, absl::CivilMonth effective);

// What decides the back-payment (补发) of a living subsidy resumed on `resumed_on` after its
// stop from `end` (the first month the stop left unpaid) was reversed (EnrolmentReinstated).
struct BackPayFacts {
  absl::CivilMonth end;
  absl::CivilDay resumed_on;
  // The latest month a LIVING payment run has completed for the person's region (a run of a
  // prefix of it); none when no run has.
  std::optional<absl::CivilMonth> last_run_month;
  // Months of the kind already paid to the person (a run before the stop, a back-payment).
  std::vector<absl::CivilMonth> paid;
  // The person's recorded date of death, if any: no month after it is paid.
  std::optional<absl::CivilDay> died;
};

// The months paid back now, in order, each once: every month from `end` through the earlier of
// `last_run_month` and the month of `resumed_on` that was not paid, and not after the month of
// death. Months no run has reached yet are left to the runs (the subsidy is active again);
// empty without any run.
std::vector<absl::CivilMonth> BackPayMonths(const BackPayFacts& facts);

inline constexpr int kMinGrade = 1;
inline constexpr int kMaxGrade = 4;
// The care subsidy covers grades 1 and 2 (重度).
inline constexpr int kMaxCareGrade = 2;

// A person with disability as entered.
struct DisabledPersonInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  int category = 0;
  int grade = 0;
  std::string certified_date;
  bool long_term_care = false;
};

struct DisabledPersonDraft {
  std::string name;
  IdNumber id;
  RegionCode region;  // 12-digit residence
  int category = 0;
  int grade = 0;
  absl::CivilDay certified_on;
  bool long_term_care = false;
};

// Validates: name 1–64 characters, a valid ID number, a 12-digit residence code, a category, a
// grade 1–4, the certificate date (default `today`, not in the future, not before birth).
// INVALID_ARGUMENT naming the field.
absl::StatusOr<DisabledPersonDraft> ValidateDisabledPerson(const DisabledPersonInput& input,
                                                           absl::CivilDay today);

// The care subsidy rule: FAILED_PRECONDITION "kind: the care subsidy (重度残疾人护理补贴) is for
// disability grade 1 or 2 …" unless `grade` ≤ 2 and `long_term_care`.
absl::Status CheckCareEligibility(int grade, bool long_term_care);

// A certificate event from the disabled persons' federation (残联), as the exchange publishes it
// (DisabilityCertificateChanged).
struct CertificateChange {
  bool revoked = false;  // REVOKED
  int grade = 0;         // 1–4; 0 for a revocation that named none
  absl::CivilDay event_date;
};

// What a certificate event stops: a revocation every subsidy (both need a valid certificate), a
// grade above kMaxCareGrade the care subsidy; each from the month after the event
// (CertificateStopMonth). Empty when the event leaves the subsidies as they are.
std::vector<SubsidyKind> SubsidiesStoppedBy(const CertificateChange& change);
absl::CivilMonth CertificateStopMonth(absl::CivilDay event_date);

// FAILED_PRECONDITION "person_id: the disability certificate was revoked on … (残联)" when
// `revoked_on` is set: no subsidy starts on a revoked certificate.
absl::Status CheckCertificateValid(const std::optional<absl::CivilDay>& revoked_on);

// One enrolment of the person as the assistance department reports it.
struct EnrolmentFact {
  std::string enrolment_id;
  bool dibao = false;   // the programme is 低保
  bool active = false;  // covers the date asked about
  std::optional<absl::CivilMonth> start_month;
  std::optional<absl::CivilMonth> end_month;  // last month covered
};

// What the 低保 facts mean for a living subsidy.
struct LivingEligibility {
  bool eligible = false;
  std::string enrolment_id;                    // the active 低保 enrolment, when eligible
  std::optional<absl::CivilMonth> since;       // its first month
  std::optional<absl::CivilMonth> last_month;  // not eligible: the last month a 低保
                                               // enrolment covered, when there was one
};

// Eligible when one of `facts` is an active 低保 enrolment.
LivingEligibility DecideLiving(const std::vector<EnrolmentFact>& facts);

// The first month a living subsidy is no longer paid after the person left 低保, found out on
// `as_of`: the month after the last month 低保 covered (not before the subsidy's `start_month`);
// without such a month, the month after `as_of`.
absl::CivilMonth LivingStopMonth(const LivingEligibility& eligibility, absl::CivilDay as_of,
                                 absl::CivilMonth start_month);

// A monthly standard as entered.
struct StandardDraft {
  SubsidyKind kind = SubsidyKind::kLiving;
  int grade = 0;  // 0 = every grade
  RegionCode region_prefix;
  absl::CivilMonth effective_month;
  int64_t monthly_fen = 0;
};

// Validates: kind given, grade 0–4 (CARE: 0, 1 or 2), a 6/9/12-digit prefix, a `YYYY-MM` month,
// 1 to 100,000,000 fen. INVALID_ARGUMENT naming the field.
absl::StatusOr<StandardDraft> ValidateStandard(int kind, int grade, absl::string_view region_prefix,
                                               absl::string_view effective_month,
                                               int64_t monthly_fen);

}  // namespace civil::affairs
