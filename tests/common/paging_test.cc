#include "services/common/paging.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

constexpr char kNotIssued[] = "page_token: is not a token this service issued";

void ExpectNotIssued(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), kNotIssued);
}

TEST(PageSizeTest, Constants) {
  EXPECT_EQ(kDefaultPageSize, 50);
  EXPECT_EQ(kMaxPageSize, 500);
}

TEST(PageSizeTest, DefaultsAndClamps) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(1), 1);
  EXPECT_EQ(*PageSize(20), 20);
  EXPECT_EQ(*PageSize(500), 500);
  EXPECT_EQ(*PageSize(501), 500);
  EXPECT_EQ(*PageSize(std::numeric_limits<int>::max()), 500);
}

TEST(PageSizeTest, NegativeIsInvalid) {
  for (int requested : {-1, -50, std::numeric_limits<int>::min()}) {
    absl::StatusOr<int> size = PageSize(requested);
    EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(size.status().message(), "page_size: must not be negative");
  }
}

TEST(PageTokenTest, RoundTrip) {
  for (int64_t after :
       {int64_t{1}, int64_t{42}, int64_t{1} << 40, std::numeric_limits<int64_t>::max()}) {
    const std::string token = EncodePageToken("households", after);
    EXPECT_FALSE(token.empty());
    absl::StatusOr<int64_t> decoded = DecodePageToken("households", token);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, after);
  }
}

TEST(PageTokenTest, IsOpaqueAndUrlSafe) {
  const std::string token = EncodePageToken("households", 123);
  EXPECT_FALSE(absl::StrContains(token, "households"));
  for (char c : token) {
    EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')
        << "unexpected character " << c << " in " << token;
  }
  // The encoding is web-safe base64 of "<kind>:<after>".
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  EXPECT_EQ(raw, "households:123");
}

TEST(PageTokenTest, EmptyTokenIsTheStart) {
  absl::StatusOr<int64_t> start = DecodePageToken("households", "");
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(*start, 0);
}

TEST(PageTokenTest, BoundToItsList) {
  const std::string token = EncodePageToken("households", 9);
  ExpectNotIssued(DecodePageToken("payments", token).status());
  ExpectNotIssued(DecodePageToken("house", token).status());        // a prefix of the kind
  ExpectNotIssued(DecodePageToken("households2", token).status());  // the kind extended
  ExpectNotIssued(DecodePageToken("", token).status());
}

TEST(PageTokenTest, GarbageIsInvalidNamingTheField) {
  ExpectNotIssued(DecodePageToken("households", "not a token!").status());
  ExpectNotIssued(DecodePageToken("households", "%%%").status());
  ExpectNotIssued(DecodePageToken("households", absl::WebSafeBase64Escape("households")).status());
  ExpectNotIssued(DecodePageToken("households", absl::WebSafeBase64Escape("households:")).status());
  ExpectNotIssued(
      DecodePageToken("households", absl::WebSafeBase64Escape("households:abc")).status());
  ExpectNotIssued(
      DecodePageToken("households", absl::WebSafeBase64Escape("households:12x")).status());
  ExpectNotIssued(
      DecodePageToken("households", absl::WebSafeBase64Escape("households:99999999999999999999999"))
          .status());
}

TEST(PageTokenTest, NonPositivePositionsAreRefused) {
  ExpectNotIssued(DecodePageToken("households", EncodePageToken("households", 0)).status());
  ExpectNotIssued(DecodePageToken("households", EncodePageToken("households", -5)).status());
}

TEST(OffsetTokenTest, HoldsRowsReturnedPlusOne) {
  // Nothing returned yet: the empty token.
  EXPECT_EQ(*DecodeOffsetToken("fee_schedules", ""), 0);
  // After the first page of 50 rows the service issues EncodePageToken(kind, 50 + 1).
  EXPECT_EQ(*DecodeOffsetToken("fee_schedules", EncodePageToken("fee_schedules", 51)), 50);
  EXPECT_EQ(*DecodeOffsetToken("fee_schedules", EncodePageToken("fee_schedules", 1)), 0);
  for (int64_t offset : {0, 1, 49, 500, 123456}) {
    EXPECT_EQ(*DecodeOffsetToken("fee_schedules", EncodePageToken("fee_schedules", offset + 1)),
              offset);
  }
}

TEST(OffsetTokenTest, GarbageAndOtherListsAreInvalid) {
  ExpectNotIssued(DecodeOffsetToken("fee_schedules", "garbage").status());
  ExpectNotIssued(DecodeOffsetToken("fee_schedules", EncodePageToken("standards", 3)).status());
  ExpectNotIssued(DecodeOffsetToken("fee_schedules", EncodePageToken("fee_schedules", 0)).status());
}

}  // namespace
}  // namespace civil
