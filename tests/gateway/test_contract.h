// A small contract for the gateway tests, built in code: test.v1.ThingService with fields of every
// kind (scalars, enums, repeated, nested, well-known types) and rules using every body and
// response_body form.
#pragma once

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/wrappers.pb.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "civil/common/v1/common.pb.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace civil::gateway::test_contract {

namespace pb = ::google::protobuf;

inline pb::FieldDescriptorProto* AddField(pb::DescriptorProto* message, const std::string& name,
                                          int number, pb::FieldDescriptorProto::Type type,
                                          bool repeated = false,
                                          const std::string& type_name = "") {
  pb::FieldDescriptorProto* f = message->add_field();
  f->set_name(name);
  f->set_number(number);
  f->set_type(type);
  f->set_label(repeated ? pb::FieldDescriptorProto::LABEL_REPEATED
                        : pb::FieldDescriptorProto::LABEL_OPTIONAL);
  if (!type_name.empty()) f->set_type_name(type_name);
  return f;
}

// `roles`: the method's (civil.common.v1.access) rule; none when empty (admin only).
inline void AddMethod(pb::ServiceDescriptorProto* service, const std::string& name,
                      const google::api::HttpRule& rule,
                      std::initializer_list<const char*> roles = {}) {
  pb::MethodDescriptorProto* m = service->add_method();
  m->set_name(name);
  m->set_input_type(".test.v1.Req");
  m->set_output_type(".test.v1.Resp");
  *m->mutable_options()->MutableExtension(google::api::http) = rule;
  for (const char* role : roles) {
    m->mutable_options()->MutableExtension(civil::common::v1::access)->add_roles(role);
  }
}

inline pb::FileDescriptorSet KindsFile() {
  pb::FileDescriptorSet set;
  pb::Timestamp::descriptor()->file()->CopyTo(set.add_file());
  pb::Int32Value::descriptor()->file()->CopyTo(set.add_file());
  pb::Duration::descriptor()->file()->CopyTo(set.add_file());
  pb::FileDescriptorProto* file = set.add_file();
  file->set_name("test/v1/kinds.proto");
  file->set_package("test.v1");
  file->set_syntax("proto3");
  file->add_dependency("google/protobuf/timestamp.proto");
  file->add_dependency("google/protobuf/wrappers.proto");
  file->add_dependency("google/protobuf/duration.proto");
  pb::EnumDescriptorProto* color = file->add_enum_type();
  color->set_name("Color");
  for (auto [name, number] :
       {std::pair<const char*, int>{"COLOR_UNSPECIFIED", 0}, {"COLOR_RED", 1}, {"COLOR_BLUE", 2}}) {
    auto* v = color->add_value();
    v->set_name(name);
    v->set_number(number);
  }
  using T = pb::FieldDescriptorProto;
  pb::DescriptorProto* inner = file->add_message_type();
  inner->set_name("Inner");
  AddField(inner, "id", 1, T::TYPE_STRING);
  AddField(inner, "n", 2, T::TYPE_INT32);
  pb::DescriptorProto* req = file->add_message_type();
  req->set_name("Req");
  AddField(req, "id", 1, T::TYPE_STRING);
  AddField(req, "page_size", 2, T::TYPE_INT32);
  AddField(req, "big", 3, T::TYPE_INT64);
  AddField(req, "active", 4, T::TYPE_BOOL);
  AddField(req, "color", 5, T::TYPE_ENUM, false, ".test.v1.Color");
  AddField(req, "tags", 6, T::TYPE_STRING, true);
  AddField(req, "colors", 7, T::TYPE_ENUM, true, ".test.v1.Color");
  AddField(req, "inner", 8, T::TYPE_MESSAGE, false, ".test.v1.Inner");
  AddField(req, "ratio", 9, T::TYPE_DOUBLE);
  AddField(req, "count", 10, T::TYPE_UINT32);
  AddField(req, "blob", 11, T::TYPE_BYTES);
  AddField(req, "since", 12, T::TYPE_MESSAGE, false, ".google.protobuf.Timestamp");
  AddField(req, "limit", 13, T::TYPE_MESSAGE, false, ".google.protobuf.Int32Value");
  AddField(req, "nums", 14, T::TYPE_INT32, true);
  AddField(req, "delta", 15, T::TYPE_SINT64);
  AddField(req, "f32", 16, T::TYPE_FIXED32);
  AddField(req, "wait", 17, T::TYPE_MESSAGE, false, ".google.protobuf.Duration");
  AddField(req, "label", 18, T::TYPE_MESSAGE, false, ".google.protobuf.StringValue");
  pb::DescriptorProto* resp = file->add_message_type();
  resp->set_name("Resp");
  AddField(resp, "id", 1, T::TYPE_STRING);
  AddField(resp, "tags", 2, T::TYPE_STRING, true);
  AddField(resp, "inner", 3, T::TYPE_MESSAGE, false, ".test.v1.Inner");
  AddField(resp, "color", 4, T::TYPE_ENUM, false, ".test.v1.Color");
  AddField(resp, "total_count", 5, T::TYPE_INT64);

  pb::ServiceDescriptorProto* service = file->add_service();
  service->set_name("ThingService");
  google::api::HttpRule rule;
  rule.set_get("/v1/things/{inner.id}");
  AddMethod(service, "Get", rule, {"thing.reader", "auditor"});
  rule.Clear();
  rule.set_post("/v1/things");
  rule.set_body("inner");
  AddMethod(service, "Create", rule, {"thing.writer"});
  rule.Clear();
  rule.set_post("/v1/things/{id}:tag");
  rule.set_body("tags");
  AddMethod(service, "Tag", rule);
  rule.Clear();
  rule.set_get("/v1/things/{id}/inner");
  rule.set_response_body("inner");
  AddMethod(service, "GetInner", rule);
  rule.Clear();
  rule.set_get("/v1/things/{id}/tags");
  rule.set_response_body("tags");
  AddMethod(service, "GetTags", rule);
  rule.Clear();
  rule.set_get("/v1/things/{id}/total");
  rule.set_response_body("total_count");
  AddMethod(service, "GetTotal", rule);
  rule.Clear();
  rule.set_get("/v1/things/{id}:fail");
  AddMethod(service, "Fail", rule);
  rule.Clear();
  rule.set_get("/v1/things/{id}:hang");
  AddMethod(service, "Hang", rule);
  rule.Clear();
  rule.set_post("/v1/things:slow");
  rule.set_body("*");
  AddMethod(service, "Slow", rule, {"thing.writer"});
  // Server streaming: `page_size` messages Resp{id: "<id>-<i>"}; with `active` it fails after them.
  rule.Clear();
  rule.set_get("/v1/things/{id}:export");
  AddMethod(service, "Export", rule, {"thing.reader"});
  service->mutable_method(service->method_size() - 1)->set_server_streaming(true);
  return set;
}

}  // namespace civil::gateway::test_contract
