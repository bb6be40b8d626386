#include "gateway/transcoder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/type.pb.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <google/protobuf/wire_format_lite.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;
using pb::FieldDescriptor;
using pb::internal::WireFormatLite;

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com";

absl::Status ToAbsl(const pb::util::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.code()),
                      std::string(s.message().data(), s.message().size()));
}

// --- wire format ------------------------------------------------------------------------------

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void AppendTag(int number, WireFormatLite::WireType type, std::string* out) {
  AppendVarint((static_cast<uint64_t>(number) << 3) | type, out);
}

void AppendFixed32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void AppendFixed64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void AppendLengthDelimited(int number, absl::string_view payload, std::string* out) {
  AppendTag(number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, out);
  AppendVarint(payload.size(), out);
  out->append(payload.data(), payload.size());
}

// Wraps `leaf` (the encoded last field of `path`) in the enclosing message fields of `path`.
void AppendNested(const FieldPath& path, std::string leaf, std::string* out) {
  for (size_t i = path.size() - 1; i-- > 0;) {
    std::string wrapped;
    AppendLengthDelimited(path[i]->number(), leaf, &wrapped);
    leaf = std::move(wrapped);
  }
  out->append(leaf);
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string TypeName(const FieldDescriptor* field) {
  if (field->type() == FieldDescriptor::TYPE_ENUM) {
    return absl::StrCat("enum ", field->enum_type()->full_name());
  }
  return field->type_name();
}

absl::Status InvalidValue(absl::string_view field_name, absl::string_view text,
                          const FieldDescriptor* field) {
  return absl::InvalidArgumentError(absl::StrCat(
      field_name, ": invalid value \"", absl::CHexEscape(text), "\" for ", TypeName(field)));
}

bool ParseBool(absl::string_view text, bool* value) {
  if (absl::EqualsIgnoreCase(text, "true") || text == "1") {
    *value = true;
    return true;
  }
  if (absl::EqualsIgnoreCase(text, "false") || text == "0") {
    *value = false;
    return true;
  }
  return false;
}

// Encodes one scalar value given as text for `field` (tag included). `name` is the dotted field
// name used in error messages.
absl::Status EncodeScalar(const FieldDescriptor* field, absl::string_view name,
                          absl::string_view text, std::string* out) {
  const int number = field->number();
  switch (field->type()) {
    case FieldDescriptor::TYPE_STRING:
      if (field->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO3 && !IsValidUtf8(text)) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": invalid UTF-8"));
      }
      AppendLengthDelimited(number, text, out);
      return absl::OkStatus();
    case FieldDescriptor::TYPE_BYTES: {
      std::string bytes;
      if (!absl::WebSafeBase64Unescape(text, &bytes) && !absl::Base64Unescape(text, &bytes)) {
        return InvalidValue(name, text, field);
      }
      AppendLengthDelimited(number, bytes, out);
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_SFIXED32: {
      int32_t v;
      if (!absl::SimpleAtoi(text, &v)) return InvalidValue(name, text, field);
      if (field->type() == FieldDescriptor::TYPE_SFIXED32) {
        AppendTag(number, WireFormatLite::WIRETYPE_FIXED32, out);
        AppendFixed32(static_cast<uint32_t>(v), out);
      } else {
        AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
        AppendVarint(field->type() == FieldDescriptor::TYPE_SINT32
                         ? WireFormatLite::ZigZagEncode32(v)
                         : static_cast<uint64_t>(static_cast<int64_t>(v)),
                     out);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_SFIXED64: {
      int64_t v;
      if (!absl::SimpleAtoi(text, &v)) return InvalidValue(name, text, field);
      if (field->type() == FieldDescriptor::TYPE_SFIXED64) {
        AppendTag(number, WireFormatLite::WIRETYPE_FIXED64, out);
        AppendFixed64(static_cast<uint64_t>(v), out);
      } else {
        AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
        AppendVarint(field->type() == FieldDescriptor::TYPE_SINT64
                         ? WireFormatLite::ZigZagEncode64(v)
                         : static_cast<uint64_t>(v),
                     out);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32: {
      uint32_t v;
      if (text.empty() || text[0] == '-' || !absl::SimpleAtoi(text, &v)) {
        return InvalidValue(name, text, field);
      }
      if (field->type() == FieldDescriptor::TYPE_FIXED32) {
        AppendTag(number, WireFormatLite::WIRETYPE_FIXED32, out);
        AppendFixed32(v, out);
      } else {
        AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
        AppendVarint(v, out);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64: {
      uint64_t v;
      if (text.empty() || text[0] == '-' || !absl::SimpleAtoi(text, &v)) {
        return InvalidValue(name, text, field);
      }
      if (field->type() == FieldDescriptor::TYPE_FIXED64) {
        AppendTag(number, WireFormatLite::WIRETYPE_FIXED64, out);
        AppendFixed64(v, out);
      } else {
        AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
        AppendVarint(v, out);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_FLOAT: {
      float v;
      if (!absl::SimpleAtof(text, &v)) return InvalidValue(name, text, field);
      uint32_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      AppendTag(number, WireFormatLite::WIRETYPE_FIXED32, out);
      AppendFixed32(bits, out);
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_DOUBLE: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return InvalidValue(name, text, field);
      uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      AppendTag(number, WireFormatLite::WIRETYPE_FIXED64, out);
      AppendFixed64(bits, out);
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_BOOL: {
      bool v;
      if (!ParseBool(text, &v)) return InvalidValue(name, text, field);
      AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
      AppendVarint(v ? 1 : 0, out);
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_ENUM: {
      const pb::EnumValueDescriptor* value = field->enum_type()->FindValueByName(std::string(text));
      int32_t v;
      if (value != nullptr) {
        v = value->number();
      } else if (!absl::SimpleAtoi(text, &v) ||
                 (field->enum_type()->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO2 &&
                  field->enum_type()->FindValueByNumber(v) == nullptr)) {
        return InvalidValue(name, text, field);
      }
      AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
      AppendVarint(static_cast<uint64_t>(static_cast<int64_t>(v)), out);
      return absl::OkStatus();
    }
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(name, ": cannot be set from text"));
}

bool IsWrapper(const pb::Descriptor* type) {
  static constexpr absl::string_view kWrappers[] = {
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",  "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.StringValue", "google.protobuf.BytesValue"};
  for (absl::string_view w : kWrappers) {
    if (type->full_name() == w) return true;
  }
  return false;
}

// Well-known types whose JSON form is a string (`"2024-01-31T00:00:00Z"`, `"1.5s"`, `"a,b"`).
bool IsStringWellKnownType(const pb::Descriptor* type) {
  return type->full_name() == "google.protobuf.Timestamp" ||
         type->full_name() == "google.protobuf.Duration" ||
         type->full_name() == "google.protobuf.FieldMask";
}

// Quotes `text` as a JSON string.
std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

bool IsPrefixPath(const FieldPath& a, const FieldPath& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The JSON text of a field's default value, printed when `response_body` names an unset field.
std::string DefaultJson(const FieldDescriptor* field) {
  if (field->is_map()) return "{}";
  if (field->is_repeated()) return "[]";
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return "\"\"";
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT64:
      return "\"0\"";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return JsonQuote(field->enum_type()->value(0)->name());
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return "{}";
    default:
      return "0";
  }
}

// Copies the records of field `number` out of a serialized message; with `payloads` only the
// contents of its length-delimited records (concatenated: for a message field, their merge).
bool ExtractField(absl::string_view binary, int number, bool payloads, std::string* out) {
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(binary.data()),
                              static_cast<int>(binary.size()));
  pb::io::StringOutputStream sink(out);
  pb::io::CodedOutputStream copy(&sink);
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != number) {
      if (!WireFormatLite::SkipField(&in, tag)) return false;
      continue;
    }
    if (payloads) {
      if (WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
        return false;
      }
      uint32_t length;
      std::string payload;
      if (!in.ReadVarint32(&length) || !in.ReadString(&payload, static_cast<int>(length))) {
        return false;
      }
      copy.WriteString(payload);
    } else if (!WireFormatLite::SkipField(&in, tag, &copy)) {
      return false;
    }
  }
  return in.ConsumedEntireMessage() || in.CurrentPosition() == static_cast<int>(binary.size());
}

// True when `binary` holds no field other than `number`.
bool OnlyField(absl::string_view binary, int number) {
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(binary.data()),
                              static_cast<int>(binary.size()));
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != number) return false;
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
  return true;
}

}  // namespace

// Resolves every type of the pool once at start-up; afterwards lookups are lock-free map reads.
// (The JSON utilities ask the resolver for each type of each message they convert; the stock
// resolver rebuilds a google.protobuf.Type from the descriptor every time.)
class Transcoder::CachingTypeResolver : public pb::util::TypeResolver {
 public:
  CachingTypeResolver(const pb::DescriptorPool* pool,
                      const std::vector<const pb::FileDescriptor*>& files)
      : base_(pb::util::NewTypeResolverForDescriptorPool(std::string(kTypeUrlPrefix), pool)) {
    for (const pb::FileDescriptor* file : files) {
      for (int i = 0; i < file->message_type_count(); ++i) AddMessage(file->message_type(i));
      for (int i = 0; i < file->enum_type_count(); ++i) AddEnum(file->enum_type(i));
    }
  }

  pb::util::Status ResolveMessageType(const std::string& type_url, pb::Type* type) override {
    auto it = messages_.find(type_url);
    if (it == messages_.end()) return base_->ResolveMessageType(type_url, type);
    *type = it->second;
    return pb::util::Status();
  }

  pb::util::Status ResolveEnumType(const std::string& type_url, pb::Enum* type) override {
    auto it = enums_.find(type_url);
    if (it == enums_.end()) return base_->ResolveEnumType(type_url, type);
    *type = it->second;
    return pb::util::Status();
  }

 private:
  void AddMessage(const pb::Descriptor* d) {
    std::string url = absl::StrCat(kTypeUrlPrefix, "/", d->full_name());
    pb::Type type;
    if (base_->ResolveMessageType(url, &type).ok()) messages_.emplace(url, std::move(type));
    for (int i = 0; i < d->nested_type_count(); ++i) AddMessage(d->nested_type(i));
    for (int i = 0; i < d->enum_type_count(); ++i) AddEnum(d->enum_type(i));
  }

  void AddEnum(const pb::EnumDescriptor* e) {
    std::string url = absl::StrCat(kTypeUrlPrefix, "/", e->full_name());
    pb::Enum type;
    if (base_->ResolveEnumType(url, &type).ok()) enums_.emplace(url, std::move(type));
  }

  std::unique_ptr<pb::util::TypeResolver> base_;
  absl::flat_hash_map<std::string, pb::Type> messages_;
  absl::flat_hash_map<std::string, pb::Enum> enums_;
};

Transcoder::Transcoder(const pb::DescriptorPool* pool,
                       const std::vector<const pb::FileDescriptor*>& files,
                       TranscoderOptions options)
    : pool_(pool),
      options_(options),
      resolver_(std::make_unique<CachingTypeResolver>(pool, files)),
      fast_(options.fast_json ? std::make_unique<FastJson>(files, options.proto_field_names)
                              : nullptr) {
  std::vector<const pb::Descriptor*> pending;
  for (const pb::FileDescriptor* file : files) {
    for (int i = 0; i < file->message_type_count(); ++i) pending.push_back(file->message_type(i));
  }
  while (!pending.empty()) {
    const pb::Descriptor* d = pending.back();
    pending.pop_back();
    type_urls_.emplace(d, absl::StrCat(kTypeUrlPrefix, "/", d->full_name()));
    for (int i = 0; i < d->nested_type_count(); ++i) pending.push_back(d->nested_type(i));
  }
  parse_options_.ignore_unknown_fields = false;
  parse_options_.case_insensitive_enum_parsing = false;
  print_options_.add_whitespace = false;
  print_options_.always_print_primitive_fields = false;
  print_options_.always_print_enums_as_ints = false;
  print_options_.preserve_proto_field_names = options_.proto_field_names;
}

Transcoder::~Transcoder() = default;

const std::string& Transcoder::TypeUrl(const pb::Descriptor* type) const {
  auto it = type_urls_.find(type);
  if (it != type_urls_.end()) return it->second;
  // Not from the files given at construction: build it (rare; not cached, no lock needed).
  thread_local std::string url;
  url = absl::StrCat(kTypeUrlPrefix, "/", type->full_name());
  return url;
}

absl::Status Transcoder::ParseJson(const pb::Descriptor* type, absl::string_view json,
                                   absl::string_view field_prefix, std::string* out) const {
  const size_t before = out->size();
  if (fast_ != nullptr && fast_->Parse(type, json, out)) return absl::OkStatus();
  out->resize(before);
  pb::io::ArrayInputStream input(json.data(), static_cast<int>(json.size()));
  pb::io::StringOutputStream output(out);
  pb::util::Status s =
      pb::util::JsonToBinaryStream(resolver_.get(), TypeUrl(type), &input, &output, parse_options_);
  if (s.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      NormalizeJsonError(absl::string_view(s.message().data(), s.message().size()), field_prefix));
}

absl::Status Transcoder::BuildRequest(const Route& route, const PathBindings& bindings,
                                      absl::string_view query, absl::string_view body,
                                      std::string* request) const {
  request->clear();
  if (route.body == "*") {
    if (!absl::StripAsciiWhitespace(body).empty()) {
      if (absl::Status s = ParseJson(route.input, body, "", request); !s.ok()) return s;
    }
  } else if (route.body_field != nullptr && !absl::StripAsciiWhitespace(body).empty()) {
    const FieldDescriptor* field = route.body_field;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_repeated()) {
      std::string payload;
      if (absl::Status s = ParseJson(field->message_type(), body, field->name(), &payload);
          !s.ok()) {
        return s;
      }
      AppendLengthDelimited(field->number(), payload, request);
    } else {
      // A scalar or repeated field: parse `{"<field>": <body>}` as the request, then make sure
      // the body did not smuggle other fields in (`1, "other": 2`).
      std::string json = absl::StrCat("{", JsonQuote(field->name()), ":", body, "\n}");
      if (absl::Status s = ParseJson(route.input, json, "", request); !s.ok()) return s;
      if (!OnlyField(*request, field->number())) {
        return absl::InvalidArgumentError(
            absl::StrCat(field->name(), ": the body must be a single JSON value"));
      }
    }
  }
  if (!query.empty()) {
    if (absl::Status s = AppendQuery(route, query, request); !s.ok()) return s;
  }
  for (const PathBinding& binding : bindings) {
    const PathVariable* var = binding.variable;
    const FieldPath& path = route.variable_fields[var - route.path.variables().data()];
    if (absl::Status s = AppendValue(path, binding.value, request); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Transcoder::AppendValue(const FieldPath& path, absl::string_view text,
                                     std::string* out) const {
  const FieldDescriptor* leaf = path.back();
  std::string encoded;
  if (leaf->type() == FieldDescriptor::TYPE_MESSAGE) {
    const pb::Descriptor* type = leaf->message_type();
    if (IsWrapper(type)) {
      std::string inner;
      if (absl::Status s = EncodeScalar(type->field(0), FieldPathName(path), text, &inner);
          !s.ok()) {
        return s;
      }
      AppendLengthDelimited(leaf->number(), inner, &encoded);
    } else if (IsStringWellKnownType(type)) {
      std::string inner;
      if (absl::Status s = ParseJson(type, JsonQuote(text), "", &inner); !s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(FieldPathName(path), ": invalid value \"",
                                                       absl::CHexEscape(text), "\" for ",
                                                       type->full_name()));
      }
      AppendLengthDelimited(leaf->number(), inner, &encoded);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(FieldPathName(path),
                                                     ": is a message; set its fields (",
                                                     FieldPathName(path), ".<field>=...)"));
    }
  } else {
    if (absl::Status s = EncodeScalar(leaf, FieldPathName(path), text, &encoded); !s.ok()) {
      return s;
    }
  }
  AppendNested(path, std::move(encoded), out);
  return absl::OkStatus();
}

absl::Status Transcoder::AppendQuery(const Route& route, absl::string_view query,
                                     std::string* out) const {
  absl::InlinedVector<const FieldDescriptor*, 8> seen_singular;
  std::string key;
  std::string value;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == absl::string_view::npos) amp = query.size();
    absl::string_view pair = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    absl::string_view raw_key = pair.substr(0, eq);
    absl::string_view raw_value = eq == absl::string_view::npos ? "" : pair.substr(eq + 1);
    // Form encoding: '+' is a space.
    std::string k(raw_key), v(raw_value);
    for (char& c : k) c = c == '+' ? ' ' : c;
    for (char& c : v) c = c == '+' ? ' ' : c;
    if (!PercentDecode(k, false, &key) || !PercentDecode(v, false, &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"", absl::CHexEscape(raw_key), "\": malformed escape"));
    }
    absl::StatusOr<FieldPath> path = ResolveFieldPath(route.input, key, /*allow_json_names=*/true);
    if (!path.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", absl::CHexEscape(key),
                                                     "\" names no field of ",
                                                     route.input->full_name()));
    }
    if (route.body == "*") {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"", absl::CHexEscape(key),
                       "\" is not allowed: the request body carries every field"));
    }
    if (route.body_field != nullptr && path->front() == route.body_field) {
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", absl::CHexEscape(key),
                                                     "\" is set by the request body"));
    }
    for (const FieldPath& bound : route.variable_fields) {
      if (IsPrefixPath(bound, *path)) {
        return absl::InvalidArgumentError(
            absl::StrCat("query parameter \"", absl::CHexEscape(key), "\" is set by the URL path"));
      }
    }
    const FieldDescriptor* leaf = path->back();
    if (leaf->is_map()) {
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", absl::CHexEscape(key),
                                                     "\": map fields cannot be set "
                                                     "from the query string"));
    }
    if (!leaf->is_repeated()) {
      for (const FieldDescriptor* seen : seen_singular) {
        if (seen == leaf) {
          return absl::InvalidArgumentError(absl::StrCat(
              FieldPathName(*path), ": given more than once, but it is not a repeated field"));
        }
      }
      seen_singular.push_back(leaf);
    }
    if (absl::Status s = AppendValue(*path, value, out); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Transcoder::PrintJson(const pb::Descriptor* type, absl::string_view binary,
                                   std::string* out) const {
  const size_t before = out->size();
  if (fast_ != nullptr && fast_->Print(type, binary, out)) return absl::OkStatus();
  out->resize(before);
  pb::io::ArrayInputStream input(binary.data(), static_cast<int>(binary.size()));
  pb::io::StringOutputStream output(out);
  return ToAbsl(pb::util::BinaryToJsonStream(resolver_.get(), TypeUrl(type), &input, &output,
                                             print_options_));
}

absl::Status Transcoder::PrintField(const pb::Descriptor* type, const FieldDescriptor* field,
                                    absl::string_view binary, std::string* out) const {
  out->clear();
  if (field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_repeated()) {
    std::string payload;
    if (!ExtractField(binary, field->number(), /*payloads=*/true, &payload)) {
      return absl::InternalError(absl::StrCat("malformed ", type->full_name()));
    }
    return PrintJson(field->message_type(), payload, out);
  }
  std::string only;
  if (!ExtractField(binary, field->number(), /*payloads=*/false, &only)) {
    return absl::InternalError(absl::StrCat("malformed ", type->full_name()));
  }
  std::string object;
  if (absl::Status s = PrintJson(type, only, &object); !s.ok()) return s;
  // `object` is `{}` or `{"<name>":<value>}`.
  const std::string& name = options_.proto_field_names ? field->name() : field->json_name();
  std::string prefix = absl::StrCat("{", JsonQuote(name), ":");
  if (object.size() > prefix.size() && object.compare(0, prefix.size(), prefix) == 0 &&
      object.back() == '}') {
    out->assign(object, prefix.size(), object.size() - prefix.size() - 1);
  } else {
    *out = DefaultJson(field);
  }
  return absl::OkStatus();
}

absl::Status Transcoder::ResponseToJson(const Route& route, pb::io::ZeroCopyInputStream* response,
                                        std::string* json) const {
  json->clear();
  // Contiguous bytes: the first chunk itself when it is the only one (a gRPC message usually is).
  absl::string_view binary;
  std::string joined;
  const void* data;
  int size;
  while (response->Next(&data, &size)) {
    if (size <= 0) continue;
    absl::string_view chunk(static_cast<const char*>(data), static_cast<size_t>(size));
    if (binary.empty() && joined.empty()) {
      binary = chunk;
      continue;
    }
    if (joined.empty()) joined.assign(binary.data(), binary.size());
    joined.append(chunk.data(), chunk.size());
    binary = joined;
  }
  if (route.response_body_field == nullptr) return PrintJson(route.output, binary, json);
  return PrintField(route.output, route.response_body_field, binary, json);
}

absl::Status Transcoder::ResponseToJson(const Route& route, absl::string_view response,
                                        std::string* json) const {
  pb::io::ArrayInputStream input(response.data(), static_cast<int>(response.size()));
  return ResponseToJson(route, &input, json);
}

std::string Transcoder::ErrorDetailsJson(absl::string_view status_details) const {
  if (status_details.empty()) return "[]";
  const pb::Descriptor* status = pool_->FindMessageTypeByName("google.rpc.Status");
  if (status == nullptr) return "[]";
  const FieldDescriptor* details = status->FindFieldByName("details");
  if (details == nullptr) return "[]";
  std::string json;
  if (!PrintField(status, details, status_details, &json).ok()) return "[]";
  return json;
}

std::string NormalizeJsonError(absl::string_view message, absl::string_view field_prefix) {
  // Syntax errors span lines and quote the input: keep the first line only.
  size_t newline = message.find('\n');
  if (newline != absl::string_view::npos) {
    return absl::StrCat("malformed JSON: ", absl::StripAsciiWhitespace(message.substr(0, newline)));
  }
  // Shapes: `(loc) name: problem` (unknown field), `(loc): problem` (bad value),
  // `name: problem`, `: problem` (root).
  absl::string_view location;
  absl::string_view name;
  absl::string_view rest = message;
  if (!rest.empty() && rest.front() == '(') {
    size_t close = rest.find(')');
    if (close != absl::string_view::npos) {
      location = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  absl::string_view problem = rest;
  size_t colon = rest.find(": ");
  if (colon != absl::string_view::npos &&
      rest.substr(0, colon).find(' ') == absl::string_view::npos) {
    name = rest.substr(0, colon);
    problem = rest.substr(colon + 2);
  } else if (!rest.empty() && rest.front() == ':') {
    problem = absl::StripLeadingAsciiWhitespace(rest.substr(1));
  }
  std::string path(field_prefix);
  for (absl::string_view part : {location, name}) {
    if (part.empty()) continue;
    absl::StrAppend(&path, path.empty() ? "" : ".", part);
  }
  if (path.empty()) path = "body";
  if (problem == "Cannot find field.") problem = "unknown field";
  return absl::StrCat(path, ": ", problem);
}

}  // namespace civil::gateway
