#include "services/childwelfare/child.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/allowance_months.h"
#include "services/common/errors.h"
#include "services/common/money.h"

namespace civil::childwelfare {
namespace {

// Dead or declared missing: the parent is gone.
bool Gone(ParentSituation s) {
  return s == ParentSituation::kDeceased || s == ParentSituation::kMissing;
}
// Alive but unable to raise the child.
bool Incapable(ParentSituation s) {
  switch (s) {
    case ParentSituation::kSeverelyDisabled:
    case ParentSituation::kSeriouslyIll:
    case ParentSituation::kImprisoned:
    case ParentSituation::kCompulsoryRehab:
    case ParentSituation::kOtherDetention:
    case ParentSituation::kLostContact:
      return true;
    default:
      return false;
  }
}

absl::string_view Name(ParentSituation s) {
  return kParentSituationNames.Name(static_cast<int>(s));
}

}  // namespace

bool IsOrphan(Category category) {
  return category == Category::kOrphanCentralised || category == Category::kOrphanDispersed;
}

absl::string_view BankProgrammeLabel(Category category) {
  return IsOrphan(category) ? "孤儿基本生活费" : "事实无人抚养儿童基本生活费";
}

absl::Status CheckGrounds(Category category, ParentSituation father, ParentSituation mother) {
  if (IsOrphan(category)) {
    if (!Gone(father)) {
      return InvalidField("father", absl::StrCat("is ", Name(father),
                                                 "; an orphan's parents are both DECEASED or "
                                                 "MISSING (otherwise DE_FACTO_UNSUPPORTED)"));
    }
    if (!Gone(mother)) {
      return InvalidField("mother", absl::StrCat("is ", Name(mother),
                                                 "; an orphan's parents are both DECEASED or "
                                                 "MISSING (otherwise DE_FACTO_UNSUPPORTED)"));
    }
    return absl::OkStatus();
  }
  if (Gone(father) && Gone(mother)) {
    return InvalidField("category",
                        "both parents are DECEASED or MISSING: the child is an orphan "
                        "(ORPHAN_CENTRALISED or ORPHAN_DISPERSED)");
  }
  for (const auto& [field, s] :
       {std::pair<absl::string_view, ParentSituation>{"father", father}, {"mother", mother}}) {
    if (!Gone(s) && !Incapable(s)) {
      return InvalidField(
          field, absl::StrCat("is ", Name(s),
                              "; a child without de-facto guardians has each parent DECEASED, "
                              "MISSING, or unable to raise the child (SEVERELY_DISABLED, "
                              "SERIOUSLY_ILL, IMPRISONED, COMPULSORY_REHAB, OTHER_DETENTION, "
                              "LOST_CONTACT)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ApplicationDraft> ValidateApplication(const ApplicationInput& input,
                                                     absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  absl::StatusOr<IdNumber> id = RequiredIdNumber("id_number", input.id_number, today);
  if (!id.ok()) return id.status();
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage}));
  CIVIL_RETURN_IF_ERROR(kCategoryNames.Require("category", input.category));
  CIVIL_RETURN_IF_ERROR(kParentSituationNames.Require("father", input.father));
  CIVIL_RETURN_IF_ERROR(kParentSituationNames.Require("mother", input.mother));
  const Category category = static_cast<Category>(input.category);
  const ParentSituation father = static_cast<ParentSituation>(input.father);
  const ParentSituation mother = static_cast<ParentSituation>(input.mother);
  CIVIL_RETURN_IF_ERROR(CheckGrounds(category, father, mother));
  CIVIL_ASSIGN_OR_RETURN(std::string guardian,
                         RequiredText("guardian_name", input.guardian_name, 64, "is required"));
  CIVIL_ASSIGN_OR_RETURN(
      std::string relation,
      RequiredText("guardian_relation", input.guardian_relation, 64, "is required"));
  CIVIL_ASSIGN_OR_RETURN(std::string placement,
                         RequiredText("placement", input.placement, 200, "is required"));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay applied,
                         EventDate("application_date", input.application_date, today));
  if (applied < id->birth_date()) {
    return InvalidField("application_date", "must not be before the birth date in the ID number");
  }
  if (AgeOn(id->birth_date(), applied) >= kAdultAge) {
    return InvalidField(
        "id_number", absl::StrCat("the child is ", AgeOn(id->birth_date(), applied), " on ",
                                  FormatDay(applied), "; only children under 18 are identified"));
  }
  return ApplicationDraft{
      std::move(name),     *std::move(id),      std::move(region),    category, father, mother,
      std::move(guardian), std::move(relation), std::move(placement), applied};
}

absl::Status CheckTownshipCheck(ChildStatus status, absl::string_view recorded_by,
                                absl::string_view checker, absl::CivilDay applied_on,
                                absl::CivilDay on) {
  if (status != ChildStatus::kPendingCheck) {
    return absl::FailedPreconditionError(
        absl::StrCat("child_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     ", not pending the township check"));
  }
  if (recorded_by == checker) {
    return absl::PermissionDeniedError(
        "maker-checker: the township check must not be made by the person who recorded the "
        "application");
  }
  if (on < applied_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "check_date: must not be before the application date ", FormatDay(applied_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckApproval(ChildStatus status, absl::string_view recorded_by,
                           absl::string_view checked_by, absl::string_view approver,
                           absl::CivilDay checked_on, absl::CivilDay on) {
  if (status == ChildStatus::kPendingCheck) {
    return absl::FailedPreconditionError(
        "child_id: the township has not checked the application yet; CheckChild first");
  }
  if (status != ChildStatus::kPendingApproval) {
    return absl::FailedPreconditionError(
        absl::StrCat("child_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     ", not pending approval"));
  }
  if (approver == recorded_by || approver == checked_by) {
    return absl::PermissionDeniedError(
        "maker-checker: the county approval must not be made by the person who recorded or "
        "checked the application");
  }
  if (on < checked_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "decision_date: must not be before the township check ", FormatDay(checked_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckCountyLevel(absl::string_view approver_scope) {
  if (approver_scope == "*" || (!approver_scope.empty() && approver_scope.size() <= 6)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("region: the county approval needs a reviewer of the county; your scope is ",
                   approver_scope.empty() ? "empty" : approver_scope));
}

absl::CivilDay BirthdayAt(absl::CivilDay birth, int age) {
  // CivilDay normalises 29 February of a non-leap year to 1 March.
  return absl::CivilDay(birth.year() + age, birth.month(), birth.day());
}

absl::CivilMonth AgeStopMonth(absl::CivilDay birth, std::optional<absl::CivilMonth> education_until,
                              int education_max_age) {
  const absl::CivilMonth adult = absl::CivilMonth(BirthdayAt(birth, kAdultAge)) + 1;
  if (!education_until) return adult;
  const absl::CivilMonth cap =
      absl::CivilMonth(BirthdayAt(birth, std::max(education_max_age, kAdultAge))) + 1;
  return std::max(adult, std::min(*education_until + 1, cap));
}

bool CoversMonth(absl::CivilMonth start, std::optional<absl::CivilMonth> end,
                 absl::CivilMonth age_stop, absl::CivilMonth month) {
  return start <= month && (!end || month < *end) && month < age_stop;
}

absl::StatusOr<EducationRecord> ValidateEducation(absl::string_view school, absl::string_view until,
                                                  absl::string_view date, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, RequiredText("school", school, 100, "is required"));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth last, RequiredMonth("education_until", until));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", date, today));
  if (last < absl::CivilMonth(on)) {
    return InvalidField("education_until", "must not be before the month of the record");
  }
  return EducationRecord{std::move(name), last, on};
}

absl::StatusOr<absl::CivilMonth> StopMonth(ChildStatus status, absl::CivilMonth start,
                                           absl::CivilDay on) {
  if (status != ChildStatus::kActive) {
    return absl::FailedPreconditionError(
        absl::StrCat("child_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     ", not active"));
  }
  const absl::CivilMonth stop = absl::CivilMonth(on) + 1;
  return stop < start ? start : stop;
}

std::optional<absl::CivilMonth> MoveOutStop(ChildStatus status, absl::CivilMonth start,
                                            absl::CivilDay moved) {
  if (status != ChildStatus::kActive) return std::nullopt;
  const absl::CivilMonth stop = MoveOutStopMonth(moved);
  return stop < start ? start : stop;
}

absl::StatusOr<ChildReopen> DecideChildReopen(ChildStatus status) {
  switch (status) {
    case ChildStatus::kRejected:
      return ChildReopen::kBackToCheck;
    case ChildStatus::kStopped:
      return ChildReopen::kRecordOnly;
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("case_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                       ", nothing to reopen"));
  }
}

absl::Status CheckStopReversal(ChildStatus status, std::optional<StopReason> reason,
                               bool deceased) {
  if (status != ChildStatus::kStopped) {
    return absl::FailedPreconditionError(
        absl::StrCat("case_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     ", not stopped"));
  }
  if (deceased || reason == StopReason::kDeceased) {
    return absl::FailedPreconditionError(
        "case_id: the child's death is recorded; a stop for death is not reversed by a "
        "grievance");
  }
  return absl::OkStatus();
}

absl::CivilMonth DeathStopMonth(absl::CivilDay died) { return absl::CivilMonth(died) + 1; }

std::string AcademicYearLabel(int start_year) {
  return absl::StrCat(start_year, "-", start_year + 1);
}

absl::Status CheckStipendOnce(const std::vector<int>& years_granted, int academic_year,
                              absl::string_view who) {
  if (std::find(years_granted.begin(), years_granted.end(), academic_year) == years_granted.end()) {
    return absl::OkStatus();
  }
  return absl::AlreadyExistsError(absl::StrCat("academic_year: ", who,
                                               " has a university stipend for ",
                                               AcademicYearLabel(academic_year), " already"));
}

std::string StipendLine(int persons, int64_t paid_fen, int64_t standard_fen) {
  const std::string standard =
      standard_fen > 0
          ? absl::StrCat("按照每人每学年", ReportWanYuan(Money::Fen(standard_fen)), "的标准,")
          : std::string();
  return absl::StrCat("为在校孤儿大学生", standard, "发放补助费用,共发放资金",
                      ReportWanYuan(Money::Fen(paid_fen)), ",惠及", persons, "人");
}

absl::StatusOr<StipendDraft> ValidateStipend(absl::string_view academic_year,
                                             absl::string_view university, int64_t amount_fen,
                                             absl::string_view date, absl::CivilDay today) {
  if (academic_year.empty()) return InvalidField("academic_year", "is required");
  int first = 0, second = 0;
  if (academic_year.size() != 9 || academic_year[4] != '-' ||
      !absl::SimpleAtoi(academic_year.substr(0, 4), &first) ||
      !absl::SimpleAtoi(academic_year.substr(5, 4), &second) || second != first + 1 ||
      first < 2000 || first > 2999) {
    return InvalidField("academic_year", "must be YYYY-YYYY, two consecutive years (2023-2024)");
  }
  CIVIL_ASSIGN_OR_RETURN(std::string name,
                         RequiredText("university", university, 100, "is required"));
  if (amount_fen < 0 || amount_fen > kMaxMonthlyFen) {
    return InvalidField("amount_fen", absl::StrCat("must be 0 (the standard 10,000 yuan) or up to ",
                                                   kMaxMonthlyFen));
  }
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay paid, EventDate("date", date, today));
  if (absl::CivilYear(paid).year() < first) {
    return InvalidField("date", "must not be before the academic year");
  }
  return StipendDraft{first, std::move(name), amount_fen == 0 ? kDefaultStipendFen : amount_fen,
                      paid};
}

absl::Status CheckStipendEligible(Category category, ChildStatus status, bool approved,
                                  std::optional<StopReason> stop_reason) {
  if (!IsOrphan(category)) {
    return absl::FailedPreconditionError(
        "child_id: the university stipend is for orphans (ORPHAN_CENTRALISED, ORPHAN_DISPERSED)");
  }
  if (!approved || (status != ChildStatus::kActive && status != ChildStatus::kStopped)) {
    return absl::FailedPreconditionError(
        absl::StrCat("child_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     "; only an approved orphan receives the stipend"));
  }
  if (stop_reason == StopReason::kDeceased) {
    return absl::FailedPreconditionError("child_id: the platform records the child's death");
  }
  return absl::OkStatus();
}

absl::StatusOr<Standard> ValidateStandard(absl::string_view region_prefix,
                                          absl::string_view effective_month, int category,
                                          int64_t monthly_fen) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode prefix, NonEmptyPrefix("region_prefix", region_prefix));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month,
                         RequiredMonth("effective_month", effective_month));
  CIVIL_RETURN_IF_ERROR(kCategoryNames.Require("category", category));
  if (monthly_fen < 1 || monthly_fen > kMaxMonthlyFen) {
    return InvalidField("monthly_fen", absl::StrCat("must be from 1 to ", kMaxMonthlyFen));
  }
  return Standard{std::move(prefix), month, static_cast<Category>(category), monthly_fen};
}

const Standard* StandardFor(const std::vector<Standard>& standards, Category category,
                            absl::string_view region_code, absl::CivilMonth month) {
  const Standard* best = nullptr;
  for (const Standard& s : standards) {
    if (s.category != category || s.effective_month > month) continue;
    if (!absl::StartsWith(region_code, s.region_prefix.value())) continue;
    if (best == nullptr || s.region_prefix.value().size() > best->region_prefix.value().size() ||
        (s.region_prefix.value().size() == best->region_prefix.value().size() &&
         s.effective_month > best->effective_month)) {
      best = &s;
    }
  }
  return best;
}

absl::Status NoStandardError(Category category, absl::string_view region_code,
                             absl::CivilMonth month) {
  return absl::FailedPreconditionError(absl::StrCat(
      "category: no standard for ", kCategoryNames.Name(static_cast<int>(category)), " covers ",
      region_code, " in ", FormatMonth(month), "; a reviewer sets one with SetStandard"));
}

PricedMonth PriceMonth(const std::vector<DueChild>& due, const std::vector<Standard>& standards,
                       absl::CivilMonth month, int education_max_age) {
  PricedMonth priced;
  for (const DueChild& c : due) {
    if (month >= AgeStopMonth(c.birth, c.education_until, education_max_age)) {
      ++priced.aged_out;
      continue;
    }
    const Standard* standard = StandardFor(standards, c.category, c.region_code, month);
    if (standard == nullptr) {
      ++priced.unpriced;
      continue;
    }
    priced.payments.push_back({c.child_id, c.category, standard->monthly_fen, c.region_code});
  }
  return priced;
}

absl::StatusOr<BackPay> PriceBackPay(const DueChild& child,
                                     const std::vector<absl::CivilMonth>& owed,
                                     const std::vector<Standard>& standards,
                                     int education_max_age) {
  BackPay back;
  const absl::CivilMonth age_stop =
      AgeStopMonth(child.birth, child.education_until, education_max_age);
  for (const absl::CivilMonth month : owed) {
    if (month >= age_stop) continue;
    const Standard* standard = StandardFor(standards, child.category, child.region_code, month);
    if (standard == nullptr) return NoStandardError(child.category, child.region_code, month);
    back.payments.push_back({month, child.category, standard->monthly_fen});
    back.total_fen += standard->monthly_fen;
  }
  return back;
}

}  // namespace civil::childwelfare
