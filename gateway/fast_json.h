// Fast proto3 JSON ⇄ protobuf wire format for the shapes the gateway meets on almost every request,
// straight from the descriptors: no google.protobuf.Type, no object-writer chain, no per-call
// type resolution. protobuf's converter (util::BinaryToJsonStream / JsonToBinaryStream) costs
// ~35k instructions to print and ~100k to parse a household; this costs a few thousand.
//
// Both directions are exact or nothing: whenever input is outside what this code handles exactly
// as protobuf's converter does (a float, double, map, bytes in a request, a well-known type other
// than Timestamp, Duration and the wrappers, invalid UTF-8, a JSON null, a duplicate key, a quoted
// 32-bit number, malformed input, ...), the call returns false and the caller runs protobuf's
// converter, which then gives its own result or error message. tests/gateway/fast_json_test.cc
// checks the output against protobuf's converter over generated messages and bodies.
#pragma once

#include <google/protobuf/descriptor.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace civil::gateway {

class FastJson {
 public:
  // Indexes every message and enum type of `files` (nested ones included). `proto_field_names`:
  // print `monthly_amount_fen` instead of `monthlyAmountFen` (parsing accepts both either way).
  FastJson(const std::vector<const google::protobuf::FileDescriptor*>& files,
           bool proto_field_names);
  ~FastJson();
  FastJson(const FastJson&) = delete;
  FastJson& operator=(const FastJson&) = delete;

  // Appends the proto3 JSON of `binary` (a serialized `type`) to `out`, byte for byte what
  // protobuf's BinaryToJsonStream prints (no whitespace, defaults omitted, enums by name, 64-bit
  // integers quoted). False when it cannot (see above); `out` is then unspecified.
  bool Print(const google::protobuf::Descriptor* type, absl::string_view binary,
             std::string* out) const;

  // Appends the wire format of the JSON object `json` for `type` to `out` (fields in the JSON's
  // order; the message protobuf's JsonToBinaryStream would produce). False when the input is not
  // in the subset handled here (including every input protobuf refuses); `out` is then
  // unspecified.
  bool Parse(const google::protobuf::Descriptor* type, absl::string_view json,
             std::string* out) const;

  struct EnumInfo;
  struct FieldInfo;
  struct MessageInfo;

 private:
  const MessageInfo* Find(const google::protobuf::Descriptor* type) const;
  MessageInfo* Index(const google::protobuf::Descriptor* type);
  const EnumInfo* IndexEnum(const google::protobuf::EnumDescriptor* type);

  bool proto_field_names_;
  absl::flat_hash_map<const google::protobuf::Descriptor*, std::unique_ptr<MessageInfo>> messages_;
  absl::flat_hash_map<const google::protobuf::EnumDescriptor*, std::unique_ptr<EnumInfo>> enums_;
};

}  // namespace civil::gateway
