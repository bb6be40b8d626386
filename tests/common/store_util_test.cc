#include "services/common/store_util.h"

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/common/id_number.h"
#include "services/common/pii.h"

namespace civil {
namespace {

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr absl::CivilDay kToday(2024, 6, 15);

// A valid ID number from its first 17 digits.
IdNumber MakeId(const std::string& first17) {
  absl::StatusOr<char> check = IdNumberCheckChar(first17);
  EXPECT_TRUE(check.ok()) << check.status();
  absl::StatusOr<IdNumber> id = IdNumber::Parse(first17 + *check, kToday);
  EXPECT_TRUE(id.ok()) << id.status();
  return *id;
}

PiiProtector MakeProtector() {
  absl::StatusOr<PiiProtector> protector = PiiProtector::FromHexKey(kKey);
  EXPECT_TRUE(protector.ok()) << protector.status();
  return *protector;
}

// --- ProtectId -------------------------------------------------------------------------------

TEST(ProtectIdTest, CipherIndexAndMask) {
  const PiiProtector pii = MakeProtector();
  const IdNumber id = MakeId("34072219900101123");
  absl::StatusOr<StoredId> stored = ProtectId(pii, id);
  ASSERT_TRUE(stored.ok()) << stored.status();

  absl::StatusOr<std::string> clear = pii.Decrypt(stored->cipher);
  ASSERT_TRUE(clear.ok()) << clear.status();
  EXPECT_EQ(*clear, id.value());
  EXPECT_EQ(stored->cipher.size(), id.value().size() + 29);
  EXPECT_EQ(stored->cipher.find(id.value()), std::string::npos);

  EXPECT_EQ(stored->index, pii.BlindIndex(id.value()));
  EXPECT_EQ(stored->index.size(), 64u);
  EXPECT_EQ(stored->masked, id.Masked());
  EXPECT_EQ(stored->masked, "340722********" + id.value().substr(14));
}

TEST(ProtectIdTest, SameIdSameIndexFreshCipher) {
  const PiiProtector pii = MakeProtector();
  const IdNumber id = MakeId("34072219851231002");
  const StoredId a = *ProtectId(pii, id);
  const StoredId b = *ProtectId(pii, id);
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(a.masked, b.masked);
  EXPECT_NE(a.cipher, b.cipher);
  EXPECT_NE(ProtectId(pii, MakeId("34072219851231004"))->index, a.index);
}

TEST(ProtectIdTest, LowerCaseXIsStoredUpperCase) {
  // Find a number whose check character is X, then parse it written with a lower-case x.
  std::string first17;
  for (int seq = 100; seq < 1000; ++seq) {
    const std::string candidate = "34072219900101" + std::to_string(seq);
    if (*IdNumberCheckChar(candidate) == 'X') {
      first17 = candidate;
      break;
    }
  }
  ASSERT_FALSE(first17.empty());
  const PiiProtector pii = MakeProtector();
  absl::StatusOr<IdNumber> lower = IdNumber::Parse(first17 + "x", kToday);
  ASSERT_TRUE(lower.ok()) << lower.status();
  const StoredId stored = *ProtectId(pii, *lower);
  EXPECT_EQ(*pii.Decrypt(stored.cipher), first17 + "X");
  EXPECT_EQ(stored.index, pii.BlindIndex(first17 + "X"));
}

// --- Parameters ------------------------------------------------------------------------------

TEST(BytesTest, KeepsEveryByte) {
  const std::string raw(
      "\x01\x00\xff"
      "abc\x00",
      7);
  const pqxx::binarystring bytes = Bytes(raw);
  EXPECT_EQ(bytes.size(), 7u);
  EXPECT_EQ(bytes.str(), raw);
  EXPECT_EQ(Bytes("").size(), 0u);
}

TEST(BytesTest, RoundTripsACipher) {
  const PiiProtector pii = MakeProtector();
  const IdNumber id = MakeId("34072219900101123");
  const StoredId stored = *ProtectId(pii, id);
  const pqxx::binarystring bytes = Bytes(stored.cipher);
  EXPECT_EQ(bytes.size(), stored.cipher.size());
  absl::StatusOr<std::string> clear = pii.Decrypt(bytes.str());
  ASSERT_TRUE(clear.ok()) << clear.status();
  EXPECT_EQ(*clear, id.value());
}

TEST(OrNullTest, EmptyOrAbsentIsNull) {
  EXPECT_EQ(OrNull(std::nullopt), nullptr);
  EXPECT_EQ(OrNull(std::optional<std::string>("")), nullptr);
  const std::optional<std::string> value("王五");
  const char* param = OrNull(value);
  ASSERT_NE(param, nullptr);
  EXPECT_STREQ(param, "王五");
  EXPECT_EQ(param, value->c_str());  // points into the value, no copy
}

TEST(SexCodeTest, FromTheSeventeenthDigit) {
  EXPECT_EQ(SexCode(MakeId("34072219900101123")), "M");  // 3 is odd
  EXPECT_EQ(SexCode(MakeId("34072219900101121")), "M");
  EXPECT_EQ(SexCode(MakeId("34072219900101124")), "F");  // 4 is even
  EXPECT_EQ(SexCode(MakeId("34072219900101120")), "F");
}

// --- SQL fragments ---------------------------------------------------------------------------

TEST(MicrosOfTest, SelectExpression) {
  EXPECT_EQ(MicrosOf("created_at"), "(extract(epoch from created_at) * 1000000)::bigint");
  EXPECT_EQ(MicrosOf("h.updated_at"), "(extract(epoch from h.updated_at) * 1000000)::bigint");
}

TEST(ArrayLiteralTest, EveryElementQuoted) {
  EXPECT_EQ(ArrayLiteral({}), "{}");
  EXPECT_EQ(ArrayLiteral({"ACTIVE"}), R"({"ACTIVE"})");
  EXPECT_EQ(ArrayLiteral({"ACTIVE", "STOPPED", "REJECTED"}), R"({"ACTIVE","STOPPED","REJECTED"})");
  EXPECT_EQ(ArrayLiteral({"123e4567-e89b-12d3-a456-426614174000"}),
            R"({"123e4567-e89b-12d3-a456-426614174000"})");
}

TEST(ArrayLiteralTest, FreeTextIsEscaped) {
  EXPECT_EQ(ArrayLiteral({"a,b", "say \"hi\"", "back\\slash", "{braces}", ""}),
            R"({"a,b","say \"hi\"","back\\slash","{braces}",""})");
  EXPECT_EQ(ArrayLiteral({"东风村 第一网格"}), R"({"东风村 第一网格"})");
}

TEST(PageTest, DefaultsToTheLastPage) {
  Page<int> page;
  EXPECT_TRUE(page.items.empty());
  EXPECT_EQ(page.next_after, 0);
}

TEST(MonthDayTest, FirstDayOfTheMonth) {
  EXPECT_EQ(MonthDay(absl::CivilMonth(2024, 2)), "2024-02-01");
  EXPECT_EQ(MonthDay(absl::CivilMonth(2023, 12)), "2023-12-01");
}

// Rows as TakePage reads them (pqxx::result's shape): row[i][column].as<int64_t>().
struct FakeColumn {
  int64_t value;
  template <typename T>
  T as() const {
    return static_cast<T>(value);
  }
};
struct FakeRow {
  int64_t id;
  int64_t seq;
  FakeColumn operator[](int column) const { return FakeColumn{column == 0 ? id : seq}; }
};
int64_t IdOf(const FakeRow& row) { return row.id; }

TEST(TakePageTest, AnotherPageWhenMoreRowsThanThePageSize) {
  // LIMIT page_size + 1 returned one row more: the page ends at the last row kept.
  const std::vector<FakeRow> rows = {{11, 3}, {12, 5}, {13, 8}};
  const Page<int64_t> page = TakePage<int64_t>(rows, 2, 1, IdOf);
  EXPECT_EQ(page.items, (std::vector<int64_t>{11, 12}));
  EXPECT_EQ(page.next_after, 5);
}

TEST(TakePageTest, LastPageWhenNoMoreRows) {
  const std::vector<FakeRow> rows = {{11, 3}, {12, 5}};
  const Page<int64_t> page = TakePage<int64_t>(rows, 2, 1, IdOf);
  EXPECT_EQ(page.items, (std::vector<int64_t>{11, 12}));
  EXPECT_EQ(page.next_after, 0);
  const Page<int64_t> empty = TakePage<int64_t>(std::vector<FakeRow>{}, 2, 1, IdOf);
  EXPECT_TRUE(empty.items.empty());
  EXPECT_EQ(empty.next_after, 0);
}

}  // namespace
}  // namespace civil
