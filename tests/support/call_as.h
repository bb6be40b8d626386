// Who calls a department's gRPC port in a test: one place that puts a caller's identity on a
// client context, as the gateway (a user's call) or another department (a system call) does.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>

namespace civil::testing {

// A caller: subject, roles (comma-separated, e.g. "assistance.clerk,auditor") and region scope
// (a region code prefix, "*" for the whole county). Empty fields are left out.
struct TestCaller {
  std::string subject, roles, region;
};

// Puts `who` on `context`.
inline void CallAs(grpc::ClientContext& context, const TestCaller& who) {
  if (!who.subject.empty()) context.AddMetadata("x-civil-subject", who.subject);
  if (!who.roles.empty()) context.AddMetadata("x-civil-roles", who.roles);
  if (!who.region.empty()) context.AddMetadata("x-civil-region", who.region);
}

// A context with `who` and a 30-second deadline.
inline void PrepareCall(grpc::ClientContext& context, const TestCaller& who) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  CallAs(context, who);
}

}  // namespace civil::testing
