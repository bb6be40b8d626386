#include "gateway/openapi.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "civil/common/v1/common.pb.h"
#include "nlohmann/json.hpp"

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;
using json = nlohmann::ordered_json;

template <typename D>
std::string Comment(const D* d) {
  pb::SourceLocation location;
  if (!d->GetSourceLocation(&location)) return "";
  std::string text =
      location.leading_comments.empty() ? location.trailing_comments : location.leading_comments;
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    lines.emplace_back(absl::StripAsciiWhitespace(line));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return absl::StrJoin(lines, "\n");
}

// Well-known types with a JSON form of their own (proto3 JSON mapping).
bool WellKnown(const pb::Descriptor* type, json* schema) {
  const std::string& name = type->full_name();
  if (name == "google.protobuf.Timestamp") {
    *schema = {{"type", "string"}, {"format", "date-time"}};
  } else if (name == "google.protobuf.Duration") {
    *schema = {{"type", "string"}, {"pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$"}, {"example", "1.5s"}};
  } else if (name == "google.protobuf.FieldMask") {
    *schema = {{"type", "string"}, {"description", "comma-separated field paths"}};
  } else if (name == "google.protobuf.Struct") {
    *schema = {{"type", "object"}, {"additionalProperties", true}};
  } else if (name == "google.protobuf.Value") {
    *schema = json::object();
  } else if (name == "google.protobuf.ListValue") {
    *schema = {{"type", "array"}, {"items", json::object()}};
  } else if (name == "google.protobuf.Any") {
    *schema = {{"type", "object"},
               {"properties", {{"@type", {{"type", "string"}}}}},
               {"additionalProperties", true}};
  } else if (name == "google.protobuf.Empty") {
    *schema = {{"type", "object"}};
  } else if (name == "google.protobuf.StringValue" || name == "google.protobuf.BytesValue" ||
             name == "google.protobuf.Int64Value" || name == "google.protobuf.UInt64Value") {
    *schema = {{"type", "string"}, {"nullable", true}};
  } else if (name == "google.protobuf.Int32Value" || name == "google.protobuf.UInt32Value") {
    *schema = {{"type", "integer"}, {"nullable", true}};
  } else if (name == "google.protobuf.DoubleValue" || name == "google.protobuf.FloatValue") {
    *schema = {{"type", "number"}, {"nullable", true}};
  } else if (name == "google.protobuf.BoolValue") {
    *schema = {{"type", "boolean"}, {"nullable", true}};
  } else {
    return false;
  }
  return true;
}

class Builder {
 public:
  explicit Builder(json* schemas) : schemas_(schemas) {}

  json Ref(const pb::Descriptor* type) {
    json wkt;
    if (WellKnown(type, &wkt)) return wkt;
    Add(type);
    return {{"$ref", absl::StrCat("#/components/schemas/", type->full_name())}};
  }

  json Scalar(const pb::FieldDescriptor* f) {
    using F = pb::FieldDescriptor;
    switch (f->type()) {
      case F::TYPE_STRING:
        return {{"type", "string"}};
      case F::TYPE_BYTES:
        return {{"type", "string"}, {"format", "byte"}};
      case F::TYPE_BOOL:
        return {{"type", "boolean"}};
      case F::TYPE_INT32:
      case F::TYPE_SINT32:
      case F::TYPE_SFIXED32:
        return {{"type", "integer"}, {"format", "int32"}};
      case F::TYPE_UINT32:
      case F::TYPE_FIXED32:
        return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
      case F::TYPE_INT64:
      case F::TYPE_SINT64:
      case F::TYPE_SFIXED64:
        return {{"type", "string"}, {"format", "int64"}};
      case F::TYPE_UINT64:
      case F::TYPE_FIXED64:
        return {{"type", "string"}, {"format", "uint64"}};
      case F::TYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case F::TYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case F::TYPE_ENUM: {
        json values = json::array();
        for (int i = 0; i < f->enum_type()->value_count(); ++i) {
          values.push_back(f->enum_type()->value(i)->name());
        }
        return {{"type", "string"}, {"enum", values}};
      }
      case F::TYPE_MESSAGE:
      case F::TYPE_GROUP:
        return Ref(f->message_type());
    }
    return json::object();
  }

  json Field(const pb::FieldDescriptor* f) {
    json schema;
    if (f->is_map()) {
      schema = {{"type", "object"},
                {"additionalProperties", Scalar(f->message_type()->map_value())}};
    } else if (f->is_repeated()) {
      schema = {{"type", "array"}, {"items", Scalar(f)}};
    } else {
      schema = Scalar(f);
    }
    std::string comment = Comment(f);
    if (!comment.empty()) {
      if (schema.contains("$ref")) schema = {{"allOf", json::array({schema})}};
      schema["description"] = comment;
    }
    return schema;
  }

  void Add(const pb::Descriptor* type) {
    if (!seen_.insert(type->full_name()).second) return;
    json schema = {{"type", "object"}};
    std::string comment = Comment(type);
    if (!comment.empty()) schema["description"] = comment;
    json properties = json::object();
    for (int i = 0; i < type->field_count(); ++i) {
      const pb::FieldDescriptor* f = type->field(i);
      properties[f->json_name()] = Field(f);
    }
    schema["properties"] = std::move(properties);
    (*schemas_)[type->full_name()] = std::move(schema);
  }

 private:
  json* schemas_;
  std::set<std::string> seen_;
};

// `/v1/{name=shelves/*}:verb` → `/v1/{name}:verb`.
std::string OpenApiPath(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out.push_back(text[i]);
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) return text;
    std::string var = text.substr(i + 1, close - i - 1);
    out += "{" + var.substr(0, var.find('=')) + "}";
    i = close;
  }
  return out;
}

// Query parameters: the scalar (and repeated scalar, and string-form well-known) fields reachable
// without crossing a repeated message, not bound by the path or the body.
void QueryParams(Builder& builder, const pb::Descriptor* type, const std::string& prefix,
                 const std::set<std::string>& excluded, int depth, json* params) {
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* f = type->field(i);
    std::string name = prefix.empty() ? f->json_name() : absl::StrCat(prefix, ".", f->json_name());
    std::string proto_name = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (excluded.count(proto_name) > 0) continue;
    if (f->is_map()) continue;
    json wkt;
    if (f->type() == pb::FieldDescriptor::TYPE_MESSAGE && !WellKnown(f->message_type(), &wkt)) {
      if (f->is_repeated() || depth >= 3) continue;
      QueryParams(builder, f->message_type(), name, excluded, depth + 1, params);
      continue;
    }
    json param = {
        {"name", name}, {"in", "query"}, {"required", false}, {"schema", builder.Field(f)}};
    if (f->is_repeated()) {
      param["style"] = "form";
      param["explode"] = true;
    }
    std::string comment = Comment(f);
    if (!comment.empty()) param["description"] = comment;
    params->push_back(std::move(param));
  }
}

}  // namespace

std::string BuildOpenApi(const LoadedDescriptors& descriptors, const Router& router, bool bearer) {
  json doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", "Civil Affairs Platform API"},
                 {"version", "v1"},
                 {"description",
                  "Generated by the gateway from the services' contracts (google.api.http rules). "
                  "Errors are `{\"code\": 5, \"message\": \"...\", \"details\": []}` with the gRPC "
                  "status code as `code`. Call with `Authorization: Bearer TOKEN`."}};
  json paths = json::object();
  json schemas = json::object();
  schemas["Error"] = {{"type", "object"},
                      {"properties",
                       {{"code", {{"type", "integer"}, {"description", "gRPC status code"}}},
                        {"message", {{"type", "string"}}},
                        {"details", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  Builder builder(&schemas);
  std::map<std::string, int> operation_ids;
  json tags = json::array();
  std::set<std::string> tag_names;
  for (const std::unique_ptr<Route>& route : router.routes()) {
    const pb::MethodDescriptor* method = route->method;
    const std::string service = method->service()->full_name();
    if (tag_names.insert(service).second) {
      json tag = {{"name", service}};
      std::string comment = Comment(method->service());
      if (!comment.empty()) tag["description"] = comment;
      tags.push_back(std::move(tag));
    }
    json op;
    op["tags"] = json::array({service});
    std::string id = absl::StrCat(method->service()->name(), "_", method->name());
    int n = operation_ids[id]++;
    op["operationId"] = n == 0 ? id : absl::StrCat(id, "_", n + 1);
    std::string comment = Comment(method);
    op["summary"] = comment.empty() ? method->name() : comment.substr(0, comment.find('\n'));
    if (!comment.empty()) op["description"] = comment;
    if (method->options().HasExtension(civil::common::v1::access)) {
      const auto& rule = method->options().GetExtension(civil::common::v1::access);
      op["x-required-roles"] = std::vector<std::string>(rule.roles().begin(), rule.roles().end());
    } else {
      op["x-required-roles"] = json::array({"admin"});
    }

    json params = json::array();
    std::set<std::string> excluded;
    for (const PathVariable& var : route->path.variables()) {
      excluded.insert(var.field_path);
      params.push_back({{"name", var.field_path},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (route->body != "*") {
      if (!route->body.empty()) excluded.insert(route->body);
      QueryParams(builder, route->input, "", excluded, 0, &params);
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!route->body.empty()) {
      json schema =
          route->body == "*" ? builder.Ref(route->input) : builder.Field(route->body_field);
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    json ok_schema = route->response_body_field != nullptr
                         ? builder.Field(route->response_body_field)
                         : builder.Ref(route->output);
    json error = {{"$ref", "#/components/schemas/Error"}};
    op["responses"] = {
        {"200",
         {{"description", "OK"}, {"content", {{"application/json", {{"schema", ok_schema}}}}}}},
        {"default",
         {{"description",
           "Error (400 invalid, 401 no or bad token, 403 role or region, 404, 409, "
           "422 Idempotency-Key reuse, 429 rate limit, 503, 504)"},
          {"content", {{"application/json", {{"schema", error}}}}}}}};
    std::string method_key = absl::AsciiStrToLower(route->http_method);
    paths[OpenApiPath(route->path.text())][method_key] = std::move(op);
  }
  doc["tags"] = std::move(tags);
  doc["paths"] = std::move(paths);
  doc["components"]["schemas"] = std::move(schemas);
  if (bearer) {
    doc["components"]["securitySchemes"]["bearerAuth"] = {
        {"type", "http"},
        {"scheme", "bearer"},
        {"bearerFormat", "JWT"},
        {"description",
         "A JWT from the identity provider (development: `civilctl token --subject alice --roles "
         "assistance.clerk --region 340722`). Claims: sub, roles, region."}};
    doc["security"] = json::array({{{"bearerAuth", json::array()}}});
  }
  return doc.dump();
}

}  // namespace civil::gateway
