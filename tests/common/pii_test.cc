#include "services/common/pii.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kOtherKey[] = "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff";
constexpr char kIdNumber[] = "340722199001011234";

PiiProtector MakeProtector(const char* hex = kKey) {
  absl::StatusOr<PiiProtector> protector = PiiProtector::FromHexKey(hex);
  EXPECT_TRUE(protector.ok()) << protector.status();
  return *protector;
}

TEST(PiiProtectorTest, RejectsBadKeysWithoutEchoingThem) {
  const std::string too_short(62, 'a');
  const std::string too_long(66, 'a');
  const std::string not_hex = std::string(63, 'a') + "g";
  for (const std::string& key : {std::string(), too_short, too_long, not_hex}) {
    absl::StatusOr<PiiProtector> protector = PiiProtector::FromHexKey(key);
    EXPECT_EQ(protector.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(protector.status().message(), "CIVIL_PII_KEY"));
    EXPECT_FALSE(absl::StrContains(protector.status().message(), "aaaa"));
  }
  EXPECT_EQ(kPiiKeyEnvVar, "CIVIL_PII_KEY");
}

TEST(PiiProtectorTest, AcceptsUpperCaseHex) {
  const PiiProtector lower = MakeProtector(kKey);
  const PiiProtector upper = MakeProtector(absl::AsciiStrToUpper(kKey).c_str());
  EXPECT_EQ(lower.BlindIndex(kIdNumber), upper.BlindIndex(kIdNumber));
}

TEST(PiiProtectorTest, RoundTrip) {
  const PiiProtector protector = MakeProtector();
  for (const std::string& text :
       {std::string(kIdNumber), std::string(), std::string("x"),
        std::string("张三 安徽省铜陵市枞阳县"), std::string(1000, 'z'), std::string("a\0b", 3)}) {
    absl::StatusOr<std::string> sealed = protector.Encrypt(text);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    EXPECT_EQ(sealed->size(), text.size() + 29);
    EXPECT_EQ(static_cast<unsigned char>((*sealed)[0]), 0x01);
    absl::StatusOr<std::string> opened = protector.Decrypt(*sealed);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, text);
  }
}

TEST(PiiProtectorTest, CiphertextHidesPlaintext) {
  const PiiProtector protector = MakeProtector();
  const std::string sealed = *protector.Encrypt(kIdNumber);
  EXPECT_FALSE(absl::StrContains(sealed, kIdNumber));
  EXPECT_FALSE(absl::StrContains(sealed, "19900101"));
}

TEST(PiiProtectorTest, SameTextEncryptsDifferently) {
  const PiiProtector protector = MakeProtector();
  const std::string a = *protector.Encrypt(kIdNumber);
  const std::string b = *protector.Encrypt(kIdNumber);
  EXPECT_NE(a, b);
  EXPECT_NE(a.substr(1, 12), b.substr(1, 12));  // fresh nonce
  EXPECT_EQ(*protector.Decrypt(a), *protector.Decrypt(b));
}

TEST(PiiProtectorTest, EveryFlippedByteIsDataLoss) {
  const PiiProtector protector = MakeProtector();
  const std::string sealed = *protector.Encrypt(kIdNumber);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    absl::StatusOr<std::string> opened = protector.Decrypt(tampered);
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << "byte " << i;
    EXPECT_FALSE(absl::StrContains(opened.status().message(), kIdNumber));
  }
}

TEST(PiiProtectorTest, TruncatedAndForeignInputIsDataLoss) {
  const PiiProtector protector = MakeProtector();
  const std::string sealed = *protector.Encrypt(kIdNumber);
  EXPECT_EQ(protector.Decrypt("").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(protector.Decrypt(sealed.substr(0, 28)).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(protector.Decrypt(sealed.substr(0, sealed.size() - 1)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(protector.Decrypt(sealed + "x").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(protector.Decrypt(kIdNumber).status().code(), absl::StatusCode::kDataLoss);

  std::string version_two = sealed;
  version_two[0] = 0x02;
  absl::StatusOr<std::string> opened = protector.Decrypt(version_two);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(opened.status().message(), "sealed value has an unknown version");
}

TEST(PiiProtectorTest, OtherKeyCannotDecrypt) {
  const std::string sealed = *MakeProtector(kKey).Encrypt(kIdNumber);
  EXPECT_EQ(MakeProtector(kOtherKey).Decrypt(sealed).status().code(), absl::StatusCode::kDataLoss);
}

TEST(PiiProtectorTest, CopiesShareKeys) {
  const PiiProtector original = MakeProtector();
  PiiProtector copy = original;
  EXPECT_EQ(*copy.Decrypt(*original.Encrypt(kIdNumber)), kIdNumber);
  copy = MakeProtector(kOtherKey);
  EXPECT_NE(copy.BlindIndex(kIdNumber), original.BlindIndex(kIdNumber));
}

TEST(PiiProtectorTest, BlindIndexIsStableHexAndKeyed) {
  const PiiProtector protector = MakeProtector();
  const std::string index = protector.BlindIndex(kIdNumber);
  EXPECT_EQ(index.size(), 64u);
  EXPECT_EQ(index.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(protector.BlindIndex(kIdNumber), index);
  EXPECT_EQ(MakeProtector().BlindIndex(kIdNumber), index);

  EXPECT_NE(protector.BlindIndex("340722199001011242"), index);
  EXPECT_NE(MakeProtector(kOtherKey).BlindIndex(kIdNumber), index);
}

TEST(PiiProtectorTest, BlindIndexMatchesDerivationSpec) {
  // Expected value computed independently (Python hmac):
  //   index_key = HMAC-SHA256(bytes.fromhex(kKey), b"civil-pii-index-v1")
  //   HMAC-SHA256(index_key, b"340722199001011234").hexdigest()
  EXPECT_EQ(MakeProtector().BlindIndex(kIdNumber),
            "abeb344a21fbf00fa428690edafa8417b2edce73acec511a6f5c0578147224fc");
}

TEST(PiiProtectorTest, BlindIndexIsNotPlainHmacOfMasterKey) {
  // The index key is derived, not the master key itself.
  const PiiProtector protector = MakeProtector();
  EXPECT_NE(protector.BlindIndex(kIdNumber),
            "6f931cfd02d5d2971df4a46d066cf115a5fc8a05249b547e9f18b8906e9eda81");
}

TEST(PiiProtectorTest, DecryptsValueSealedToSpec) {
  // Sealed independently (Python cryptography AESGCM): key = HMAC-SHA256(master,
  // "civil-pii-enc-v1"), nonce a0..ab, associated data = the version byte 0x01.
  const std::string sealed = absl::HexStringToBytes(
      "01a0a1a2a3a4a5a6a7a8a9aaab0988e839d43b246e20be229862b408e508"
      "a24eb0ce7911bf245e3e6424da3927858c");
  absl::StatusOr<std::string> opened = MakeProtector().Decrypt(sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kIdNumber);
}

}  // namespace
}  // namespace civil
