#include "services/common/money.h"

#include "absl/strings/str_cat.h"

namespace civil {
namespace {

// Returns |fen| without overflow, also for INT64_MIN.
uint64_t Magnitude(int64_t fen) {
  return fen < 0 ? ~static_cast<uint64_t>(fen) + 1 : static_cast<uint64_t>(fen);
}

// Formats `hundredths` as "<units>.<two digits>" with a '-' when `negative` and nonzero.
std::string FormatHundredths(bool negative, uint64_t hundredths) {
  return absl::StrCat(negative && hundredths != 0 ? "-" : "", hundredths / 100, ".",
                      absl::Dec(hundredths % 100, absl::kZeroPad2));
}

}  // namespace

std::string Money::ToYuan() const { return FormatHundredths(fen_ < 0, Magnitude(fen_)); }

std::string Money::ToWanYuan() const {
  // One hundredth of a 万元 is 100 yuan = 10,000 fen.
  constexpr uint64_t kFenPerHundredth = 10'000;
  const uint64_t magnitude = Magnitude(fen_);
  uint64_t hundredths = magnitude / kFenPerHundredth;
  if (magnitude % kFenPerHundredth >= kFenPerHundredth / 2) ++hundredths;
  return FormatHundredths(fen_ < 0, hundredths);
}

std::string ReportWanYuan(Money money) {
  const int64_t fen = money.fen();
  if (fen >= 50 * 1000000) {
    return absl::StrCat((fen + 500000) / 1000000, "万元");
  }
  // Two decimals below 50 万元, without the zeros the seed leaves out: 0.85, 10.46, 0.1, 9, 26.
  std::string text = money.ToWanYuan();
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return absl::StrCat(text, "万元");
}

}  // namespace civil
