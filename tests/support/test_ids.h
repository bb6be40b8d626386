// Valid resident ID numbers for the tests of every department (GB 11643 check character).
#pragma once

#include <cstdio>
#include <string>

namespace civil::affairs::testing {

// An ID number of a person born on `birth` (YYYYMMDD) in county 340722, male or female, with
// `serial` (0–99) telling persons born the same day apart.
inline std::string Id(const char* birth, bool male, int serial = 1) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  char body[20];
  std::snprintf(body, sizeof body, "340722%.8s%02d%d", birth, serial % 100, male ? 1 : 2);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

}  // namespace civil::affairs::testing
