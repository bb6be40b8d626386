// Client of the assistance department's EnrolmentCheckService for every department that asks
// whether a person is enrolled (低保, 特困, …) on a date. Every call carries a deadline and the
// calling department's system identity; an unreachable assistance is an error the caller must
// wait on (a pending state), never a "no". Call it outside any database transaction.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "services/common/enrolment_fact.h"
#include "services/common/id_number.h"
#include "services/common/identity.h"

namespace civil {

// Where assistance is and how long a department waits for it, from the environment:
//   CIVIL_ASSISTANCE_ADDR                  [127.0.0.1:50051]
//   CIVIL_<DEPT>_ASSISTANCE_DEADLINE_MS    [2000] (50..60000)
struct EnrolmentCheckConfig {
  std::string address;
  std::chrono::milliseconds deadline{2000};
};
// INVALID_ARGUMENT naming every malformed variable.
absl::StatusOr<EnrolmentCheckConfig> LoadEnrolmentCheckConfig(absl::string_view department);

class EnrolmentCheckClient {
 public:
  // Calls assistance at `address` (`host:port`) with the department's service token from
  // `tokens` (not owned; the Department's); each call may take at most `deadline`.
  EnrolmentCheckClient(const std::string& address, std::chrono::milliseconds deadline,
                       ServiceTokens* tokens);

  // The person's enrolments in `programme` (PROGRAMME_UNSPECIFIED = every programme) as
  // assistance reports them on `as_of`. UNAVAILABLE or DEADLINE_EXCEEDED when assistance cannot
  // be reached in time; any other error as assistance answered it. The message never holds the
  // ID number.
  absl::StatusOr<std::vector<EnrolmentFact>> Check(
      const IdNumber& id, absl::CivilDay as_of,
      civil::assistance::v1::Programme programme = civil::assistance::v1::PROGRAMME_UNSPECIFIED);

 private:
  std::unique_ptr<civil::assistance::v1::EnrolmentCheckService::Stub> stub_;
  std::chrono::milliseconds deadline_;
  ServiceTokens* tokens_;
};

}  // namespace civil
