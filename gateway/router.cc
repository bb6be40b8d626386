#include "gateway/router.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;

absl::Status RuleError(const pb::MethodDescriptor* method, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(method->full_name(), ": google.api.http rule: ", what));
}

// Turns one HttpRule (without its additional_bindings) into a route.
absl::StatusOr<std::unique_ptr<Route>> MakeRoute(const pb::MethodDescriptor* method,
                                                 const google::api::HttpRule& rule) {
  auto route = std::make_unique<Route>();
  std::string pattern;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route->http_method = "GET";
      pattern = rule.get();
      break;
    case google::api::HttpRule::kPut:
      route->http_method = "PUT";
      pattern = rule.put();
      break;
    case google::api::HttpRule::kPost:
      route->http_method = "POST";
      pattern = rule.post();
      break;
    case google::api::HttpRule::kDelete:
      route->http_method = "DELETE";
      pattern = rule.delete_();
      break;
    case google::api::HttpRule::kPatch:
      route->http_method = "PATCH";
      pattern = rule.patch();
      break;
    case google::api::HttpRule::kCustom:
      route->http_method = rule.custom().kind();
      pattern = rule.custom().path();
      if (route->http_method.empty()) return RuleError(method, "custom pattern without a kind");
      break;
    case google::api::HttpRule::PATTERN_NOT_SET:
      return RuleError(method, "no pattern (get, put, post, delete, patch or custom)");
  }
  absl::StatusOr<PathTemplate> path = PathTemplate::Parse(pattern);
  if (!path.ok()) return RuleError(method, path.status().message());
  route->path = *std::move(path);
  route->method = method;
  route->grpc_method = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  route->input = method->input_type();
  route->output = method->output_type();

  for (const PathVariable& var : route->path.variables()) {
    std::vector<absl::string_view> names(var.field_names.begin(), var.field_names.end());
    absl::StatusOr<FieldPath> fields =
        ResolveFieldPath(route->input, names, /*allow_json_names=*/false);
    if (!fields.ok()) {
      return RuleError(method, absl::StrCat("path variable {", var.field_path,
                                            "}: ", fields.status().message()));
    }
    const pb::FieldDescriptor* leaf = fields->back();
    if (leaf->is_repeated() || leaf->type() == pb::FieldDescriptor::TYPE_MESSAGE ||
        leaf->type() == pb::FieldDescriptor::TYPE_GROUP) {
      return RuleError(method, absl::StrCat("path variable {", var.field_path,
                                            "} must name a singular scalar field"));
    }
    route->variable_fields.push_back(*std::move(fields));
  }

  route->body = rule.body();
  if (!route->body.empty() && route->body != "*") {
    route->body_field = route->input->FindFieldByName(route->body);
    if (route->body_field == nullptr) {
      return RuleError(method, absl::StrCat("body \"", route->body, "\" is no top-level field of ",
                                            route->input->full_name()));
    }
    for (const PathVariable& var : route->path.variables()) {
      if (var.field_names.front() == route->body) {
        return RuleError(method,
                         absl::StrCat("body \"", route->body, "\" is also bound by path variable {",
                                      var.field_path, "}"));
      }
    }
  }
  route->response_body = rule.response_body();
  if (!route->response_body.empty()) {
    route->response_body_field = route->output->FindFieldByName(route->response_body);
    if (route->response_body_field == nullptr) {
      return RuleError(method,
                       absl::StrCat("response_body \"", route->response_body,
                                    "\" is no top-level field of ", route->output->full_name()));
    }
  }
  return route;
}

std::string Describe(const Route& r) {
  return absl::StrCat(r.http_method, " ", r.path.text(), " (", r.method->full_name(), ")");
}

}  // namespace

absl::StatusOr<Router> Router::Create(const std::vector<const pb::ServiceDescriptor*>& services) {
  Router router;
  absl::flat_hash_map<std::string, const Route*> by_shape;
  for (const pb::ServiceDescriptor* service : services) {
    for (int m = 0; m < service->method_count(); ++m) {
      const pb::MethodDescriptor* method = service->method(m);
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      if (method->client_streaming()) {
        router.warnings_.push_back(absl::StrCat(
            method->full_name(), ": client-streaming RPCs are not served over HTTP; rule ignored"));
        continue;
      }
      std::vector<const google::api::HttpRule*> rules = {&rule};
      for (const google::api::HttpRule& extra : rule.additional_bindings()) {
        if (extra.additional_bindings_size() > 0) {
          return RuleError(method, "additional_bindings must not nest");
        }
        rules.push_back(&extra);
      }
      for (const google::api::HttpRule* r : rules) {
        absl::StatusOr<std::unique_ptr<Route>> route = MakeRoute(method, *r);
        if (!route.ok()) return route.status();
        std::string key = absl::StrCat((*route)->http_method, " ", (*route)->path.shape());
        auto [it, inserted] = by_shape.emplace(key, route->get());
        if (!inserted) {
          return absl::InvalidArgumentError(
              absl::StrCat("conflicting HTTP rules: ", Describe(*it->second), " and ",
                           Describe(**route), " match the same requests"));
        }
        (*route)->index = router.routes_.size();
        (*route)->server_streaming = method->server_streaming();
        router.routes_.push_back(*std::move(route));
      }
    }
  }
  for (const std::unique_ptr<Route>& route : router.routes_) {
    auto it =
        std::find_if(router.by_method_.begin(), router.by_method_.end(),
                     [&](const MethodRoutes& m) { return m.http_method == route->http_method; });
    if (it == router.by_method_.end()) {
      router.by_method_.push_back({route->http_method, {}});
      it = router.by_method_.end() - 1;
    }
    it->routes.push_back(route.get());
  }
  for (MethodRoutes& m : router.by_method_) {
    std::stable_sort(m.routes.begin(), m.routes.end(), [](const Route* a, const Route* b) {
      return PathTemplate::MoreSpecific(a->path, b->path);
    });
  }
  return router;
}

Router::MatchResult Router::Match(absl::string_view method, absl::string_view path) const {
  MatchResult result;
  PathSegments segments = SplitPath(path);
  for (const MethodRoutes& m : by_method_) {
    if (m.http_method != method) continue;
    for (const Route* route : m.routes) {
      if (route->path.Match(segments, &result.bindings)) {
        result.outcome = Outcome::kMatched;
        result.route = route;
        return result;
      }
    }
    break;
  }
  // Not for this method: does the path exist for another one?
  std::vector<absl::string_view> allowed;
  PathBindings ignored;
  for (const MethodRoutes& m : by_method_) {
    if (m.http_method == method) continue;
    for (const Route* route : m.routes) {
      if (route->path.Match(segments, &ignored)) {
        allowed.push_back(m.http_method);
        break;
      }
    }
  }
  result.bindings.clear();
  if (allowed.empty()) {
    result.outcome = Outcome::kNotFound;
    return result;
  }
  std::sort(allowed.begin(), allowed.end());
  result.outcome = Outcome::kMethodNotAllowed;
  result.allow = absl::StrJoin(allowed, ", ");
  return result;
}

}  // namespace civil::gateway
