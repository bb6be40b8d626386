#include "services/socialorg/organisation.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::socialorg {

char KindDigit(OrgKind kind) { return static_cast<char>('0' + static_cast<int>(kind)); }

absl::StatusOr<CreditCode> OrganisationCreditCode(absl::string_view field, absl::string_view text,
                                                  OrgKind kind, const RegionCode& region) {
  if (text.empty()) return InvalidField(field, "is required");
  absl::StatusOr<CreditCode> code = CreditCode::Parse(text);
  if (!code.ok()) return AnnotateField(field, code.status());
  if (code->registering_authority() != CreditCode::kCivilAffairs) {
    return InvalidField(field, "position 1 must be 5 (registered by civil affairs)");
  }
  if (code->kind() != KindDigit(kind)) {
    const int digit = code->kind() - '0';
    const absl::string_view coded =
        kOrgKindNames.Valid(digit) ? kOrgKindNames.Name(digit) : absl::string_view("other");
    return InvalidField(
        field, absl::StrCat("position 2 is ", std::string(1, code->kind()), " (", coded,
                            ") but the kind is ", kOrgKindNames.Name(static_cast<int>(kind)), " (",
                            std::string(1, KindDigit(kind)), ")"));
  }
  const absl::string_view county = absl::string_view(region.value()).substr(0, 6);
  if (code->region_code() != county) {
    return InvalidField(field, absl::StrCat("positions 3-8 are ", code->region_code(),
                                            " but the organisation's county is ", county));
  }
  return code;
}

absl::StatusOr<std::vector<std::string>> Documents(absl::string_view field,
                                                   const std::vector<std::string>& documents) {
  if (documents.empty()) return InvalidField(field, "at least one document reference is required");
  if (documents.size() > 20) return InvalidField(field, "at most 20 document references");
  std::vector<std::string> out;
  for (size_t i = 0; i < documents.size(); ++i) {
    CIVIL_ASSIGN_OR_RETURN(std::string doc,
                           BoundedText(absl::StrCat(field, "[", i, "]"), documents[i], 100));
    out.push_back(std::move(doc));
  }
  return out;
}

absl::StatusOr<std::optional<Term>> TermOf(absl::string_view start_field, absl::string_view start,
                                           absl::string_view end_field, absl::string_view end,
                                           bool required) {
  if (!required && start.empty() && end.empty()) return std::nullopt;
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay from, RequiredDate(start_field, start));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay to, RequiredDate(end_field, end));
  if (to <= from) return InvalidField(end_field, absl::StrCat("must be after ", start_field));
  const absl::CivilDay longest(from.year() + kMaxTermYears, from.month(), from.day());
  if (to > longest) {
    return InvalidField(end_field, absl::StrCat("a term lasts at most ", kMaxTermYears,
                                                " years (until ", FormatDay(longest), ")"));
  }
  return Term{from, to};
}

absl::StatusOr<RegistrationDraft> ValidateRegistration(const RegistrationInput& input,
                                                       absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 100));
  CIVIL_RETURN_IF_ERROR(kOrgKindNames.Require("kind", input.kind));
  const OrgKind kind = static_cast<OrgKind>(input.kind);
  if (input.industry_association && kind != OrgKind::kSocialGroup) {
    return InvalidField("industry_association",
                        "only a social group (SOCIAL_GROUP) is an industry association or chamber "
                        "of commerce");
  }
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                                   RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(CreditCode code,
                         OrganisationCreditCode("credit_code", input.credit_code, kind, region));
  CIVIL_ASSIGN_OR_RETURN(std::string unit,
                         BoundedText("supervising_unit", input.supervising_unit, 100));
  CIVIL_ASSIGN_OR_RETURN(std::string domicile, BoundedText("domicile", input.domicile, 200));
  CIVIL_ASSIGN_OR_RETURN(std::string rep_name,
                         BoundedText("legal_representative_name", input.representative_name, 64));
  absl::StatusOr<IdNumber> rep_id =
      RequiredIdNumber("legal_representative_id_number", input.representative_id, today);
  if (!rep_id.ok()) return rep_id.status();
  CIVIL_RETURN_IF_ERROR(
      RequireAmount("registered_capital_fen", input.registered_capital_fen, /*positive=*/true));
  CIVIL_ASSIGN_OR_RETURN(std::string scope,
                         BoundedText("business_scope", input.business_scope, 500));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay filed,
                         EventDate("establishment_date", input.establishment_date, today));
  CIVIL_ASSIGN_OR_RETURN(std::vector<std::string> documents,
                         Documents("documents", input.documents));
  CIVIL_ASSIGN_OR_RETURN(std::optional<Term> term,
                         TermOf("term_start", input.term_start, "term_end", input.term_end, false));
  if (term && term->start < filed) {
    return InvalidField("term_start", "must not be before establishment_date");
  }
  CIVIL_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> valid_until,
                         OptionalDate("certificate_valid_until", input.certificate_valid_until));
  if (valid_until && *valid_until <= filed) {
    return InvalidField("certificate_valid_until", "must be after establishment_date");
  }
  return RegistrationDraft{std::move(name),
                           std::move(code),
                           kind,
                           std::move(unit),
                           std::move(domicile),
                           std::move(rep_name),
                           *std::move(rep_id),
                           Money::Fen(input.registered_capital_fen),
                           std::move(region),
                           std::move(scope),
                           filed,
                           std::move(documents),
                           term,
                           valid_until,
                           input.industry_association};
}

}  // namespace civil::socialorg
