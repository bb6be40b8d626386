#include "services/affairs/funeral.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::affairs {
namespace {

constexpr int64_t kMaxAmountFen = 100'000'000;

bool IsItemCode(absl::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<CremationDraft> ValidateCremation(const CremationInput& input,
                                                 absl::CivilDay today) {
  absl::StatusOr<std::string> name = BoundedText("name", input.name, 64);
  if (!name.ok()) return name.status();
  if (input.id_number.empty()) return InvalidField("id_number", "is required");
  absl::StatusOr<IdNumber> id = IdNumber::Parse(input.id_number, today);
  if (!id.ok()) return InvalidField("id_number", id.status().message());
  absl::StatusOr<absl::CivilDay> cremated =
      EventDate("cremation_date", input.cremation_date, today);
  if (!cremated.ok()) return cremated.status();
  if (input.date_of_death.empty()) return InvalidField("date_of_death", "is required");
  absl::StatusOr<absl::CivilDay> died = EventDate("date_of_death", input.date_of_death, today);
  if (!died.ok()) return died.status();
  if (*died > *cremated) {
    return InvalidField("date_of_death", "must not be after the cremation date");
  }
  if (*died < id->birth_date()) {
    return InvalidField("date_of_death", "must not be before the birth date in the ID number");
  }
  absl::StatusOr<std::string> home = BoundedText("funeral_home", input.funeral_home, 64);
  if (!home.ok()) return home.status();
  absl::StatusOr<RegionCode> region =
      RegionOf("region_code", input.region_code, {RegionCode::Level::kVillage});
  if (!region.ok()) return region.status();
  return CremationDraft{*std::move(name), *std::move(id),   *died,
                        *cremated,        *std::move(home), *std::move(region)};
}

absl::StatusOr<FeeSchedule> ValidateFeeSchedule(absl::string_view region_prefix,
                                                absl::string_view effective_from,
                                                const std::vector<FeeItem>& items) {
  absl::StatusOr<RegionCode> prefix = NonEmptyPrefix("region_prefix", region_prefix);
  if (!prefix.ok()) return prefix.status();
  if (effective_from.empty()) return InvalidField("effective_from", "is required");
  absl::StatusOr<absl::CivilDay> from = ParseDay(effective_from);
  if (!from.ok()) return InvalidField("effective_from", from.status().message());
  if (items.empty()) return InvalidField("items", "at least one fee item is required");
  if (items.size() > kMaxFeeItems) {
    return InvalidField("items", absl::StrCat("at most ", kMaxFeeItems, " items"));
  }
  FeeSchedule schedule{"", *prefix, *from, {}, Money()};
  absl::flat_hash_set<std::string> codes;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string field = absl::StrCat("items[", i, "]");
    if (!IsItemCode(items[i].code)) {
      return InvalidField(absl::StrCat(field, ".code"), "must be 1 to 32 of A-Z, 0-9 and _");
    }
    if (!codes.insert(items[i].code).second) {
      return InvalidField(absl::StrCat(field, ".code"), "appears twice");
    }
    absl::StatusOr<std::string> name = BoundedText(absl::StrCat(field, ".name"), items[i].name, 64);
    if (!name.ok()) return name.status();
    if (items[i].amount_fen < 0 || items[i].amount_fen > kMaxAmountFen) {
      return InvalidField(absl::StrCat(field, ".amount_fen"),
                          absl::StrCat("must be from 0 to ", kMaxAmountFen));
    }
    schedule.items.push_back(FeeItem{items[i].code, *std::move(name), items[i].amount_fen});
    schedule.waived += Money::Fen(items[i].amount_fen);
  }
  return schedule;
}

const FeeSchedule* SelectFeeSchedule(const std::vector<FeeSchedule>& schedules,
                                     const RegionCode& residence, absl::CivilDay date) {
  const FeeSchedule* best = nullptr;
  for (const FeeSchedule& s : schedules) {
    if (!residence.HasPrefix(s.region_prefix.value()) || s.effective_from > date) continue;
    if (best == nullptr) {
      best = &s;
      continue;
    }
    const size_t len = s.region_prefix.value().size();
    const size_t best_len = best->region_prefix.value().size();
    if (len > best_len || (len == best_len && s.effective_from > best->effective_from)) best = &s;
  }
  return best;
}

absl::StatusOr<VehicleCaseDraft> ValidateVehicleCase(const VehicleCaseInput& input,
                                                     absl::CivilDay today) {
  absl::StatusOr<RegionCode> region = NonEmptyPrefix("region_code", input.region_code);
  if (!region.ok()) return region.status();
  absl::StatusOr<absl::CivilDay> date = EventDate("date", input.date, today);
  if (!date.ok()) return date.status();
  absl::StatusOr<std::string> plate = BoundedText("plate_number", input.plate_number, 16);
  if (!plate.ok()) return plate.status();
  if (!kVehicleViolationNames.Valid(input.violation)) {
    return InvalidField("violation", "must be given");
  }
  if (!kVehicleOutcomeNames.Valid(input.outcome)) return InvalidField("outcome", "must be given");
  if (input.fine_fen < 0 || input.fine_fen > kMaxAmountFen) {
    return InvalidField("fine_fen", absl::StrCat("must be from 0 to ", kMaxAmountFen));
  }
  if ((input.outcome == kVehicleOutcomeFined) != (input.fine_fen > 0)) {
    return InvalidField("fine_fen", "must be positive exactly when the outcome is FINED");
  }
  absl::StatusOr<std::string> agencies = BoundedText("agencies", input.agencies, 100, false);
  if (!agencies.ok()) return agencies.status();
  absl::StatusOr<std::string> note = BoundedText("note", input.note, 500, false);
  if (!note.ok()) return note.status();
  return VehicleCaseDraft{*std::move(region),   *date,           *std::move(plate),
                          input.violation,      input.outcome,   input.fine_fen,
                          *std::move(agencies), *std::move(note)};
}

}  // namespace civil::affairs
