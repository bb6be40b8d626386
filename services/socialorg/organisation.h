// The register of social organisations (pure C++ on Abseil): the kinds, an organisation's unified
// social credit code checked against its kind and county (GB 32100 through
// services/common/credit_code.h), and a registration (establishment filing) as entered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/credit_code.h"
#include "services/common/id_number.h"
#include "services/common/money.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::socialorg {

// Numbers match civil.socialorg.v1.OrganisationKind and the credit code's kind digit.
enum class OrgKind { kSocialGroup = 1, kPrivateNonEnterpriseUnit = 2, kFoundation = 3 };
inline constexpr absl::string_view kOrgKindNameList[] = {
    "", "SOCIAL_GROUP", "PRIVATE_NON_ENTERPRISE_UNIT", "FOUNDATION"};
inline constexpr EnumNames kOrgKindNames{kOrgKindNameList};

// Numbers match civil.socialorg.v1.OrganisationStatus.
enum class OrgStatus {
  kPendingEstablishment = 1,
  kRegistered = 2,
  kDeregistered = 3,
  kRefused = 4
};
inline constexpr absl::string_view kOrgStatusNameList[] = {"", "PENDING_ESTABLISHMENT",
                                                           "REGISTERED", "DEREGISTERED", "REFUSED"};
inline constexpr EnumNames kOrgStatusNames{kOrgStatusNameList};

// The credit code's kind digit of `kind` ('1', '2', '3').
char KindDigit(OrgKind kind);

// The longest term (届) of a council: 5 years (社会团体登记管理条例, 基金会管理条例).
inline constexpr int kMaxTermYears = 5;

// The unified social credit code of `field` for an organisation of `kind` registered in `region`:
// GB 32100 (18 characters of the code alphabet, the check character), registering authority 5
// (civil affairs), the kind digit of `kind`, and positions 3–8 the county of `region` (its first
// 6 digits). INVALID_ARGUMENT "<field>: …" naming what is wrong: "wrong check character",
// "position 1 must be 5 (registered by civil affairs)", "position 2 is 1 (SOCIAL_GROUP) but the
// kind is FOUNDATION (3)", "positions 3-8 are 340800 but the organisation's county is 340722".
absl::StatusOr<CreditCode> OrganisationCreditCode(absl::string_view field, absl::string_view text,
                                                  OrgKind kind, const RegionCode& region);

// Document references filed with an event (申请书, 章程, 验资报告 …) of `field`: 1 to 20, each 1 to
// 100 characters. INVALID_ARGUMENT "documents: at least one document reference is required" /
// "documents[2]: …".
absl::StatusOr<std::vector<std::string>> Documents(absl::string_view field,
                                                   const std::vector<std::string>& documents);

// A term (届) of a council: start and end, end after start and at most kMaxTermYears later.
struct Term {
  absl::CivilDay start;
  absl::CivilDay end;
};
// A term from `start_field`/`end_field`; with `required` false both empty → nullopt. Both or
// neither; INVALID_ARGUMENT naming the field.
absl::StatusOr<std::optional<Term>> TermOf(absl::string_view start_field, absl::string_view start,
                                           absl::string_view end_field, absl::string_view end,
                                           bool required);

// A registration as entered.
struct RegistrationInput {
  std::string name;
  std::string credit_code;
  int kind = 0;
  std::string supervising_unit;
  std::string domicile;
  std::string representative_name;
  std::string representative_id;
  int64_t registered_capital_fen = 0;
  std::string region_code;
  std::string business_scope;
  std::string establishment_date;
  std::vector<std::string> documents;
  std::string term_start;
  std::string term_end;
  std::string certificate_valid_until;
  bool industry_association = false;
};

struct RegistrationDraft {
  std::string name;
  CreditCode credit_code;
  OrgKind kind;
  std::string supervising_unit;
  std::string domicile;
  std::string representative_name;
  IdNumber representative_id;
  Money registered_capital;
  RegionCode region;
  std::string business_scope;
  absl::CivilDay filed_on;
  std::vector<std::string> documents;
  std::optional<Term> term;
  std::optional<absl::CivilDay> certificate_valid_until;
  bool industry_association = false;  // 行业协会商会, a social group only
};

// Validates a registration: name 1–100 characters, kind, the credit code
// (OrganisationCreditCode, field `credit_code`), supervising unit 1–100, domicile 1–200, the
// legal representative's name 1–64 and a valid ID number, registered capital more than 0, a 6, 9
// or 12-digit region code, business scope 1–500, the establishment date (default `today`, never
// in the future), the documents, the optional first term (not starting before the establishment
// date), certificate validity (after the establishment date) and the industry-association
// marker (a social group only). INVALID_ARGUMENT naming the field.
absl::StatusOr<RegistrationDraft> ValidateRegistration(const RegistrationInput& input,
                                                       absl::CivilDay today);

}  // namespace civil::socialorg
