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

  // The message of a refused call, which names the field first ("" when the body is no JSON).
  static std::string Message(const HttpResponse& r) {
    const json body = json::parse(r.body, nullptr, false);
    return body.is_object() ? body.value("message", "") : std::string();
  }

  // The kit's grievance contract over HTTP (`grievances` = /v1/{department}/grievances), as every
  // department's e2e takes it. A filing with a bad field is 400 naming it, and nothing is filed:
  // no case_id, an unknown kind, no kind, and `foreign_case_kind` (another department's) answered
  // "case_kind: must be one of `case_kinds`".
  static void ExpectBadGrievanceFilingsRefused(const std::string& grievances, const Headers& clerk,
                                               const json& filing,
                                               const std::string& foreign_case_kind,
                                               const std::string& case_kinds) {
    auto refused = [&](json bad, const std::string& message) {
      const HttpResponse r = Http("POST", grievances, clerk, bad);
      EXPECT_EQ(r.status, 400) << r.body;
      EXPECT_EQ(Message(r).rfind(message, 0), 0u) << r.body;
    };
    json bad = filing;
    bad["caseId"] = "";
    refused(bad, "case_id: is required");
    bad = filing;
    bad["kind"] = "NO_SUCH_KIND";
    refused(bad, "kind: invalid value \"NO_SUCH_KIND\"");
    bad = filing;
    bad.erase("kind");
    refused(bad, "kind: is required");
    bad = filing;
    bad["caseKind"] = foreign_case_kind;
    refused(bad, "case_kind: must be one of " + case_kinds);
  }

  // The grievance at `gpath` assigned to `assignee` and answered (`response`, on `responded_on`)
  // by `clerk`; a clerk's decision refused (403, still RESPONDED); decided UPHELD by `reviewer`.
  // The grievance as decided.
  static json AnsweredThenUpheld(const std::string& gpath, const Headers& clerk,
                                 const Headers& reviewer, const std::string& assignee,
                                 const std::string& response, const std::string& responded_on) {
    const json assigned = Ok(Http("POST", gpath + ":assign", clerk, {{"assignee", assignee}}));
    EXPECT_EQ(assigned["grievance"]["status"], "ASSIGNED") << assigned;
    const json answered = Ok(Http("POST", gpath + ":respond", clerk,
                                  {{"response", response}, {"respondedOn", responded_on}}));
    EXPECT_EQ(answered["grievance"]["status"], "RESPONDED") << answered;
    const HttpResponse r = Http("POST", gpath + ":decide", clerk, {{"outcome", "UPHELD"}});
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(Ok(Http("GET", gpath, clerk))["grievance"]["status"], "RESPONDED");
    return Ok(Http("POST", gpath + ":decide", reviewer, {{"outcome", "UPHELD"}}))["grievance"];
  }

  // The suite's stack; one suite per test binary.
  inline static std::unique_ptr<E2eStack> stack_;
};

}  // namespace civil::testing
