// Unit tests of the register's rules (services/socialorg/organisation.h): the credit code against
// the kind and county, the documents, a term, a registration as entered. No servers.
#include "services/socialorg/organisation.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/socialorg/credit_codes.h"
#include "tests/support/test_ids.h"

namespace civil::socialorg {
namespace {

using civil::affairs::testing::Id;
using civil::socialorg::testing::Code;
using civil::socialorg::testing::WrongCheck;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }
const RegionCode kTownship = *RegionCode::Parse("340722100");

std::string Problem(absl::string_view code, OrgKind kind, const RegionCode& region = kTownship) {
  absl::StatusOr<CreditCode> c = OrganisationCreditCode("credit_code", code, kind, region);
  return c.ok() ? "ok" : std::string(c.status().message());
}

TEST(CreditCodeRuleTest, AcceptsEachKindWithItsDigitInTheCounty) {
  EXPECT_EQ(Problem(Code('1', 1), OrgKind::kSocialGroup), "ok");
  EXPECT_EQ(Problem(Code('2', 2), OrgKind::kPrivateNonEnterpriseUnit), "ok");
  EXPECT_EQ(Problem(Code('3', 3), OrgKind::kFoundation), "ok");
  // Lower case is accepted and stored upper case.
  std::string lower = Code('1', 4);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  absl::StatusOr<CreditCode> code =
      OrganisationCreditCode("credit_code", lower, OrgKind::kSocialGroup, kTownship);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code->value(), Code('1', 4));
}

TEST(CreditCodeRuleTest, RefusesAWrongCheckCharacterNamingTheField) {
  EXPECT_EQ(Problem(WrongCheck(Code('1', 1)), OrgKind::kSocialGroup),
            "credit_code: wrong check character");
  EXPECT_EQ(Problem("", OrgKind::kSocialGroup), "credit_code: is required");
  EXPECT_EQ(Problem("51340722", OrgKind::kSocialGroup), "credit_code: must be 18 characters");
}

TEST(CreditCodeRuleTest, RefusesAKindDigitContradictingTheKind) {
  EXPECT_EQ(Problem(Code('1', 1), OrgKind::kFoundation),
            "credit_code: position 2 is 1 (SOCIAL_GROUP) but the kind is FOUNDATION (3)");
  EXPECT_EQ(Problem(Code('9', 1), OrgKind::kSocialGroup),
            "credit_code: position 2 is 9 (other) but the kind is SOCIAL_GROUP (1)");
}

TEST(CreditCodeRuleTest, RefusesAnotherAuthorityOrAnotherCounty) {
  // A valid code of an enterprise (registering authority 9).
  std::string enterprise = Code('1', 1);
  enterprise[0] = '9';
  enterprise = enterprise.substr(0, 17) + *CreditCodeCheckChar(enterprise.substr(0, 17));
  EXPECT_EQ(Problem(enterprise, OrgKind::kSocialGroup),
            "credit_code: position 1 must be 5 (registered by civil affairs)");
  EXPECT_EQ(Problem(Code('1', 1, "340823"), OrgKind::kSocialGroup),
            "credit_code: positions 3-8 are 340823 but the organisation's county is 340722");
  // A village of the county is within it.
  EXPECT_EQ(Problem(Code('1', 1), OrgKind::kSocialGroup, *RegionCode::Parse("340722100001")), "ok");
}

TEST(DocumentsTest, OneToTwentyReferencesEachNamed) {
  EXPECT_EQ(Documents("documents", {}).status().message(),
            "documents: at least one document reference is required");
  EXPECT_EQ(Documents("documents", {"申请书", ""}).status().message(), "documents[1]: is required");
  EXPECT_EQ(Documents("documents", std::vector<std::string>(21, "x")).status().message(),
            "documents: at most 20 document references");
  EXPECT_EQ(*Documents("documents", {" 章程 "}), std::vector<std::string>{"章程"});
}

TEST(TermTest, EndAfterStartAtMostFiveYears) {
  auto term = [](absl::string_view s, absl::string_view e, bool required = true) {
    return TermOf("term_start", s, "term_end", e, required);
  };
  EXPECT_EQ(*term("", "", false), std::nullopt);
  EXPECT_EQ(term("", "", true).status().message(), "term_start: is required");
  EXPECT_EQ(term("2023-01-01", "", false).status().message(), "term_end: is required");
  EXPECT_EQ(term("2023-01-01", "2023-01-01").status().message(),
            "term_end: must be after term_start");
  EXPECT_TRUE(term("2023-01-01", "2028-01-01").ok());
  EXPECT_EQ(term("2023-01-01", "2028-01-02").status().message(),
            "term_end: a term lasts at most 5 years (until 2028-01-01)");
}

RegistrationInput Valid() {
  RegistrationInput in;
  in.name = "枞阳县慈善协会";
  in.credit_code = Code('1', 7);
  in.kind = 1;
  in.supervising_unit = "枞阳县民政局";
  in.domicile = "枞阳县枞阳镇";
  in.representative_name = "王某";
  in.representative_id = Id("19700101", true, 3);
  in.registered_capital_fen = 3'000'000;
  in.region_code = "340722";
  in.business_scope = "慈善募捐";
  in.establishment_date = "2023-03-01";
  in.documents = {"申请书", "章程"};
  in.term_start = "2023-03-01";
  in.term_end = "2028-02-28";
  return in;
}

TEST(RegistrationTest, AValidRegistration) {
  absl::StatusOr<RegistrationDraft> d = ValidateRegistration(Valid(), D(2023, 6, 30));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->kind, OrgKind::kSocialGroup);
  EXPECT_EQ(d->registered_capital.fen(), 3'000'000);
  EXPECT_EQ(d->filed_on, D(2023, 3, 1));
  ASSERT_TRUE(d->term.has_value());
  EXPECT_EQ(d->term->end, D(2028, 2, 28));
}

TEST(RegistrationTest, BadInputNamesTheField) {
  auto problem = [](RegistrationInput in) {
    absl::StatusOr<RegistrationDraft> d = ValidateRegistration(in, D(2023, 6, 30));
    return d.ok() ? "ok" : std::string(d.status().message());
  };
  RegistrationInput in = Valid();
  in.kind = 3;
  EXPECT_TRUE(absl::StartsWith(problem(in), "credit_code: position 2 is 1")) << problem(in);
  in = Valid();
  in.kind = 0;
  EXPECT_EQ(problem(in), "kind: is required");
  in = Valid();
  in.industry_association = true;
  EXPECT_EQ(problem(in), "ok");
  in.kind = 3;
  EXPECT_EQ(problem(in),
            "industry_association: only a social group (SOCIAL_GROUP) is an industry association "
            "or chamber of commerce");
  in = Valid();
  in.region_code = "3407";
  EXPECT_TRUE(absl::StartsWith(problem(in), "region_code: ")) << problem(in);
  in = Valid();
  in.representative_id[17] = in.representative_id[17] == '0' ? '1' : '0';
  EXPECT_EQ(problem(in), "legal_representative_id_number: wrong check character");
  in = Valid();
  in.registered_capital_fen = 0;
  EXPECT_EQ(problem(in), "registered_capital_fen: must be more than 0");
  in = Valid();
  in.establishment_date = "2023-07-01";
  EXPECT_TRUE(absl::StartsWith(problem(in), "establishment_date: ")) << problem(in);
  in = Valid();
  in.term_start = "2023-02-28";
  EXPECT_EQ(problem(in), "term_start: must not be before establishment_date");
  in = Valid();
  in.certificate_valid_until = "2023-03-01";
  EXPECT_EQ(problem(in), "certificate_valid_until: must be after establishment_date");
  in = Valid();
  in.documents.clear();
  EXPECT_EQ(problem(in), "documents: at least one document reference is required");
}

}  // namespace
}  // namespace civil::socialorg
