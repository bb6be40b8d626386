#include "services/common/errors.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

TEST(InvalidFieldTest, CodeAndMessage) {
  const absl::Status status = InvalidField("id_number", "wrong check character");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "id_number: wrong check character");
  EXPECT_EQ(InvalidField("members[2].id_number", "must be 18 characters").message(),
            "members[2].id_number: must be 18 characters");
  EXPECT_EQ(InvalidField("bank.account", "").message(), "bank.account: ");
}

TEST(AnnotateFieldTest, RewritesInvalidArgument) {
  const absl::Status annotated =
      AnnotateField("id_number", absl::InvalidArgumentError("must be 18 characters"));
  EXPECT_EQ(annotated.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(annotated.message(), "id_number: must be 18 characters");
}

TEST(AnnotateFieldTest, KeepsOk) {
  const absl::Status ok = AnnotateField("id_number", absl::OkStatus());
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.message(), "");
}

TEST(AnnotateFieldTest, KeepsOtherCodes) {
  for (const absl::Status& status :
       {absl::NotFoundError("household not found"), absl::FailedPreconditionError("under notice"),
        absl::PermissionDeniedError("no"), absl::InternalError("boom"),
        absl::UnavailableError("pg down"), absl::OutOfRangeError("too far")}) {
    const absl::Status annotated = AnnotateField("id_number", status);
    EXPECT_EQ(annotated, status);
    EXPECT_EQ(annotated.code(), status.code());
    EXPECT_EQ(annotated.message(), status.message());
  }
}

// --- CIVIL_RETURN_IF_ERROR -------------------------------------------------------------------

absl::Status ReturnIfError(const absl::Status& first, int* reached) {
  CIVIL_RETURN_IF_ERROR(first);
  ++*reached;
  return absl::OkStatus();
}

TEST(ReturnIfErrorTest, ReturnsEarlyOnError) {
  int reached = 0;
  const absl::Status status = ReturnIfError(absl::NotFoundError("gone"), &reached);
  EXPECT_EQ(status, absl::NotFoundError("gone"));
  EXPECT_EQ(reached, 0);
}

TEST(ReturnIfErrorTest, ContinuesOnOk) {
  int reached = 0;
  EXPECT_TRUE(ReturnIfError(absl::OkStatus(), &reached).ok());
  EXPECT_EQ(reached, 1);
}

absl::Status Counted(int* calls, absl::Status result) {
  ++*calls;
  return result;
}

absl::Status EvaluatesOnce(int* calls) {
  CIVIL_RETURN_IF_ERROR(Counted(calls, absl::OkStatus()));
  CIVIL_RETURN_IF_ERROR(Counted(calls, absl::AbortedError("retry")));
  CIVIL_RETURN_IF_ERROR(Counted(calls, absl::OkStatus()));
  return absl::OkStatus();
}

TEST(ReturnIfErrorTest, EvaluatesExpressionOnceAndStopsAtFirstError) {
  int calls = 0;
  EXPECT_EQ(EvaluatesOnce(&calls), absl::AbortedError("retry"));
  EXPECT_EQ(calls, 2);
}

absl::StatusOr<int> ReturnIfErrorInStatusOr(const absl::Status& first) {
  CIVIL_RETURN_IF_ERROR(first);
  return 7;
}

TEST(ReturnIfErrorTest, WorksInFunctionsReturningStatusOr) {
  EXPECT_EQ(*ReturnIfErrorInStatusOr(absl::OkStatus()), 7);
  EXPECT_EQ(ReturnIfErrorInStatusOr(InvalidField("x", "bad")).status(), InvalidField("x", "bad"));
}

TEST(ReturnIfErrorTest, UsableAsOneStatementInIfElse) {
  auto f = [](bool fail) -> absl::Status {
    if (fail)
      CIVIL_RETURN_IF_ERROR(absl::InternalError("failed"));
    else
      return absl::CancelledError("else branch");
    return absl::OkStatus();
  };
  EXPECT_EQ(f(true), absl::InternalError("failed"));
  EXPECT_EQ(f(false), absl::CancelledError("else branch"));
}

// --- CIVIL_ASSIGN_OR_RETURN ------------------------------------------------------------------

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return InvalidField("n", "must be even");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n, int* reached) {
  CIVIL_ASSIGN_OR_RETURN(int half, Half(n));
  ++*reached;
  CIVIL_ASSIGN_OR_RETURN(auto quarter, Half(half));
  ++*reached;
  return quarter;
}

TEST(AssignOrReturnTest, AssignsDeclarations) {
  int reached = 0;
  EXPECT_EQ(*Quarter(12, &reached), 3);
  EXPECT_EQ(reached, 2);
}

TEST(AssignOrReturnTest, ReturnsEarly) {
  int reached = 0;
  EXPECT_EQ(Quarter(7, &reached).status(), InvalidField("n", "must be even"));
  EXPECT_EQ(reached, 0);
  reached = 0;
  EXPECT_EQ(Quarter(6, &reached).status(), InvalidField("n", "must be even"));  // 6/2 = 3 is odd
  EXPECT_EQ(reached, 1);
}

absl::Status AssignExisting(int n, int* out) {
  int value = -1;
  CIVIL_ASSIGN_OR_RETURN(value, Half(n));
  *out = value;
  return absl::OkStatus();
}

TEST(AssignOrReturnTest, AssignsLvaluesInStatusFunctions) {
  int out = 0;
  EXPECT_TRUE(AssignExisting(10, &out).ok());
  EXPECT_EQ(out, 5);
  out = 0;
  EXPECT_EQ(AssignExisting(3, &out), InvalidField("n", "must be even"));
  EXPECT_EQ(out, 0);
}

absl::StatusOr<std::unique_ptr<std::string>> MakeText(bool ok) {
  if (!ok) return absl::ResourceExhaustedError("no memory");
  return std::make_unique<std::string>("枞阳");
}

absl::StatusOr<std::unique_ptr<std::string>> Forward(bool ok, bool* reached) {
  CIVIL_ASSIGN_OR_RETURN(std::unique_ptr<std::string> text, MakeText(ok));
  *reached = true;
  text->append("县");
  return text;
}

TEST(AssignOrReturnTest, MoveOnlyTypes) {
  bool reached = false;
  absl::StatusOr<std::unique_ptr<std::string>> text = Forward(true, &reached);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_TRUE(reached);
  ASSERT_NE(*text, nullptr);
  EXPECT_EQ(**text, "枞阳县");

  reached = false;
  EXPECT_EQ(Forward(false, &reached).status(), absl::ResourceExhaustedError("no memory"));
  EXPECT_FALSE(reached);
}

absl::Status AssignMoveOnlyLvalue(std::unique_ptr<std::string>* out) {
  CIVIL_ASSIGN_OR_RETURN(*out, MakeText(true));
  return absl::OkStatus();
}

TEST(AssignOrReturnTest, MoveOnlyIntoExistingLvalue) {
  std::unique_ptr<std::string> out;
  EXPECT_TRUE(AssignMoveOnlyLvalue(&out).ok());
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(*out, "枞阳");
}

absl::Status TwoOnDifferentLines(int a, int b, int* sum) {
  CIVIL_ASSIGN_OR_RETURN(int x, Half(a));
  CIVIL_ASSIGN_OR_RETURN(int y, Half(b));
  *sum = x + y;
  return absl::OkStatus();
}

TEST(AssignOrReturnTest, SeveralInOneFunction) {
  int sum = 0;
  EXPECT_TRUE(TwoOnDifferentLines(4, 8, &sum).ok());
  EXPECT_EQ(sum, 6);
  EXPECT_EQ(TwoOnDifferentLines(4, 9, &sum), InvalidField("n", "must be even"));
}

}  // namespace
}  // namespace civil
