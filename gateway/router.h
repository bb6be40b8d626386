// The gateway's routing table, derived at start-up from the `google.api.http` rules of every RPC in
// a DescriptorPool: no route is written by hand.
#pragma once

#include <google/protobuf/descriptor.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/field_path.h"
#include "gateway/path_template.h"

namespace civil::gateway {

// One HTTP binding of one RPC (its main rule or one of its `additional_bindings`).
struct Route {
  // `GET`, `PUT`, `POST`, `DELETE`, `PATCH`, or a custom rule's kind as written.
  std::string http_method;
  PathTemplate path;
  // gRPC method path, `/pkg.Service/Method`.
  std::string grpc_method;
  const google::protobuf::MethodDescriptor* method = nullptr;
  const google::protobuf::Descriptor* input = nullptr;
  const google::protobuf::Descriptor* output = nullptr;
  // "" (no body), "*" (the body is the whole request) or the name of a top-level request field.
  std::string body;
  const google::protobuf::FieldDescriptor* body_field = nullptr;  // when body names a field
  // "" (the whole response) or the name of a top-level response field.
  std::string response_body;
  const google::protobuf::FieldDescriptor* response_body_field = nullptr;
  // Resolved field of each of path.variables(), same order.
  std::vector<FieldPath> variable_fields;
  // Position in Router::routes(); stable, usable as an index into per-route tables.
  size_t index = 0;
  // A server-streaming RPC: answered as newline-delimited JSON, one message per line.
  bool server_streaming = false;
};

// Routes built once, then read concurrently without locks.
class Router {
 public:
  // Builds the routes of every method of `services` that has a `google.api.http` rule (methods
  // without one are not on the HTTP API; client-streaming methods are skipped with a warning;
  // server-streaming ones are routes with `server_streaming` set). Returns
  // INVALID_ARGUMENT naming the RPC when a rule has no pattern, an invalid template, a variable or
  // `body`/`response_body` naming no suitable field; and naming both RPCs when two routes have
  // the same HTTP method and equivalent templates.
  static absl::StatusOr<Router> Create(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  enum class Outcome {
    kMatched,           // route and bindings are set
    kNotFound,          // no route has this path (404)
    kMethodNotAllowed,  // the path exists for other methods only; allow lists them (405)
  };
  struct MatchResult {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;
    PathBindings bindings;
    // Comma-separated methods that accept the path, for the `Allow` header of a 405.
    std::string allow;
  };

  // Finds the most specific route for `method` and `path` (starting with `/`, without the query
  // string; still percent-encoded). Never fails: the outcome says why nothing matched.
  MatchResult Match(absl::string_view method, absl::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  // Non-fatal findings of Create(), e.g. skipped streaming methods.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct MethodRoutes {
    std::string http_method;
    std::vector<const Route*> routes;  // most specific first
  };

  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<MethodRoutes> by_method_;
  std::vector<std::string> warnings_;
};

}  // namespace civil::gateway
