#include "services/affairs/relief.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::affairs {

absl::StatusOr<std::vector<std::string>> ValidateServices(absl::string_view field,
                                                          const std::vector<int>& services) {
  std::vector<std::string> names;
  for (size_t i = 0; i < services.size(); ++i) {
    if (!kReliefServiceNames.Valid(services[i])) {
      return InvalidField(absl::StrCat(field, "[", i, "]"), "must be a defined service");
    }
    std::string name(kReliefServiceNames.Name(services[i]));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

absl::StatusOr<ReliefCaseDraft> ValidateReliefCase(const ReliefCaseInput& input,
                                                   absl::CivilDay today) {
  absl::StatusOr<RegionCode> region = NonEmptyPrefix("region_code", input.region_code);
  if (!region.ok()) return region.status();
  absl::StatusOr<std::string> place = BoundedText("place", input.place, 100);
  if (!place.ok()) return place.status();
  absl::StatusOr<absl::CivilDay> intake = EventDate("intake_date", input.intake_date, today);
  if (!intake.ok()) return intake.status();
  absl::StatusOr<std::string> name = BoundedText("name", input.name, 64, false);
  if (!name.ok()) return name.status();
  std::optional<IdNumber> id;
  if (!input.identity_known) {
    if (!name->empty()) return InvalidField("name", "only when identity_known");
    if (!input.id_number.empty()) return InvalidField("id_number", "only when identity_known");
  } else if (!input.id_number.empty()) {
    absl::StatusOr<IdNumber> parsed = IdNumber::Parse(input.id_number, today);
    if (!parsed.ok()) return InvalidField("id_number", parsed.status().message());
    id = *std::move(parsed);
  }
  absl::StatusOr<std::vector<std::string>> services = ValidateServices("services", input.services);
  if (!services.ok()) return services.status();
  int tracing = input.family_tracing;
  if (tracing == 0) {
    tracing = input.identity_known ? kFamilyTracingNotNeeded : kFamilyTracingInProgress;
  } else if (!kFamilyTracingNames.Valid(tracing)) {
    return InvalidField("family_tracing", "must be a defined value");
  }
  if (input.money_fen < 0 || input.money_fen > kMaxReliefMoneyFen) {
    return InvalidField("money_fen", absl::StrCat("must be from 0 to ", kMaxReliefMoneyFen));
  }
  absl::StatusOr<std::string> note = BoundedText("note", input.note, 500, false);
  if (!note.ok()) return note.status();
  return ReliefCaseDraft{
      *std::move(region), *std::move(place),    *intake, input.identity_known, *std::move(name),
      std::move(id),      *std::move(services), tracing, input.money_fen,      *std::move(note)};
}

absl::StatusOr<CampaignDraft> ValidateCampaign(const CampaignInput& input, absl::CivilDay today) {
  if (!kCampaignKindNames.Valid(input.kind)) return InvalidField("kind", "must be given");
  absl::StatusOr<std::string> name = BoundedText("name", input.name, 64);
  if (!name.ok()) return name.status();
  absl::StatusOr<RegionCode> region = NonEmptyPrefix("region_code", input.region_code);
  if (!region.ok()) return region.status();
  if (input.start_date.empty()) return InvalidField("start_date", "is required");
  absl::StatusOr<absl::CivilDay> start = EventDate("start_date", input.start_date, today);
  if (!start.ok()) return start.status();
  absl::StatusOr<absl::CivilDay> end = EventDate("end_date", input.end_date, today);
  if (!end.ok()) return end.status();
  if (*end < *start) return InvalidField("end_date", "must not be before start_date");
  if (input.persons_reached < 0 || input.persons_reached > 1'000'000) {
    return InvalidField("persons_reached", "must be from 0 to 1000000");
  }
  if (input.money_fen < 0 || input.money_fen > kMaxReliefMoneyFen) {
    return InvalidField("money_fen", absl::StrCat("must be from 0 to ", kMaxReliefMoneyFen));
  }
  return CampaignDraft{input.kind, *std::move(name),      *std::move(region), *start,
                       *end,       input.persons_reached, input.money_fen};
}

}  // namespace civil::affairs
