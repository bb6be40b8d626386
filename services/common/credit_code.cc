#include "services/common/credit_code.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace civil {
namespace {

constexpr absl::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

// Returns the value (index in kAlphabet) of `c`, upper-casing it first, or -1 if it is not in
// the alphabet.
int CharValue(char c) {
  const size_t pos = kAlphabet.find(absl::ascii_toupper(static_cast<unsigned char>(c)));
  return pos == absl::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

absl::StatusOr<char> CreditCodeCheckChar(absl::string_view first17) {
  if (first17.size() != kWeights.size()) return absl::InvalidArgumentError("must be 17 characters");
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) {
    const int value = CharValue(first17[i]);
    if (value < 0)
      return absl::InvalidArgumentError("contains a character outside the code alphabet");
    sum += value * kWeights[i];
  }
  const int check = 31 - sum % 31;
  return kAlphabet[check == 31 ? 0 : check];
}

absl::StatusOr<CreditCode> CreditCode::Parse(absl::string_view text) {
  if (text.size() != 18) return absl::InvalidArgumentError("must be 18 characters");
  std::string value(text);
  absl::AsciiStrToUpper(&value);
  for (char c : value) {
    if (CharValue(c) < 0) {
      return absl::InvalidArgumentError("contains a character outside the code alphabet");
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(value[i]))) {
      return absl::InvalidArgumentError("positions 3-8 must be a 6-digit region code");
    }
  }
  absl::StatusOr<char> check = CreditCodeCheckChar(absl::string_view(value).substr(0, 17));
  if (!check.ok()) return check.status();
  if (*check != value[17]) return absl::InvalidArgumentError("wrong check character");
  return CreditCode(std::move(value));
}

}  // namespace civil
