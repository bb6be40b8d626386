// JSON ⇄ protobuf for the gateway: builds the binary request of a route from the HTTP body, the
// path bindings and the query string, and turns the binary response into JSON, over the gateway's
// own DescriptorPool (no generated code per service): FastJson for the common shapes, protobuf's
// JSON utilities for everything else and for every error message.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/zero_copy_stream.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/fast_json.h"
#include "gateway/path_template.h"
#include "gateway/router.h"

namespace civil::gateway {

struct TranscoderOptions {
  // Print responses with the proto field names (`monthly_amount_fen`) instead of lowerCamelCase
  // JSON names (`monthlyAmountFen`). Requests accept both either way.
  bool proto_field_names = false;
  // Try FastJson before protobuf's JSON utilities (both directions). Off: protobuf's only.
  bool fast_json = true;
};

// Stateless after construction: every method may be called from many threads at once.
class Transcoder {
 public:
  // `files` are the pool's files; every message and enum type in them is resolved once here, so
  // requests never rebuild type information. The pool must outlive the transcoder.
  Transcoder(const google::protobuf::DescriptorPool* pool,
             const std::vector<const google::protobuf::FileDescriptor*>& files,
             TranscoderOptions options = {});
  ~Transcoder();
  Transcoder(const Transcoder&) = delete;
  Transcoder& operator=(const Transcoder&) = delete;

  // Builds the serialized request message of `route` into `request` (replacing its contents):
  //  - body "*": the JSON body is the whole request (an empty body is an empty message);
  //    body "<field>": the JSON body is that field's value; no body: `body` is ignored;
  //  - query parameters (`a.b=v`, a field's proto or JSON name, repeated fields by repeating the
  //    key, enums by name or number, bools `true`/`false`) set fields not bound otherwise;
  //  - path bindings set their fields last, so they win over the body.
  // Returns INVALID_ARGUMENT naming the field for malformed JSON, an unknown field, a value of the
  // wrong type, a query parameter that names no field (or one set by the path or the body).
  absl::Status BuildRequest(const Route& route, const PathBindings& bindings,
                            absl::string_view query, absl::string_view body,
                            std::string* request) const;

  // Prints the serialized response of `route` (from `response`) as JSON into `json`, or only its
  // `response_body` field when the rule has one. Default-valued fields are omitted; enums print
  // as names. Returns the converter's error (e.g. NOT_FOUND for a type missing from the pool).
  // Note that protobuf's converter skips malformed trailing bytes instead of failing; a gRPC
  // backend's messages are well-formed, so they are not validated twice.
  absl::Status ResponseToJson(const Route& route,
                              google::protobuf::io::ZeroCopyInputStream* response,
                              std::string* json) const;
  // As above from a contiguous buffer.
  absl::Status ResponseToJson(const Route& route, absl::string_view response,
                              std::string* json) const;

  // The `details` of a serialized google.rpc.Status (a gRPC error's `grpc-status-details-bin`)
  // as a JSON array; "[]" when there are none or they cannot be printed (e.g. google.rpc.Status
  // or a detail's type is not in the descriptor set).
  std::string ErrorDetailsJson(absl::string_view status_details) const;

  // Whether FastJson is tried first (TranscoderOptions::fast_json).
  bool uses_fast_json() const { return fast_ != nullptr; }

 private:
  class CachingTypeResolver;

  const std::string& TypeUrl(const google::protobuf::Descriptor* type) const;
  absl::Status ParseJson(const google::protobuf::Descriptor* type, absl::string_view json,
                         absl::string_view field_prefix, std::string* out) const;
  absl::Status PrintJson(const google::protobuf::Descriptor* type, absl::string_view binary,
                         std::string* out) const;
  absl::Status PrintField(const google::protobuf::Descriptor* type,
                          const google::protobuf::FieldDescriptor* field, absl::string_view binary,
                          std::string* out) const;
  absl::Status AppendQuery(const Route& route, absl::string_view query, std::string* out) const;
  absl::Status AppendValue(const FieldPath& path, absl::string_view text, std::string* out) const;

  const google::protobuf::DescriptorPool* pool_;
  TranscoderOptions options_;
  std::unique_ptr<CachingTypeResolver> resolver_;
  // Tried first in both directions; protobuf's converter when it declines. Null when
  // TranscoderOptions::fast_json is off.
  std::unique_ptr<FastJson> fast_;
  absl::flat_hash_map<const google::protobuf::Descriptor*, std::string> type_urls_;
  google::protobuf::util::JsonParseOptions parse_options_;
  google::protobuf::util::JsonPrintOptions print_options_;
};

// Normalizes a protobuf JSON parser error into `<field path>: <problem>` (e.g.
// `members[0].name: invalid value 5 for type TYPE_STRING`, `members[0].bogus: unknown field`,
// `malformed JSON: Unexpected end of string. Expected a value.`), the field path prefixed with
// `field_prefix` when not empty. The body text the parser echoes is dropped.
std::string NormalizeJsonError(absl::string_view message, absl::string_view field_prefix);

}  // namespace civil::gateway
