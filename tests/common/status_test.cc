#include "services/common/status.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

TEST(StatusTest, ToGrpcKeepsCodeAndMessage) {
  grpc::Status ok = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.error_code(), grpc::StatusCode::OK);

  grpc::Status not_found = ToGrpcStatus(absl::NotFoundError("household not found"));
  EXPECT_EQ(not_found.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(not_found.error_message(), "household not found");

  grpc::Status invalid = ToGrpcStatus(InvalidField("id_number", "wrong check character"));
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(invalid.error_message(), "id_number: wrong check character");
}

TEST(StatusTest, EveryCanonicalCodeKeepsItsNumber) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code), "m");
    const grpc::Status converted = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(converted.error_code()), code);
    EXPECT_EQ(converted.error_message(), "m");
    EXPECT_EQ(FromGrpcStatus(converted), status);
  }
}

TEST(StatusTest, NamedCodesLineUp) {
  EXPECT_EQ(ToGrpcStatus(absl::AlreadyExistsError("")).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("")).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ToGrpcStatus(absl::UnavailableError("")).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ToGrpcStatus(absl::DataLossError("")).error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ToGrpcStatus(absl::FailedPreconditionError("")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(StatusTest, FromGrpc) {
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
  const absl::Status status =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "outside your region"));
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "outside your region");

  const absl::Status odd =
      FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(20), "strange"));
  EXPECT_EQ(odd.code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(odd.message(), "strange");
}

TEST(StatusTest, InvalidField) {
  const absl::Status status = InvalidField("household.region_code", "must be 6, 9 or 12 digits");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "household.region_code: must be 6, 9 or 12 digits");
}

TEST(StatusTest, AnnotateField) {
  EXPECT_TRUE(AnnotateField("id_number", absl::OkStatus()).ok());
  EXPECT_EQ(AnnotateField("id_number", absl::InvalidArgumentError("wrong check character")),
            absl::InvalidArgumentError("id_number: wrong check character"));
  EXPECT_EQ(AnnotateField("id_number", absl::InternalError("boom")), absl::InternalError("boom"));
}

TEST(StatusTest, HttpStatusFollowsGrpcGateway) {
  const std::vector<std::pair<grpc::StatusCode, int>> expected = {
      {grpc::StatusCode::OK, 200},
      {grpc::StatusCode::CANCELLED, 499},
      {grpc::StatusCode::UNKNOWN, 500},
      {grpc::StatusCode::INVALID_ARGUMENT, 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504},
      {grpc::StatusCode::NOT_FOUND, 404},
      {grpc::StatusCode::ALREADY_EXISTS, 409},
      {grpc::StatusCode::PERMISSION_DENIED, 403},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429},
      {grpc::StatusCode::FAILED_PRECONDITION, 400},
      {grpc::StatusCode::ABORTED, 409},
      {grpc::StatusCode::OUT_OF_RANGE, 400},
      {grpc::StatusCode::UNIMPLEMENTED, 501},
      {grpc::StatusCode::INTERNAL, 500},
      {grpc::StatusCode::UNAVAILABLE, 503},
      {grpc::StatusCode::DATA_LOSS, 500},
      {grpc::StatusCode::UNAUTHENTICATED, 401},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(HttpStatusFromGrpcCode(code), http) << "gRPC code " << static_cast<int>(code);
  }
  EXPECT_EQ(HttpStatusFromGrpcCode(static_cast<grpc::StatusCode>(20)), 500);
}

}  // namespace
}  // namespace civil
