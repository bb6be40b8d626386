#include "services/assistance/benefit.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::assistance {
namespace {

struct ProgrammeInfo {
  Programme programme;
  absl::string_view name;
};
constexpr ProgrammeInfo kProgrammes[] = {
    {Programme::kDibao, "DIBAO"},
    {Programme::kTekun, "TEKUN"},
    {Programme::kRetiredWorkerSubsidy, "RETIRED_WORKER_SUBSIDY"},
    {Programme::kShanghaiResettledSubsidy, "SHANGHAI_RESETTLED_SUBSIDY"},
    {Programme::kLeprosySubsidy, "LEPROSY_SUBSIDY"},
    {Programme::kMarginal, "MARGINAL"},
    {Programme::kExpenditureHardship, "EXPENDITURE_HARDSHIP"},
};

constexpr absl::string_view kExitReasons[] = {"",           "DEATH",     "INELIGIBLE_INCOME",
                                              "MOVED_AWAY", "VOLUNTARY", "OTHER"};
constexpr absl::string_view kStatuses[] = {"",          "SUBMITTED", "INVESTIGATED",
                                           "IN_NOTICE", "APPROVED",  "REJECTED"};
constexpr absl::string_view kTekunCategories[] = {"", "ELDERLY", "DISABLED", "MINOR"};

}  // namespace

absl::string_view ProgrammeName(Programme programme) {
  for (const auto& p : kProgrammes) {
    if (p.programme == programme) return p.name;
  }
  return "";
}

absl::StatusOr<Programme> ProgrammeFromName(absl::string_view name) {
  for (const auto& p : kProgrammes) {
    if (p.name == name) return p.programme;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown programme ", name));
}

absl::StatusOr<Programme> ProgrammeFromNumber(int number, absl::string_view field) {
  if (number < 1 || number > 7) return InvalidField(field, "unknown programme");
  return static_cast<Programme>(number);
}

bool IsHouseholdProgramme(Programme programme) {
  return programme == Programme::kDibao || programme == Programme::kMarginal ||
         programme == Programme::kExpenditureHardship;
}

int MarginalMultiplierPermille(int permille) {
  return permille == 0 ? StandardValues{}.marginal_multiplier_permille : permille;
}

bool IsPaid(Programme programme) {
  return programme != Programme::kMarginal && programme != Programme::kExpenditureHardship;
}

std::string ExclusiveGroup(Programme programme) {
  if (programme == Programme::kDibao || programme == Programme::kTekun) return "SUBSISTENCE";
  return std::string(ProgrammeName(programme));
}

absl::string_view ExitReasonName(ExitReason reason) {
  return kExitReasons[static_cast<int>(reason)];
}

absl::StatusOr<ExitReason> ExitReasonFromName(absl::string_view name) {
  for (int i = 1; i <= 5; ++i) {
    if (kExitReasons[i] == name) return static_cast<ExitReason>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown exit reason ", name));
}

absl::string_view TekunCategoryName(TekunCategory category) {
  return kTekunCategories[static_cast<int>(category)];
}

absl::StatusOr<TekunCategory> TekunCategoryFromName(absl::string_view name) {
  for (int i = 1; i <= 3; ++i) {
    if (kTekunCategories[i] == name) return static_cast<TekunCategory>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown 特困 category ", name));
}

absl::StatusOr<TekunCategory> TekunCategoryFromNumber(int number, absl::string_view field) {
  if (number < 1 || number > 3) {
    return InvalidField(field, "unknown category: ELDERLY, DISABLED or MINOR");
  }
  return static_cast<TekunCategory>(number);
}

absl::Status CheckTekunCategory(TekunCategory category, absl::CivilDay birth_date,
                                absl::CivilDay investigated_on, absl::string_view field) {
  const int age = AgeOn(birth_date, investigated_on);
  if (category == TekunCategory::kElderly && age < kTekunElderlyAge) {
    return InvalidField(
        field, absl::StrCat("ELDERLY needs an applicant aged ", kTekunElderlyAge,
                            " or more; the applicant is ", age, " on the investigation day"));
  }
  if (category == TekunCategory::kMinor && age >= kTekunMinorAge) {
    return InvalidField(field,
                        absl::StrCat("MINOR needs an applicant under ", kTekunMinorAge,
                                     "; the applicant is ", age, " on the investigation day"));
  }
  return absl::OkStatus();
}

absl::Status CheckTekunGroundsForApproval(const std::optional<TekunGrounds>& grounds) {
  if (!grounds.has_value()) {
    return absl::FailedPreconditionError(
        "tekun_grounds: the investigation recorded no 特困 grounds (社会救助暂行办法 第14条); "
        "reject the application or file it again with its grounds");
  }
  std::vector<absl::string_view> missing;
  if (!grounds->no_work_capacity) missing.push_back("no_work_capacity");
  if (!grounds->no_income) missing.push_back("no_income");
  if (!grounds->no_supporter) missing.push_back("no_supporter");
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "tekun_grounds: not established at investigation: ", absl::StrJoin(missing, ", "),
      " (社会救助暂行办法 第14条 needs all three); reject the application"));
}

absl::Status CheckRigidExpenses(const RigidExpenses& expenses, absl::string_view field) {
  if (expenses.medical.fen() < 0) {
    return InvalidField(absl::StrCat(field, ".medical_fen"), "must not be negative");
  }
  if (expenses.education.fen() < 0) {
    return InvalidField(absl::StrCat(field, ".education_fen"), "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status CheckExpenditureHardshipForApproval(const StandardValues& dibao_standard, int persons,
                                                 Money household_income,
                                                 const std::optional<RigidExpenses>& expenses) {
  if (!expenses.has_value()) {
    return absl::FailedPreconditionError(
        "rigid_expenses: the investigation recorded no rigid expenses (medical, education) of "
        "the 支出型 household; reject the application or file it again with its expenses");
  }
  const Money line = Money::Fen(dibao_standard.monthly.fen() * persons);
  const std::string of_line = absl::StrCat(" the 低保 line ", line.ToYuan(), " yuan (", persons,
                                           " × ", dibao_standard.monthly.ToYuan(), ")");
  if (household_income.fen() < line.fen()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rigid_expenses: household income ", household_income.ToYuan(), " yuan is below", of_line,
        ": a 低保 case, not 支出型; reject the application and file it for 低保"));
  }
  const Money rigid = Money::Fen(expenses->medical.fen() + expenses->education.fen());
  const Money left = Money::Fen(household_income.fen() - rigid.fen());
  if (left.fen() >= line.fen()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rigid_expenses: household income ", household_income.ToYuan(),
        " yuan less rigid expenses ", rigid.ToYuan(), " yuan is ", left.ToYuan(),
        " yuan, not below", of_line, ": not a 支出型困难家庭; reject the application"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Money> DibaoMonthlyAmount(const StandardValues& standard,
                                         const std::vector<MemberFacts>& members,
                                         Money household_income, absl::CivilMonth month) {
  if (members.empty()) return absl::InvalidArgumentError("members: the household has no members");
  if (household_income < Money()) {
    return InvalidField("household_monthly_income_fen", "must not be negative");
  }
  const Money gap = standard.monthly * static_cast<int64_t>(members.size()) - household_income;
  if (gap <= Money()) {
    return absl::FailedPreconditionError(
        "household income is not below the 低保 line (standard × members)");
  }
  Money amount = gap.CeilToYuan();
  for (const MemberFacts& m : members) amount += MemberSupplement(standard, m, month);
  return amount;
}

Money PerPersonMonthlyAmount(const StandardValues& standard) { return standard.monthly; }

Money MemberSupplement(const StandardValues& standard, const MemberFacts& member,
                       absl::CivilMonth month) {
  Money supplement;
  const int age = AgeOn(member.birth_date, absl::CivilDay(month));
  if (member.seriously_ill) supplement = std::max(supplement, standard.supplement_seriously_ill);
  if (member.severely_disabled) {
    supplement = std::max(supplement, standard.supplement_severely_disabled);
  }
  if (age >= 60) supplement = std::max(supplement, standard.supplement_elderly);
  if (age < 18) supplement = std::max(supplement, standard.supplement_minor);
  return supplement;
}

std::optional<size_t> StandardInForce(const std::vector<StandardRecord>& standards,
                                      absl::string_view region_code, absl::CivilMonth month) {
  const absl::CivilDay first_day(month);
  std::optional<size_t> best;
  for (size_t i = 0; i < standards.size(); ++i) {
    const StandardRecord& s = standards[i];
    if (!absl::StartsWith(region_code, s.region_prefix) || s.effective_from > first_day) continue;
    if (!best) {
      best = i;
      continue;
    }
    const StandardRecord& b = standards[*best];
    if (s.region_prefix.size() > b.region_prefix.size() ||
        (s.region_prefix.size() == b.region_prefix.size() && s.effective_from > b.effective_from)) {
      best = i;
    }
  }
  return best;
}

Money DibaoFormula(const StandardValues& standard, int persons, Money income,
                   const std::vector<MemberFacts>& members, absl::CivilMonth month) {
  Money amount = (standard.monthly * static_cast<int64_t>(persons) - income).CeilToYuan();
  for (const MemberFacts& m : members) amount += MemberSupplement(standard, m, month);
  return amount;
}

MonthlyPayment AmountForMonth(Programme programme, const DecidedAmount& decided,
                              const StandardRecord* in_force, const StandardRecord* decided_on,
                              std::optional<Money> income, const std::vector<MemberFacts>& members,
                              absl::CivilMonth month) {
  if (in_force == nullptr) return {decided.amount};
  const bool dibao = programme == Programme::kDibao;
  if (decided.set_on_review) {
    if (decided_on == nullptr || decided_on->standard_id == in_force->standard_id) {
      return {decided.amount};
    }
    const Money i = income.value_or(Money());
    const Money change =
        dibao ? DibaoFormula(in_force->values, decided.persons, i, members, month) -
                    DibaoFormula(decided_on->values, decided.persons, i, members, month)
              : in_force->values.monthly - decided_on->values.monthly;
    return {std::max(Money(), decided.amount + change)};
  }
  if (!dibao) return {PerPersonMonthlyAmount(in_force->values)};
  if (!income) return {decided.amount};
  const Money gap = in_force->values.monthly * static_cast<int64_t>(decided.persons) - *income;
  if (gap <= Money()) return {Money(), true};
  return {DibaoFormula(in_force->values, decided.persons, *income, members, month)};
}

bool IsMarginal(const StandardValues& standard, int members, Money household_income) {
  // income / members ≤ standard × permille / 1000, in integers.
  return household_income.fen() * 1000 <=
         standard.monthly.fen() * standard.marginal_multiplier_permille * members;
}

absl::string_view ApplicationStatusName(ApplicationStatus status) {
  return kStatuses[static_cast<int>(status)];
}

absl::StatusOr<ApplicationStatus> ApplicationStatusFromName(absl::string_view name) {
  for (int i = 1; i <= 5; ++i) {
    if (kStatuses[i] == name) return static_cast<ApplicationStatus>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown application status ", name));
}

absl::Status CheckTransition(ApplicationStatus status, ApplicationAction action) {
  const std::string state = absl::StrCat("application is ", ApplicationStatusName(status), ": ");
  if (status == ApplicationStatus::kApproved || status == ApplicationStatus::kRejected) {
    return absl::FailedPreconditionError(absl::StrCat(state, "it is decided; file a new one"));
  }
  switch (action) {
    case ApplicationAction::kInvestigate:
      if (status == ApplicationStatus::kSubmitted) return absl::OkStatus();
      return absl::FailedPreconditionError(absl::StrCat(state, "it was investigated already"));
    case ApplicationAction::kPublish:
      if (status == ApplicationStatus::kInvestigated) return absl::OkStatus();
      return absl::FailedPreconditionError(absl::StrCat(
          state, status == ApplicationStatus::kSubmitted ? "investigate it before the public notice"
                                                         : "the notice has started already"));
    case ApplicationAction::kObject:
      if (status == ApplicationStatus::kInNotice) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat(state, "objections are recorded during the public notice"));
    case ApplicationAction::kApprove:
      if (status == ApplicationStatus::kInNotice) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat(state, "approval comes after investigation and the public notice"));
    case ApplicationAction::kReject:
      return absl::OkStatus();
  }
  return absl::InternalError("unknown action");
}

absl::Status CheckReopenRejected(ApplicationStatus status) {
  if (status != ApplicationStatus::kRejected) {
    return absl::FailedPreconditionError(
        absl::StrCat("case_id: application is ", ApplicationStatusName(status),
                     ": only a rejected application goes back to investigation"));
  }
  return absl::OkStatus();
}

absl::Status CheckExitReversal(bool ended, ExitReason reason) {
  if (!ended) {
    return absl::FailedPreconditionError("case_id: the enrolment is active: no exit to reverse");
  }
  if (reason == ExitReason::kDeath) {
    return absl::FailedPreconditionError(
        "case_id: an exit for death is corrected in the death registry, not reversed");
  }
  return absl::OkStatus();
}

Money BackPayment(Money due, Money paid) {
  return due.fen() > paid.fen() ? Money::Fen(due.fen() - paid.fen()) : Money();
}

absl::CivilDay NoticeEnd(absl::CivilDay start) { return start + (kNoticeDays - 1); }

absl::CivilDay ReviewDue(const AssistanceRules& rules, Programme programme, bool urban,
                         absl::CivilMonth start) {
  int months = rules.review_months_other;
  if (programme == Programme::kDibao) {
    months = urban ? rules.review_months_urban_dibao : rules.review_months_rural_dibao;
  } else if (programme == Programme::kTekun) {
    months = rules.review_months_tekun;
  }
  return absl::CivilDay(start + months);
}

bool IsLateEntry(const AssistanceRules& rules, absl::CivilDay happened, absl::CivilDay today) {
  return today - happened > rules.late_entry_days;
}

}  // namespace civil::assistance
