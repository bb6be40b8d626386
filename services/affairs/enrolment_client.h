// Client of the assistance department's EnrolmentCheckService: is this person in an active 低保
// enrolment on a date, and since when. Every call carries a deadline and the department's system
// identity; an unreachable assistance service is an error the caller must wait on, never a "no".
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "services/affairs/disability.h"
#include "services/common/id_number.h"
#include "services/common/identity.h"

namespace civil::affairs {

class EnrolmentClient {
 public:
  // Calls assistance at `address` (`host:port`, from CIVIL_ASSISTANCE_ADDR) with affairs's
  // service token from `tokens` (not owned); each call may take at most `deadline`.
  EnrolmentClient(const std::string& address, std::chrono::milliseconds deadline,
                  ServiceTokens* tokens);

  // The person's 低保 enrolments as assistance reports them on `as_of`. UNAVAILABLE or
  // DEADLINE_EXCEEDED when assistance cannot be reached in time; any other error as assistance
  // answered it (PERMISSION_DENIED, INVALID_ARGUMENT, …). The message never holds the ID number.
  absl::StatusOr<std::vector<EnrolmentFact>> CheckDibao(const IdNumber& id, absl::CivilDay as_of);

 private:
  std::unique_ptr<civil::assistance::v1::EnrolmentCheckService::Stub> stub_;
  std::chrono::milliseconds deadline_;
  ServiceTokens* tokens_;
};

}  // namespace civil::affairs
