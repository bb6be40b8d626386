// Amounts of money in renminbi, held as an integer number of fen (分, 1/100 yuan) so that sums
// are exact. Formats amounts in yuan (元) for documents and in 万元 (10,000 yuan) for reports.
// Arithmetic is unchecked, as for int64_t; amounts on this platform are far below the limit.

#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace civil {

// An amount of money in fen, possibly negative. Cheap to copy; the default value is zero.
class Money {
 public:
  constexpr Money() = default;

  // Returns `fen` fen.
  static constexpr Money Fen(int64_t fen) { return Money(fen); }

  // Returns `yuan` whole yuan (`yuan` * 100 fen).
  static constexpr Money Yuan(int64_t yuan) { return Money(yuan * 100); }

  // Returns the amount in fen.
  constexpr int64_t fen() const { return fen_; }

  // Returns the amount in yuan with exactly two decimals and no grouping: "1234.56", "0.05",
  // "-12.30" (a leading '-' for negative amounts).
  std::string ToYuan() const;

  // Returns the amount in 万元 (1 万元 = 10,000 yuan = 1,000,000 fen) with exactly two
  // decimals, rounded half away from zero: 3,808,000,000 fen -> "3808.00", 10,460,000 fen ->
  // "10.46", 1,005,000 fen -> "1.01". A leading '-' for amounts that stay negative after
  // rounding ("0.00", never "-0.00").
  std::string ToWanYuan() const;

  // Returns the amount rounded up (toward positive infinity) to a whole yuan: 12.01 yuan ->
  // 13.00 yuan, -12.50 yuan -> -12.00 yuan. Used where a rule rounds a benefit up to the yuan.
  constexpr Money CeilToYuan() const {
    const int64_t remainder = fen_ % 100;
    return Money(remainder > 0 ? fen_ - remainder + 100 : fen_ - remainder);
  }

  constexpr Money operator-() const { return Money(-fen_); }
  constexpr Money& operator+=(Money other) {
    fen_ += other.fen_;
    return *this;
  }
  constexpr Money& operator-=(Money other) {
    fen_ -= other.fen_;
    return *this;
  }
  friend constexpr Money operator+(Money a, Money b) { return a += b; }
  friend constexpr Money operator-(Money a, Money b) { return a -= b; }
  // Returns the amount times `n` (e.g. a per-person standard times the household size).
  friend constexpr Money operator*(Money a, int64_t n) { return Money(a.fen_ * n); }
  friend constexpr Money operator*(int64_t n, Money a) { return Money(a.fen_ * n); }

  friend constexpr bool operator==(const Money& a, const Money& b) = default;
  friend constexpr std::strong_ordering operator<=>(const Money& a, const Money& b) = default;

 private:
  explicit constexpr Money(int64_t fen) : fen_(fen) {}

  int64_t fen_ = 0;
};

// How the work summary writes an amount of money: 万元, whole (rounded half up) from 50万元 on,
// else with two decimals ("3808万元", "10.46万元", "0.85万元"), as the report's sentences do.
std::string ReportWanYuan(Money money);

}  // namespace civil
