// The fixture every end-to-end suite through the gateway shares: the stack it starts in its
// SetUpTestSuite (tests/support/e2e_stack.h), stopped after the suite, and the three calls its
// tests make — a JSON request with a caller's headers, "this answered 200" with the stack's logs
// when it did not, and an int64 field (JSON strings) of a response.
//
//   class EldercareE2eTest : public civil::testing::GatewayE2eTest {
//    protected:
//     static void SetUpTestSuite() {
//       stack_ = E2eStack::Builder().Service("eldercare", CIVIL_ELDERCARE_SERVER)
//                    .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {}).Start();
//       clerk_ = stack_->AuthHeaders("e2e-clerk", {"eldercare.clerk"}, "340722");
//     }
//     inline static Headers clerk_;
//   };
//   json enrolment = Ok(Http("POST", "/v1/eldercare/allowance-enrolments", clerk_, {{…}}));
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "nlohmann/json.hpp"
#include "tests/support/e2e_stack.h"

namespace civil::testing {

class GatewayE2eTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;
  using Headers = std::map<std::string, std::string>;

  static void TearDownTestSuite() { stack_.reset(); }

  // `method target` through the gateway with `headers`, and `body` as JSON unless null.
  static HttpResponse Http(const std::string& method, const std::string& target,
                           const Headers& headers, const json& body = nullptr) {
    return stack_->Http(method, target, body.is_null() ? "" : body.dump(), headers);
  }
  // The parsed body of a 200; a failure naming the status, the body and the stack's logs else.
  static json Ok(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body << stack_->Logs();
    return json::parse(r.body, nullptr, false);
  }
  // An int64 field of a response (proto3 JSON writes them as strings; absent = 0).
  static int64_t I64(const json& j, const std::string& key) {
    if (!j.contains(key)) return 0;
    if (j[key].is_number()) return j[key].get<int64_t>();
    int64_t n = 0;
    EXPECT_TRUE(absl::SimpleAtoi(j[key].get<std::string>(), &n)) << j;
    return n;
  }

  // The suite's stack; one suite per test binary.
  inline static std::unique_ptr<E2eStack> stack_;
};

}  // namespace civil::testing
