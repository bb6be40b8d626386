// Unit tests of the rules of outreach (services/assistance/outreach.h), mutual-aid help
// (mutual_aid.h) and the bank file's limits (bank_file.h) that the stores used to apply inside
// their transactions.
#include "services/assistance/outreach.h"

#include <gtest/gtest.h>

#include "services/assistance/bank_file.h"
#include "services/assistance/mutual_aid.h"

namespace civil::assistance {
namespace {

const absl::CivilDay kVisit(2023, 3, 10);

TEST(DemandResolutionTest, OnceAndNotBeforeTheVisit) {
  EXPECT_TRUE(CheckDemandResolution(false, kVisit, kVisit).ok());
  EXPECT_TRUE(CheckDemandResolution(false, kVisit, absl::CivilDay(2023, 4, 1)).ok());
  absl::Status twice = CheckDemandResolution(true, kVisit, absl::CivilDay(2023, 4, 1));
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.message(), "demand is RESOLVED: it was resolved already");
  absl::Status early = CheckDemandResolution(false, kVisit, absl::CivilDay(2023, 3, 9));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.message(), "resolved_on: before the visit (2023-03-10)");
}

TEST(HealthCheckPlaceTest, WithinTheBatchRegionAndAfterItStarted) {
  const absl::CivilDay started(2023, 5, 1);
  EXPECT_TRUE(CheckHealthCheckPlace("340722100", started, "340722100201", started).ok());
  absl::Status outside = CheckHealthCheckPlace("340722100", started, "340722101201", started);
  EXPECT_EQ(outside.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(outside.message(),
            "household_id: region 340722101201 is outside the batch's region 340722100");
  // A shorter region than the batch's is outside it too.
  EXPECT_FALSE(CheckHealthCheckPlace("340722100", started, "340722", started).ok());
  absl::Status early =
      CheckHealthCheckPlace("340722100", started, "340722100201", absl::CivilDay(2023, 4, 30));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.message(), "checked_on: before the batch started (2023-05-01)");
}

TEST(MutualAidHelpTest, SameVillageAndNotBeforeTheRegistration) {
  const absl::CivilDay registered(2023, 2, 1);
  EXPECT_TRUE(CheckMutualAidHelp("340722100201", registered, "340722100201", registered).ok());
  absl::Status elsewhere =
      CheckMutualAidHelp("340722100201", registered, "340722100202", registered);
  EXPECT_EQ(elsewhere.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(elsewhere.message(),
            "household_id: the household lives in 340722100202, not in the society's village "
            "340722100201");
  absl::Status early =
      CheckMutualAidHelp("340722100201", registered, "340722100201", absl::CivilDay(2023, 1, 31));
  EXPECT_EQ(early.message(), "helped_on: before the society was registered (2023-02-01)");
}

TEST(MutualAidHelpTest, VillagesKnownAreNotFewerThanTheSocieties) {
  EXPECT_TRUE(CheckVillagesKnown(94, 94).ok());
  EXPECT_TRUE(CheckVillagesKnown(120, 94).ok());
  absl::Status fewer = CheckVillagesKnown(90, 94);
  EXPECT_EQ(fewer.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fewer.message(),
            "villages_known: 90 is fewer than the 94 villages with a registered society");
}

TEST(BankFileLimitsTest, SizeAndPrefix) {
  EXPECT_TRUE(CheckBankFileSize(kMaxBankFileRows).ok());
  absl::Status big = CheckBankFileSize(kMaxBankFileRows + 1);
  EXPECT_EQ(big.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(big.message(),
            "batch_id: 30001 payments are more than 30000 for one file; export it by "
            "region_prefix (a township)");
  EXPECT_TRUE(CheckBankFilePrefix("340722", "340722100").ok());
  EXPECT_TRUE(CheckBankFilePrefix("340722100", "340722100").ok());
  absl::Status outside = CheckBankFilePrefix("340722100", "340722101");
  EXPECT_EQ(outside.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(outside.message(), "region_prefix: outside the batch's region 340722100");
  EXPECT_FALSE(CheckBankFilePrefix("340722100", "340722").ok());
}

}  // namespace
}  // namespace civil::assistance
