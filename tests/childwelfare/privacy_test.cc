// Unit tests of who sees a child's name in full (services/childwelfare/privacy.h).
#include "services/childwelfare/privacy.h"

#include <gtest/gtest.h>

namespace civil::childwelfare {
namespace {

TEST(PrivacyTest, NamesAreMaskedBetweenTheFirstAndLastCharacter) {
  EXPECT_EQ(MaskName("张小明"), "张*明");
  EXPECT_EQ(MaskName("欧阳小明"), "欧**明");
  EXPECT_EQ(MaskName("李明"), "李*");
  EXPECT_EQ(MaskName("明"), "*");
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("阿依古丽·买买提"), "阿******提");
  EXPECT_EQ(MaskName("Tom"), "T*m");
}

TEST(PrivacyTest, OnlyTheChildsOwnTownshipCaseWorkersSeeTheFullName) {
  // A clerk of the township, or of the village itself.
  EXPECT_TRUE(SeesFullName(true, "340722100", "340722100001"));
  EXPECT_TRUE(SeesFullName(true, "340722100001", "340722100001"));
  // Another township's or village's clerk.
  EXPECT_FALSE(SeesFullName(true, "340722200", "340722100001"));
  EXPECT_FALSE(SeesFullName(true, "340722100002", "340722100001"));
  // County-wide and unlimited scopes are not case workers of the child.
  EXPECT_FALSE(SeesFullName(true, "340722", "340722100001"));
  EXPECT_FALSE(SeesFullName(true, "*", "340722100001"));
  EXPECT_FALSE(SeesFullName(true, "", "340722100001"));
  // Without the case worker role (reviewer, auditor, leadership), never.
  EXPECT_FALSE(SeesFullName(false, "340722100", "340722100001"));
}

TEST(PrivacyTest, HistoryNotesAreForTheSameCallersAsTheFullName) {
  EXPECT_TRUE(SeesHistoryNotes(true, "340722100", "340722100001"));
  EXPECT_TRUE(SeesHistoryNotes(true, "340722100001", "340722100001"));
  EXPECT_FALSE(SeesHistoryNotes(true, "340722200", "340722100001"));
  EXPECT_FALSE(SeesHistoryNotes(true, "340722", "340722100001"));
  EXPECT_FALSE(SeesHistoryNotes(true, "*", "340722100001"));
  EXPECT_FALSE(SeesHistoryNotes(false, "340722100", "340722100001"));
}

}  // namespace
}  // namespace civil::childwelfare
