// Valid unified social credit codes (GB 32100) for the social-organisation tests: registered by
// civil affairs (5), of a kind digit, in a county, completed with the right check character.
#pragma once

#include <cstdio>
#include <string>

#include "services/common/credit_code.h"

namespace civil::socialorg::testing {

// The code of an organisation of kind digit `kind` ('1' social group, '2' private non-enterprise
// unit, '3' foundation) in county `county`, told apart by `serial` (0–999999).
inline std::string Code(char kind, int serial, const char* county = "340722") {
  char body[18];
  std::snprintf(body, sizeof body, "5%c%.6sMJA%06d", kind, county, serial % 1000000);
  return std::string(body, 17) + *civil::CreditCodeCheckChar(std::string(body, 17));
}

// `code` with a wrong check character.
inline std::string WrongCheck(std::string code) {
  code[17] = code[17] == '0' ? '1' : '0';
  return code;
}

}  // namespace civil::socialorg::testing
