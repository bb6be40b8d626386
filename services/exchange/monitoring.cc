#include "services/exchange/monitoring.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::exchange {

namespace {
constexpr absl::string_view kCategoryNames[] = {"", "UNSTABLE_LIFTED", "MARGINAL",
                                                "SUDDEN_HARDSHIP"};
constexpr absl::string_view kOutcomeNames[] = {"", "ENROLLED", "NOT_ELIGIBLE", "REFERRED"};

template <size_t N>
absl::string_view NameOf(const absl::string_view (&names)[N], int number) {
  if (number <= 0 || number >= static_cast<int>(N)) return "";
  return names[number];
}

template <size_t N>
int NumberOf(const absl::string_view (&names)[N], absl::string_view name) {
  for (int i = 1; i < static_cast<int>(N); ++i) {
    if (names[i] == name) return i;
  }
  return 0;
}
}  // namespace

absl::string_view MonitoringCategoryName(int number) { return NameOf(kCategoryNames, number); }
int MonitoringCategoryNumber(absl::string_view name) { return NumberOf(kCategoryNames, name); }
absl::string_view CheckOutcomeName(int number) { return NameOf(kOutcomeNames, number); }
int CheckOutcomeNumber(absl::string_view name) { return NumberOf(kOutcomeNames, name); }

absl::StatusOr<MonitoringObject> ValidMonitoringObject(const MonitoringInput& input,
                                                       absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string record_id, ValidSourceRecordId(input.source_record_id));
  CIVIL_ASSIGN_OR_RETURN(IdNumber id, RequiredIdNumber("id_number", input.id_number, today));
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("household_region_code", input.household_region_code,
                                  {RegionCode::Level::kTownship, RegionCode::Level::kVillage}));
  if (input.category == 0) return InvalidField("category", "is required");
  const absl::string_view category = MonitoringCategoryName(input.category);
  if (category.empty()) return InvalidField("category", "unknown value");
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay identified,
                         ReportedDay("identified_on", input.identified_on, today, id.birth_date()));
  return MonitoringObject{std::move(record_id), std::move(id),         std::move(name),
                          std::move(region),    std::string(category), identified};
}

Outcome DecideMonitoringObject(const std::vector<KnownCandidate>& known,
                               absl::CivilDay identified_on) {
  for (const KnownCandidate& k : known) {
    if (!k.checked || k.identified_on == identified_on) return Outcome::kDuplicate;
  }
  return Outcome::kAccepted;
}

absl::StatusOr<MonitoringCheck> ValidMonitoringCheck(int outcome, absl::string_view note,
                                                     absl::string_view checked_on,
                                                     absl::CivilDay today) {
  if (outcome == 0) return InvalidField("outcome", "is required");
  const absl::string_view name = CheckOutcomeName(outcome);
  if (name.empty()) return InvalidField("outcome", "unknown value");
  CIVIL_ASSIGN_OR_RETURN(
      std::string text,
      RequiredText("note", note, 2000, "a check needs a note of what was found", TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day, EventDate("checked_on", checked_on, today));
  return MonitoringCheck{std::string(name), std::move(text), day};
}

absl::Status CheckMonitoringCheckAllowed(bool checked, absl::CivilDay identified_on,
                                         const MonitoringCheck& check) {
  if (checked) {
    return absl::FailedPreconditionError(
        "candidate_id: the check of this candidate is recorded already");
  }
  if (check.checked_on < identified_on) {
    return InvalidField("checked_on", absl::StrCat("must not be before the identification on ",
                                                   FormatDay(identified_on)));
  }
  return absl::OkStatus();
}

}  // namespace civil::exchange
