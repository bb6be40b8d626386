// Unit tests of the party-building rules (services/socialorg/party_building.h): the record in
// force on a day, the counts as of a day, who may have a record. No servers.
#include "services/socialorg/party_building.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

PartyBuilding Rec(absl::CivilDay from, bool party, bool union_, bool league, bool women) {
  return PartyBuilding{from, party, union_, league, women, party, false};
}

TEST(PartyBuildingTest, TheRecordInForceIsTheLatestNotAfterTheDay) {
  const std::vector<PartyBuilding> records = {Rec(D(2022, 1, 1), false, true, false, false),
                                              Rec(D(2023, 3, 1), true, true, false, true)};
  EXPECT_EQ(InForce(records, D(2021, 12, 31)), nullptr);
  EXPECT_EQ(InForce(records, D(2023, 2, 28))->effective_on, D(2022, 1, 1));
  EXPECT_EQ(InForce(records, D(2023, 3, 1))->effective_on, D(2023, 3, 1));
}

TEST(PartyBuildingTest, CountsAsOfADay) {
  const std::vector<std::vector<PartyBuilding>> orgs = {
      {Rec(D(2022, 1, 1), false, true, false, false), Rec(D(2023, 3, 1), true, true, false, true)},
      {Rec(D(2023, 7, 1), true, true, true, true)},  // not yet in force on 30 June
      {},                                            // nothing recorded
      {Rec(D(2021, 5, 1), true, false, true, false)}};
  const PartyCounts june = CountAsOf(orgs, D(2023, 6, 30));
  EXPECT_EQ(june.organisations, 4);
  EXPECT_EQ(june.party_organisations, 2);
  EXPECT_EQ(june.trade_unions, 1);
  EXPECT_EQ(june.youth_leagues, 1);
  EXPECT_EQ(june.womens_organisations, 1);
  EXPECT_EQ(june.in_charter, 2);
  const PartyCounts february = CountAsOf(orgs, D(2023, 2, 1));
  EXPECT_EQ(february.party_organisations, 1);
  EXPECT_EQ(february.trade_unions, 1);
  EXPECT_EQ(CountAsOf(orgs, D(2023, 7, 1)).youth_leagues, 2);
}

TEST(PartyBuildingTest, OnlyARegisteredOrganisationFromItsEstablishment) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2023, 3, 1);
  EXPECT_TRUE(CheckPartyBuildingRecordable(s, Rec(D(2023, 3, 1), true, true, true, true)).ok());
  EXPECT_EQ(CheckPartyBuildingRecordable(s, Rec(D(2023, 2, 28), true, true, true, true)).message(),
            "effective_date: must not be before the establishment on 2023-03-01");
  s.status = OrgStatus::kDeregistered;
  s.deregistered_on = D(2023, 5, 1);
  EXPECT_EQ(CheckPartyBuildingRecordable(s, Rec(D(2023, 5, 2), true, true, true, true)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ValidatePartyBuilding("2023-07-01", {}, D(2023, 6, 30)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace civil::socialorg
