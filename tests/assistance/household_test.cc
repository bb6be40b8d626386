// Unit tests of the household rules (services/assistance/household.h).
#include "services/assistance/household.h"

#include <gtest/gtest.h>

namespace civil::assistance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);
// Valid GB 11643 numbers (check characters computed by the standard's weights).
constexpr char kHead[] = "34072219800101019X";
constexpr char kSpouse[] = "340722198203050026";
constexpr char kChild[] = "340722201005060017";

std::vector<MemberInput> Family() {
  return {{"张三", kHead, 1}, {"李四", kSpouse, 2}, {"张小", kChild, 3}};
}

TEST(ValidateHousehold, AcceptsAFamily) {
  auto draft = ValidateHousehold("340722100001", 2, Family(), kToday);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->region.value(), "340722100001");
  EXPECT_EQ(draft->area, Area::kRural);
  ASSERT_EQ(draft->members.size(), 3u);
  EXPECT_EQ(draft->members[0].relation, Relation::kHead);
  EXPECT_EQ(draft->members[0].id.Masked(), "340722********019X");
}

TEST(ValidateHousehold, PutsTheHeadFirst) {
  std::vector<MemberInput> members = {{"李四", kSpouse, 2}, {"张三", kHead, 1}};
  auto draft = ValidateHousehold("340722100001", 1, members, kToday);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->members[0].name, "张三");
  EXPECT_EQ(draft->members[1].name, "李四");
}

TEST(ValidateHousehold, NamesTheWrongField) {
  EXPECT_EQ(ValidateHousehold("34072210000", 1, Family(), kToday).status().message().substr(0, 12),
            "region_code:");
  EXPECT_EQ(ValidateHousehold("340722", 1, Family(), kToday).status().message(),
            "region_code: must be a 12-digit village/community code");
  EXPECT_EQ(ValidateHousehold("340722100001", 0, Family(), kToday).status().message(),
            "area: must be AREA_URBAN or AREA_RURAL");
  auto members = Family();
  members[1].id_number = "340722198203050025";  // wrong check character
  auto status = ValidateHousehold("340722100001", 1, members, kToday).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 22), "members[1].id_number: ");
  EXPECT_EQ(status.message().find("340722198203050025"), std::string::npos);
}

TEST(ValidateMembers, RequiresExactlyOneHead) {
  std::vector<MemberInput> none = {{"李四", kSpouse, 2}};
  EXPECT_EQ(ValidateMembers(none, kToday).status().message(),
            "members: exactly one member must be RELATION_HEAD");
  std::vector<MemberInput> two = {{"张三", kHead, 1}, {"李四", kSpouse, 1}};
  EXPECT_FALSE(ValidateMembers(two, kToday).ok());
}

TEST(ValidateMembers, RejectsThePersonTwice) {
  std::vector<MemberInput> twice = {{"张三", kHead, 1}, {"张三", "34072219800101019x", 3}};
  auto status = ValidateMembers(twice, kToday).status();
  EXPECT_EQ(status.message(),
            "members[1].id_number: 340722********019X appears twice in the household");
}

TEST(ValidateMembers, ChecksNamesAndRelations) {
  std::vector<MemberInput> blank = {{"  ", kHead, 1}};
  EXPECT_EQ(ValidateMembers(blank, kToday).status().message(),
            "members[0].name: must be 1 to 64 characters");
  std::vector<MemberInput> control = {{"a\tb", kHead, 1}};
  EXPECT_EQ(ValidateMembers(control, kToday).status().message(),
            "members[0].name: must be text without control characters");
  std::vector<MemberInput> no_relation = {{"张三", kHead, 0}};
  EXPECT_EQ(ValidateMembers(no_relation, kToday).status().message(),
            "members[0].relation: must be given");
  EXPECT_EQ(ValidateMembers({}, kToday).status().message(),
            "members: at least one member (the head) is required");
  std::vector<MemberInput> many(31, MemberInput{"x", kHead, 1});
  EXPECT_EQ(ValidateMembers(many, kToday).status().message(), "members: at most 30 members");
}

TEST(ValidateMembers, RejectsABirthDateAfterToday) {
  // Born 2023-07-01, one day after "today".
  std::vector<MemberInput> unborn = {{"张三", kHead, 1}, {"小", "34072220230701001X", 3}};
  auto status = ValidateMembers(unborn, kToday).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 22), "members[1].id_number: ");
}

TEST(IsUuid, AcceptsOnlyCanonicalForm) {
  EXPECT_TRUE(IsUuid("0b6f3c1e-8a3d-4b7e-9f00-1234567890ab"));
  EXPECT_FALSE(IsUuid("0b6f3c1e8a3d4b7e9f001234567890ab"));
  EXPECT_FALSE(IsUuid("0b6f3c1e-8a3d-4b7e-9f00-1234567890ag"));
  EXPECT_FALSE(IsUuid(""));
}

}  // namespace
}  // namespace civil::assistance
