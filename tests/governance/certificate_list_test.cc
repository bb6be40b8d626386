// Unit tests of the certificate-list rules (services/governance/certificate_list.h): no servers.
#include "services/governance/certificate_list.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

std::vector<CertificateEntry> Items() {
  return {{"居住证明", true, "《居住证暂行条例》第九条"},
          {"亲属关系证明", false, "《安徽省证明事项清单》已取消"}};
}

TEST(CertificateListRulesTest, AListNamesItsBadField) {
  absl::StatusOr<CertificateListDraft> d =
      ValidateCertificateList("340722100001", "", "村证明事项清单", Items(), kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->effective_on, kToday);
  EXPECT_EQ(d->items.size(), 2u);
  // A list adopted ahead of its day.
  EXPECT_TRUE(ValidateCertificateList("340722100001", "2024-01-01", "清单", Items(), kToday).ok());
  EXPECT_EQ(ValidateCertificateList("340722100", "", "清单", Items(), kToday)
                .status()
                .message()
                .substr(0, 13),
            "village_code:");
  EXPECT_EQ(ValidateCertificateList("340722100001", "2023-02-30", "清单", Items(), kToday)
                .status()
                .message()
                .substr(0, 15),
            "effective_date:");
  EXPECT_EQ(ValidateCertificateList("340722100001", "", "", Items(), kToday).status().message(),
            "document: is required");
  EXPECT_EQ(ValidateCertificateList("340722100001", "", "清单", {}, kToday).status().message(),
            "items: a list needs at least one certificate");
  std::vector<CertificateEntry> items = Items();
  items[1].legal_basis = "";
  EXPECT_EQ(ValidateCertificateList("340722100001", "", "清单", items, kToday).status().message(),
            "items[1].legal_basis: each certificate needs its legal basis");
  items = Items();
  items[1].name = "居住证明";
  absl::Status twice = ValidateCertificateList("340722100001", "", "清单", items, kToday).status();
  EXPECT_EQ(twice.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(twice.message(), "items[1].name: 居住证明 is on the list twice");
}

TEST(CertificateListRulesTest, TheListInForceIsTheLatestEffectiveByTheDay) {
  const std::vector<absl::CivilDay> effective = {
      absl::CivilDay(2023, 1, 1), absl::CivilDay(2024, 1, 1), absl::CivilDay(2023, 7, 1)};
  EXPECT_EQ(InForce(effective, absl::CivilDay(2022, 12, 31)), std::nullopt);
  EXPECT_EQ(InForce(effective, absl::CivilDay(2023, 6, 30)), 0u);
  EXPECT_EQ(InForce(effective, absl::CivilDay(2023, 7, 1)), 2u);
  EXPECT_EQ(InForce(effective, absl::CivilDay(2030, 1, 1)), 1u);
  EXPECT_EQ(SupersededOn(effective, 0), absl::CivilDay(2023, 7, 1));
  EXPECT_EQ(SupersededOn(effective, 2), absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(SupersededOn(effective, 1), std::nullopt);
}

}  // namespace
}  // namespace civil::governance
