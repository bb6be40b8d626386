#include "gateway/fast_json.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace civil::gateway {

namespace pb = ::google::protobuf;
using pb::FieldDescriptor;

namespace {

// Depth limits: protobuf's converter allows 64 nested messages when printing and 100 when
// parsing; deeper input goes to it (and its error).
constexpr int kMaxPrintDepth = 60;
constexpr int kMaxParseDepth = 60;

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

}  // namespace

struct FastJson::EnumInfo {
  absl::flat_hash_map<int32_t, std::string> quoted;  // number → "\"NAME\"" (first name declared)
  absl::flat_hash_map<std::string, int32_t> numbers;
};

struct FastJson::FieldInfo {
  const FieldDescriptor* field = nullptr;
  FieldDescriptor::Type type = FieldDescriptor::TYPE_INT32;
  uint32_t number = 0;
  uint32_t wire_type = kVarint;  // of one (unpacked) value
  bool repeated = false;
  bool packable = false;  // repeated scalar number, bool or enum
  bool map = false;
  int oneof = -1;   // index of the containing oneof
  std::string key;  // `"name":` as printed
  const MessageInfo* message = nullptr;
  const EnumInfo* enumeration = nullptr;
};

struct FastJson::MessageInfo {
  enum class Kind {
    kPlain,
    kTimestamp,
    kDuration,
    kWrapper,      // google.protobuf.*Value with one scalar `value`
    kUnsupported,  // Any, Struct, Value, ListValue, FieldMask: protobuf's converter only
  };
  Kind kind = Kind::kPlain;
  // proto2 messages (required fields, defaults) are parsed by protobuf only.
  bool proto3 = false;
  const pb::Descriptor* descriptor = nullptr;
  std::vector<FieldInfo> fields;
  // Field index + 1 by field number (0: none) when the numbers are small, otherwise `sparse`.
  std::vector<uint16_t> dense;
  absl::flat_hash_map<uint32_t, uint16_t> sparse;
  // JSON names, then proto names (protobuf looks keys up in that order).
  absl::flat_hash_map<std::string, uint16_t> by_key;

  const FieldInfo* ByNumber(uint32_t number) const {
    if (number < dense.size()) {
      uint16_t i = dense[number];
      return i == 0 ? nullptr : &fields[i - 1];
    }
    if (sparse.empty()) return nullptr;
    auto it = sparse.find(number);
    return it == sparse.end() ? nullptr : &fields[it->second];
  }
};

namespace {

using MessageInfo = FastJson::MessageInfo;
using FieldInfo = FastJson::FieldInfo;
using EnumInfo = FastJson::EnumInfo;

uint32_t WireTypeOf(FieldDescriptor::Type type) {
  switch (type) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
      return kLengthDelimited;
    case FieldDescriptor::TYPE_GROUP:
      return 3;
    default:
      return kVarint;
  }
}

MessageInfo::Kind KindOf(const pb::Descriptor* type) {
  const std::string& name = type->full_name();
  if (name.rfind("google.protobuf.", 0) != 0) return MessageInfo::Kind::kPlain;
  if (name == "google.protobuf.Timestamp") return MessageInfo::Kind::kTimestamp;
  if (name == "google.protobuf.Duration") return MessageInfo::Kind::kDuration;
  static constexpr absl::string_view kWrappers[] = {
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",  "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue",   "google.protobuf.StringValue", "google.protobuf.BytesValue"};
  for (absl::string_view w : kWrappers) {
    if (name == w) return MessageInfo::Kind::kWrapper;
  }
  if (name == "google.protobuf.Any" || name == "google.protobuf.Struct" ||
      name == "google.protobuf.Value" || name == "google.protobuf.ListValue" ||
      name == "google.protobuf.FieldMask") {
    return MessageInfo::Kind::kUnsupported;
  }
  return MessageInfo::Kind::kPlain;
}

// --- wire format reading -------------------------------------------------------------------------

struct Wire {
  const uint8_t* p;
  const uint8_t* end;

  bool empty() const { return p == end; }
  size_t left() const { return static_cast<size_t>(end - p); }

  bool Varint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p == end) return false;
      const uint8_t byte = *p++;
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  // The next tag, or 0 at the end. False when malformed (and for a literal 0 tag or field 0,
  // on which protobuf's converter stops early or skips: left to it).
  bool Tag(uint32_t* tag) {
    if (p == end) {
      *tag = 0;
      return true;
    }
    uint64_t v;
    if (!Varint(&v) || v > std::numeric_limits<uint32_t>::max() || (v >> 3) == 0) return false;
    *tag = static_cast<uint32_t>(v);
    return true;
  }
  bool Fixed32(uint32_t* value) {
    if (left() < 4) return false;
    *value = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
             static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
    p += 4;
    return true;
  }
  bool Fixed64(uint64_t* value) {
    uint32_t lo, hi;
    if (!Fixed32(&lo) || !Fixed32(&hi)) return false;
    *value = static_cast<uint64_t>(hi) << 32 | lo;
    return true;
  }
  bool Bytes(absl::string_view* bytes) {
    uint64_t length;
    if (!Varint(&length) || length > left()) return false;
    *bytes = absl::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
    p += length;
    return true;
  }
  bool Sub(Wire* sub) {
    absl::string_view bytes;
    if (!Bytes(&bytes)) return false;
    const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
    *sub = Wire{begin, begin + bytes.size()};
    return true;
  }
  bool Skip(uint32_t tag) {
    uint64_t ignored;
    absl::string_view bytes;
    switch (tag & 7) {
      case kVarint:
        return Varint(&ignored);
      case kFixed64:
        return Fixed64(&ignored);
      case kLengthDelimited:
        return Bytes(&bytes);
      case kFixed32: {
        uint32_t v;
        return Fixed32(&v);
      }
      default:
        return false;  // groups: protobuf's converter
    }
  }
};

// --- JSON string output, as protobuf's JsonEscaping ----------------------------------------------

constexpr char kHex[] = "0123456789abcdef";

// Decodes one UTF-8 sequence strictly (no overlong forms, surrogates or code points past
// U+10FFFF). Returns its length, 0 when invalid.
int DecodeUtf8(const uint8_t* p, const uint8_t* end, uint32_t* cp) {
  const uint32_t c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  const ptrdiff_t n = end - p;
  if (c < 0xc2) return 0;
  if (c < 0xe0) {
    if (n < 2 || (p[1] & 0xc0) != 0x80) return 0;
    *cp = (c & 0x1f) << 6 | (p[1] & 0x3f);
    return 2;
  }
  if (c < 0xf0) {
    if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80) return 0;
    *cp = (c & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f);
    if (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff)) return 0;
    return 3;
  }
  if (c < 0xf5) {
    if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80) {
      return 0;
    }
    *cp = (c & 0x07) << 18 | (p[1] & 0x3f) << 12 | (p[2] & 0x3f) << 6 | (p[3] & 0x3f);
    if (*cp < 0x10000 || *cp > 0x10ffff) return 0;
    return 4;
  }
  return 0;
}

void AppendU16Escape(uint32_t unit, std::string* out) {
  char buffer[6] = {'\\',
                    'u',
                    kHex[(unit >> 12) & 0xf],
                    kHex[(unit >> 8) & 0xf],
                    kHex[(unit >> 4) & 0xf],
                    kHex[unit & 0xf]};
  out->append(buffer, 6);
}

// protobuf escapes these code points (≥ U+00A0) for JavaScript's sake.
bool EscapedAbove9F(uint32_t cp) {
  switch (cp) {
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb:
    case 0x00ad:
    case 0x06dd:
    case 0x070f:
    case 0x17b4:
    case 0x17b5:
      return true;
    default:
      return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
             (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
             (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
             (cp >= 0xe0020 && cp <= 0xe007f);
  }
}

// ASCII characters printed as they are.
struct PlainAscii {
  bool plain[256] = {};
  constexpr PlainAscii() {
    for (int c = 0x20; c < 0x7f; ++c) plain[c] = c != '"' && c != '\\' && c != '<' && c != '>';
  }
};
constexpr PlainAscii kPlainAscii;

// Appends `text` as a quoted JSON string. False for invalid UTF-8.
bool AppendJsonString(absl::string_view text, std::string* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* end = p + text.size();
  const uint8_t* run = p;
  while (p < end && kPlainAscii.plain[*p]) ++p;
  if (p == end) {  // the common case: one append
    const size_t at = out->size();
    out->resize(at + text.size() + 2);
    char* dst = out->data() + at;
    dst[0] = '"';
    if (!text.empty()) std::memcpy(dst + 1, text.data(), text.size());
    dst[text.size() + 1] = '"';
    return true;
  }
  out->push_back('"');
  auto flush = [&](const uint8_t* upto) {
    out->append(reinterpret_cast<const char*>(run), static_cast<size_t>(upto - run));
  };
  while (p < end) {
    const uint8_t c = *p;
    if (kPlainAscii.plain[c]) {
      ++p;
      continue;
    }
    if (c < 0x80) {
      flush(p);
      switch (c) {
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\f':
          out->append("\\f");
          break;
        case '\r':
          out->append("\\r");
          break;
        default:  // other controls, '<', '>', DEL
          AppendU16Escape(c, out);
      }
      run = ++p;
      continue;
    }
    uint32_t cp;
    const int n = DecodeUtf8(p, end, &cp);
    if (n == 0) return false;
    if (cp < 0xa0 || EscapedAbove9F(cp)) {
      flush(p);
      if (cp >= 0x10000) {
        const uint32_t v = cp - 0x10000;
        AppendU16Escape(0xd800 + (v >> 10), out);
        AppendU16Escape(0xdc00 + (v & 0x3ff), out);
      } else {
        AppendU16Escape(cp, out);
      }
      p += n;
      run = p;
      continue;
    }
    p += n;
  }
  flush(p);
  out->push_back('"');
  return true;
}

// --- Timestamp and Duration ----------------------------------------------------------------------

constexpr int64_t kTimestampMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kTimestampMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
constexpr int64_t kDurationMaxSeconds = 315576000000;
constexpr int32_t kNanosPerSecond = 1000000000;

void AppendDigits(uint64_t value, int width, std::string* out) {
  char buffer[20];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buffer, static_cast<size_t>(width));
}

// `.123`, `.123456` or `.123456789` (0 digits for 0), as protobuf formats nanos.
void AppendNanos(int32_t nanos, std::string* out) {
  if (nanos == 0) return;
  out->push_back('.');
  if (nanos % 1000000 == 0) {
    AppendDigits(static_cast<uint64_t>(nanos / 1000000), 3, out);
  } else if (nanos % 1000 == 0) {
    AppendDigits(static_cast<uint64_t>(nanos / 1000), 6, out);
  } else {
    AppendDigits(static_cast<uint64_t>(nanos), 9, out);
  }
}

// Reads `seconds` (1) and `nanos` (2) as protobuf's converter does: last value wins, unknown
// fields skipped.
bool ReadSecondsAndNanos(Wire* wire, int64_t* seconds, int32_t* nanos) {
  *seconds = 0;
  *nanos = 0;
  uint32_t tag;
  while (true) {
    if (!wire->Tag(&tag)) return false;
    if (tag == 0) return true;
    uint64_t v;
    if (tag == (1 << 3 | kVarint)) {
      if (!wire->Varint(&v)) return false;
      *seconds = static_cast<int64_t>(v);
    } else if (tag == (2 << 3 | kVarint)) {
      if (!wire->Varint(&v)) return false;
      *nanos = static_cast<int32_t>(static_cast<uint32_t>(v));
    } else if (!wire->Skip(tag)) {
      return false;
    }
  }
}

bool PrintTimestamp(Wire wire, std::string* out) {
  int64_t seconds;
  int32_t nanos;
  if (!ReadSecondsAndNanos(&wire, &seconds, &nanos)) return false;
  if (seconds < kTimestampMinSeconds || seconds > kTimestampMaxSeconds || nanos < 0 ||
      nanos >= kNanosPerSecond) {
    return false;  // protobuf's error
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out->push_back('"');
  AppendDigits(static_cast<uint64_t>(year), 4, out);
  out->push_back('-');
  AppendDigits(static_cast<uint64_t>(month), 2, out);
  out->push_back('-');
  AppendDigits(static_cast<uint64_t>(day), 2, out);
  out->push_back('T');
  AppendDigits(static_cast<uint64_t>(rem / 3600), 2, out);
  out->push_back(':');
  AppendDigits(static_cast<uint64_t>(rem / 60 % 60), 2, out);
  out->push_back(':');
  AppendDigits(static_cast<uint64_t>(rem % 60), 2, out);
  AppendNanos(nanos, out);
  out->append("Z\"");
  return true;
}

bool PrintDuration(Wire wire, std::string* out) {
  int64_t seconds;
  int32_t nanos;
  if (!ReadSecondsAndNanos(&wire, &seconds, &nanos)) return false;
  if (seconds > kDurationMaxSeconds || seconds < -kDurationMaxSeconds ||
      nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond) {
    return false;
  }
  bool negative = false;
  if (seconds < 0) {
    if (nanos > 0) return false;
    negative = true;
    seconds = -seconds;
    nanos = -nanos;
  } else if (seconds == 0 && nanos < 0) {
    negative = true;
    nanos = -nanos;
  } else if (nanos < 0) {
    return false;
  }
  out->push_back('"');
  if (negative) out->push_back('-');
  absl::StrAppend(out, seconds);
  AppendNanos(nanos, out);
  out->append("s\"");
  return true;
}

// --- printing ------------------------------------------------------------------------------------

class Printer {
 public:
  explicit Printer(std::string* out) : out_(out) {}

  bool Message(const MessageInfo& m, Wire wire, int depth) {
    std::string& out = *out_;
    out.push_back('{');
    bool first = true;
    uint32_t tag;
    if (!wire.Tag(&tag)) return false;
    while (tag != 0) {
      const FieldInfo* f = m.ByNumber(tag >> 3);
      // As protobuf's FindAndVerifyField: a known field with another wire type is unknown,
      // except a packed record of a packable field.
      if (f != nullptr && (tag & 7) != f->wire_type &&
          !(f->packable && (tag & 7) == kLengthDelimited)) {
        f = nullptr;
      }
      if (f == nullptr) {
        if (!wire.Skip(tag) || !wire.Tag(&tag)) return false;
        continue;
      }
      if (!first) out.push_back(',');
      first = false;
      out.append(f->key);
      if (!f->repeated) {
        if (!Value(*f, &wire, depth) || !wire.Tag(&tag)) return false;
        continue;
      }
      if (f->map) return false;
      out.push_back('[');
      if (f->packable && (tag & 7) == kLengthDelimited) {
        // One packed record is one list; protobuf starts a new list for the next record.
        Wire packed;
        if (!wire.Sub(&packed)) return false;
        bool first_value = true;
        while (!packed.empty()) {
          if (!first_value) out.push_back(',');
          first_value = false;
          if (!Scalar(*f, &packed)) return false;
        }
        if (!wire.Tag(&tag)) return false;
      } else {
        const uint32_t list_tag = tag;
        bool first_value = true;
        do {
          if (!first_value) out.push_back(',');
          first_value = false;
          if (!Value(*f, &wire, depth) || !wire.Tag(&tag)) return false;
        } while (tag == list_tag);
      }
      out.push_back(']');
    }
    out.push_back('}');
    return true;
  }

 private:
  bool Value(const FieldInfo& f, Wire* wire, int depth) {
    if (f.type != FieldDescriptor::TYPE_MESSAGE) return Scalar(f, wire);
    Wire sub;
    if (f.message == nullptr || !wire->Sub(&sub)) return false;
    switch (f.message->kind) {
      case MessageInfo::Kind::kPlain:
        return depth < kMaxPrintDepth && Message(*f.message, sub, depth + 1);
      case MessageInfo::Kind::kTimestamp:
        return PrintTimestamp(sub, out_);
      case MessageInfo::Kind::kDuration:
        return PrintDuration(sub, out_);
      case MessageInfo::Kind::kWrapper:
        return Wrapper(*f.message, sub);
      case MessageInfo::Kind::kUnsupported:
        return false;
    }
    return false;
  }

  // A wrapper prints its `value` (or the default when absent); anything but one well-typed
  // `value` record goes to protobuf's converter.
  bool Wrapper(const MessageInfo& m, Wire wire) {
    const FieldInfo& value = m.fields.front();
    if (wire.empty()) {
      switch (value.type) {
        case FieldDescriptor::TYPE_STRING:
        case FieldDescriptor::TYPE_BYTES:
          out_->append("\"\"");
          return true;
        case FieldDescriptor::TYPE_INT64:
        case FieldDescriptor::TYPE_UINT64:
          out_->append("\"0\"");
          return true;
        case FieldDescriptor::TYPE_BOOL:
          out_->append("false");
          return true;
        case FieldDescriptor::TYPE_INT32:
        case FieldDescriptor::TYPE_UINT32:
          out_->push_back('0');
          return true;
        default:
          return false;
      }
    }
    uint32_t tag;
    if (!wire.Tag(&tag) || tag != (value.number << 3 | value.wire_type)) return false;
    return Scalar(value, &wire) && wire.empty();
  }

  bool Scalar(const FieldInfo& f, Wire* wire) {
    std::string& out = *out_;
    uint64_t v64;
    uint32_t v32;
    absl::string_view bytes;
    switch (f.type) {
      case FieldDescriptor::TYPE_INT32:
        if (!wire->Varint(&v64)) return false;
        absl::StrAppend(&out, static_cast<int32_t>(static_cast<uint32_t>(v64)));
        return true;
      case FieldDescriptor::TYPE_UINT32:
        if (!wire->Varint(&v64)) return false;
        absl::StrAppend(&out, static_cast<uint32_t>(v64));
        return true;
      case FieldDescriptor::TYPE_SINT32:
        if (!wire->Varint(&v64)) return false;
        v32 = static_cast<uint32_t>(v64);
        absl::StrAppend(&out, static_cast<int32_t>((v32 >> 1) ^ (~(v32 & 1) + 1)));
        return true;
      case FieldDescriptor::TYPE_INT64:
        if (!wire->Varint(&v64)) return false;
        absl::StrAppend(&out, "\"", static_cast<int64_t>(v64), "\"");
        return true;
      case FieldDescriptor::TYPE_UINT64:
        if (!wire->Varint(&v64)) return false;
        absl::StrAppend(&out, "\"", v64, "\"");
        return true;
      case FieldDescriptor::TYPE_SINT64:
        if (!wire->Varint(&v64)) return false;
        absl::StrAppend(&out, "\"", static_cast<int64_t>((v64 >> 1) ^ (~(v64 & 1) + 1)), "\"");
        return true;
      case FieldDescriptor::TYPE_FIXED32:
        if (!wire->Fixed32(&v32)) return false;
        absl::StrAppend(&out, v32);
        return true;
      case FieldDescriptor::TYPE_SFIXED32:
        if (!wire->Fixed32(&v32)) return false;
        absl::StrAppend(&out, static_cast<int32_t>(v32));
        return true;
      case FieldDescriptor::TYPE_FIXED64:
        if (!wire->Fixed64(&v64)) return false;
        absl::StrAppend(&out, "\"", v64, "\"");
        return true;
      case FieldDescriptor::TYPE_SFIXED64:
        if (!wire->Fixed64(&v64)) return false;
        absl::StrAppend(&out, "\"", static_cast<int64_t>(v64), "\"");
        return true;
      case FieldDescriptor::TYPE_BOOL:
        if (!wire->Varint(&v64)) return false;
        out.append(v64 != 0 ? "true" : "false");
        return true;
      case FieldDescriptor::TYPE_ENUM: {
        if (!wire->Varint(&v64) || f.enumeration == nullptr) return false;
        const auto number = static_cast<int32_t>(static_cast<uint32_t>(v64));
        auto it = f.enumeration->quoted.find(number);
        if (it == f.enumeration->quoted.end()) {
          absl::StrAppend(&out, number);  // unknown values print as numbers
        } else {
          out.append(it->second);
        }
        return true;
      }
      case FieldDescriptor::TYPE_STRING:
        return wire->Bytes(&bytes) && AppendJsonString(bytes, &out);
      case FieldDescriptor::TYPE_BYTES: {
        if (!wire->Bytes(&bytes)) return false;
        out.push_back('"');
        std::string encoded;
        absl::Base64Escape(bytes, &encoded);
        out.append(encoded);
        out.push_back('"');
        return true;
      }
      default:  // float, double (protobuf's own shortest form), groups
        return false;
    }
  }

  std::string* out_;
};

// --- JSON parsing --------------------------------------------------------------------------------

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void AppendFixed(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

class Parser {
 public:
  Parser(absl::string_view json, std::string* out)
      : p_(json.data()), end_(json.data() + json.size()), out_(out) {}

  bool Document(const MessageInfo& m) {
    if (!Object(m, 0)) return false;
    Space();
    return p_ == end_;
  }

 private:
  void Space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool Eat(char c) {
    Space();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  bool Object(const MessageInfo& m, int depth) {
    if (m.kind != MessageInfo::Kind::kPlain || !m.proto3 || depth > kMaxParseDepth || !Eat('{')) {
      return false;
    }
    if (Eat('}')) return true;
    absl::InlinedVector<uint64_t, 2> seen((m.fields.size() + 63) / 64);
    absl::InlinedVector<uint64_t, 1> oneofs(
        (static_cast<size_t>(m.descriptor->oneof_decl_count()) + 63) / 64);
    do {
      absl::string_view key;
      if (!Eat('"') || !RawString(&key)) return false;
      auto it = m.by_key.find(key);
      if (it == m.by_key.end()) return false;  // unknown: protobuf names it
      const size_t index = it->second;
      // A key given twice, or two members of a oneof: protobuf decides.
      if (seen[index / 64] & (uint64_t{1} << (index % 64))) return false;
      seen[index / 64] |= uint64_t{1} << (index % 64);
      const FieldInfo& f = m.fields[index];
      if (f.oneof >= 0) {
        const auto o = static_cast<size_t>(f.oneof);
        if (oneofs[o / 64] & (uint64_t{1} << (o % 64))) return false;
        oneofs[o / 64] |= uint64_t{1} << (o % 64);
      }
      if (!Eat(':')) return false;
      if (f.repeated) {
        if (f.map || !Eat('[')) return false;
        if (!Eat(']')) {
          do {
            if (!Value(f, depth)) return false;
          } while (Eat(','));
          if (!Eat(']')) return false;
        }
      } else if (!Value(f, depth)) {
        return false;
      }
    } while (Eat(','));
    return Eat('}');
  }

  // The characters of a string without escapes, after its opening quote.
  bool RawString(absl::string_view* text) {
    const char* start = p_;
    while (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *text = absl::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      ++p_;
    }
    return false;
  }

  // A string value (after its opening quote) into `text`: escapes decoded, UTF-8 checked.
  bool StringValue(std::string* text) {
    text->clear();
    const char* run = p_;
    while (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        text->append(run, static_cast<size_t>(p_ - run));
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        uint32_t cp;
        const int n = DecodeUtf8(reinterpret_cast<const uint8_t*>(p_),
                                 reinterpret_cast<const uint8_t*>(end_), &cp);
        if (n == 0) return false;
        p_ += n;
        continue;
      }
      if (c != '\\') {
        ++p_;
        continue;
      }
      text->append(run, static_cast<size_t>(p_ - run));
      if (++p_ == end_) return false;
      const char e = *p_++;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          text->push_back(e);
          break;
        case 'b':
          text->push_back('\b');
          break;
        case 'f':
          text->push_back('\f');
          break;
        case 'n':
          text->push_back('\n');
          break;
        case 'r':
          text->push_back('\r');
          break;
        case 't':
          text->push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t low;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!Hex4(&low) || low < 0xdc00 || low > 0xdfff) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return false;
          }
          if (cp == 0) return false;  // left to protobuf
          AppendUtf8(cp, text);
          break;
        }
        default:
          return false;
      }
      run = p_;
    }
    return false;
  }

  bool Hex4(uint32_t* value) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = *p_++;
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    *value = v;
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  // A JSON integer in its canonical form (`0`, `-12`, `345`; no fraction, exponent, `-0` or
  // leading zero) as sign and magnitude.
  static bool Integer(absl::string_view text, bool* negative, uint64_t* magnitude) {
    size_t i = 0;
    *negative = !text.empty() && text[0] == '-';
    if (*negative) ++i;
    if (i == text.size()) return false;
    if (text[i] == '0') {
      if (text.size() != i + 1 || *negative) return false;
      *magnitude = 0;
      return true;
    }
    uint64_t v = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return false;
      const auto digit = static_cast<uint64_t>(c - '0');
      if (v > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
      v = v * 10 + digit;
    }
    *magnitude = v;
    return true;
  }

  // The text of a bare JSON number (up to the next delimiter).
  absl::string_view NumberText() {
    const char* start = p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '-' || *p_ == '+' || *p_ == '.' ||
                         *p_ == 'e' || *p_ == 'E')) {
      ++p_;
    }
    return absl::string_view(start, static_cast<size_t>(p_ - start));
  }

  // An integer value: a bare number, or (64-bit types) a quoted one, as protobuf accepts both.
  bool IntegerValue(bool quoted_allowed, bool* negative, uint64_t* magnitude) {
    Space();
    if (p_ == end_) return false;
    absl::string_view text;
    if (*p_ == '"') {
      if (!quoted_allowed) return false;
      ++p_;
      if (!RawString(&text)) return false;
    } else {
      text = NumberText();
    }
    return Integer(text, negative, magnitude);
  }

  bool Value(const FieldInfo& f, int depth) {
    std::string& out = *out_;
    const uint32_t number = f.number;
    bool negative = false;
    uint64_t magnitude = 0;
    switch (f.type) {
      case FieldDescriptor::TYPE_STRING: {
        if (!Eat('"') || !StringValue(&scratch_)) return false;
        AppendVarint(number << 3 | kLengthDelimited, &out);
        AppendVarint(scratch_.size(), &out);
        out.append(scratch_);
        return true;
      }
      case FieldDescriptor::TYPE_BOOL: {
        Space();
        bool value;
        if (end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0) {
          value = true;
          p_ += 4;
        } else if (end_ - p_ >= 5 && std::memcmp(p_, "false", 5) == 0) {
          value = false;
          p_ += 5;
        } else {
          return false;
        }
        AppendVarint(number << 3 | kVarint, &out);
        out.push_back(value ? 1 : 0);
        return true;
      }
      case FieldDescriptor::TYPE_ENUM: {
        absl::string_view name;
        if (f.enumeration == nullptr || !Eat('"') || !RawString(&name)) return false;
        auto it = f.enumeration->numbers.find(name);
        if (it == f.enumeration->numbers.end()) return false;
        AppendVarint(number << 3 | kVarint, &out);
        AppendVarint(static_cast<uint64_t>(static_cast<int64_t>(it->second)), &out);
        return true;
      }
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32: {
        if (!IntegerValue(false, &negative, &magnitude)) return false;
        if (magnitude > (negative ? uint64_t{1} << 31 : (uint64_t{1} << 31) - 1)) return false;
        const auto v = static_cast<int32_t>(negative ? -static_cast<int64_t>(magnitude)
                                                     : static_cast<int64_t>(magnitude));
        if (f.type == FieldDescriptor::TYPE_SFIXED32) {
          AppendVarint(number << 3 | kFixed32, &out);
          AppendFixed(static_cast<uint32_t>(v), 4, &out);
        } else {
          AppendVarint(number << 3 | kVarint, &out);
          AppendVarint(f.type == FieldDescriptor::TYPE_SINT32
                           ? ((static_cast<uint32_t>(v) << 1) ^ (v < 0 ? 0xffffffffu : 0u))
                           : static_cast<uint64_t>(static_cast<int64_t>(v)),
                       &out);
        }
        return true;
      }
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32: {
        if (!IntegerValue(false, &negative, &magnitude) || negative ||
            magnitude > std::numeric_limits<uint32_t>::max()) {
          return false;
        }
        if (f.type == FieldDescriptor::TYPE_FIXED32) {
          AppendVarint(number << 3 | kFixed32, &out);
          AppendFixed(magnitude, 4, &out);
        } else {
          AppendVarint(number << 3 | kVarint, &out);
          AppendVarint(magnitude, &out);
        }
        return true;
      }
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64: {
        if (!IntegerValue(true, &negative, &magnitude)) return false;
        if (magnitude > (negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) return false;
        const int64_t v =
            negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
        if (f.type == FieldDescriptor::TYPE_SFIXED64) {
          AppendVarint(number << 3 | kFixed64, &out);
          AppendFixed(static_cast<uint64_t>(v), 8, &out);
        } else {
          AppendVarint(number << 3 | kVarint, &out);
          AppendVarint(f.type == FieldDescriptor::TYPE_SINT64
                           ? (static_cast<uint64_t>(v) << 1) ^ (v < 0 ? ~uint64_t{0} : uint64_t{0})
                           : static_cast<uint64_t>(v),
                       &out);
        }
        return true;
      }
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64: {
        if (!IntegerValue(true, &negative, &magnitude) || negative) return false;
        if (f.type == FieldDescriptor::TYPE_FIXED64) {
          AppendVarint(number << 3 | kFixed64, &out);
          AppendFixed(magnitude, 8, &out);
        } else {
          AppendVarint(number << 3 | kVarint, &out);
          AppendVarint(magnitude, &out);
        }
        return true;
      }
      case FieldDescriptor::TYPE_MESSAGE: {
        if (f.message == nullptr) return false;
        AppendVarint(number << 3 | kLengthDelimited, &out);
        const size_t start = out.size();
        if (!Object(*f.message, depth + 1)) return false;
        // The length goes before the contents: encode it and shift them.
        char length[10];
        size_t n = 0;
        for (uint64_t v = out.size() - start;; v >>= 7) {
          if (v < 0x80) {
            length[n++] = static_cast<char>(v);
            break;
          }
          length[n++] = static_cast<char>(v | 0x80);
        }
        out.insert(start, length, n);
        return true;
      }
      default:  // bytes, float, double, groups: protobuf's parser
        return false;
    }
  }

  const char* p_;
  const char* end_;
  std::string* out_;
  std::string scratch_;
};

}  // namespace

FastJson::FastJson(const std::vector<const pb::FileDescriptor*>& files, bool proto_field_names)
    : proto_field_names_(proto_field_names) {
  for (const pb::FileDescriptor* file : files) {
    for (int i = 0; i < file->message_type_count(); ++i) Index(file->message_type(i));
  }
}

FastJson::~FastJson() = default;

const FastJson::EnumInfo* FastJson::IndexEnum(const pb::EnumDescriptor* type) {
  auto [it, inserted] = enums_.try_emplace(type);
  if (!inserted) return it->second.get();
  if (type->full_name() == "google.protobuf.NullValue") return nullptr;  // prints null
  auto info = std::make_unique<EnumInfo>();
  for (int i = 0; i < type->value_count(); ++i) {
    const pb::EnumValueDescriptor* v = type->value(i);
    info->quoted.try_emplace(v->number(), absl::StrCat("\"", v->name(), "\""));
    info->numbers.try_emplace(v->name(), v->number());
  }
  it->second = std::move(info);
  return it->second.get();
}

FastJson::MessageInfo* FastJson::Index(const pb::Descriptor* type) {
  auto [it, inserted] = messages_.try_emplace(type);
  if (!inserted) return it->second.get();
  it->second = std::make_unique<MessageInfo>();
  MessageInfo* info = it->second.get();  // stable: the map holds pointers
  info->descriptor = type;
  info->kind = KindOf(type);
  info->proto3 = type->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO3;
  uint32_t max_number = 0;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* fd = type->field(i);
    FieldInfo f;
    f.field = fd;
    f.type = fd->type();
    f.number = static_cast<uint32_t>(fd->number());
    f.wire_type = WireTypeOf(f.type);
    f.repeated = fd->is_repeated();
    f.map = fd->is_map();
    f.packable = f.repeated && f.wire_type != kLengthDelimited && f.wire_type != 3;
    f.oneof = fd->containing_oneof() != nullptr ? fd->containing_oneof()->index() : -1;
    f.key = absl::StrCat("\"", proto_field_names_ ? fd->name() : fd->json_name(), "\":");
    info->fields.push_back(std::move(f));
    max_number = std::max(max_number, static_cast<uint32_t>(fd->number()));
  }
  for (size_t i = 0; i < info->fields.size(); ++i) {
    FieldInfo& f = info->fields[i];
    if (f.type == FieldDescriptor::TYPE_MESSAGE) f.message = Index(f.field->message_type());
    if (f.type == FieldDescriptor::TYPE_ENUM) f.enumeration = IndexEnum(f.field->enum_type());
  }
  if (info->fields.size() < 65535) {
    if (max_number <= 1024) {
      info->dense.assign(max_number + 1, 0);
      for (size_t i = 0; i < info->fields.size(); ++i) {
        info->dense[info->fields[i].number] = static_cast<uint16_t>(i + 1);
      }
    } else {
      for (size_t i = 0; i < info->fields.size(); ++i) {
        info->sparse.emplace(info->fields[i].number, static_cast<uint16_t>(i));
      }
    }
    for (size_t i = 0; i < info->fields.size(); ++i) {
      info->by_key.try_emplace(info->fields[i].field->json_name(), static_cast<uint16_t>(i));
    }
    for (size_t i = 0; i < info->fields.size(); ++i) {
      info->by_key.try_emplace(info->fields[i].field->name(), static_cast<uint16_t>(i));
    }
  } else {
    info->kind = MessageInfo::Kind::kUnsupported;
  }
  if (info->kind == MessageInfo::Kind::kWrapper &&
      (info->fields.size() != 1 || info->fields[0].number != 1)) {
    info->kind = MessageInfo::Kind::kUnsupported;
  }
  for (int i = 0; i < type->nested_type_count(); ++i) Index(type->nested_type(i));
  return info;
}

const FastJson::MessageInfo* FastJson::Find(const pb::Descriptor* type) const {
  auto it = messages_.find(type);
  return it == messages_.end() ? nullptr : it->second.get();
}

bool FastJson::Print(const pb::Descriptor* type, absl::string_view binary, std::string* out) const {
  const MessageInfo* info = Find(type);
  if (info == nullptr || info->kind != MessageInfo::Kind::kPlain) return false;
  const auto* begin = reinterpret_cast<const uint8_t*>(binary.data());
  out->reserve(out->size() + binary.size() * 2 + 16);
  Printer printer(out);
  return printer.Message(*info, Wire{begin, begin + binary.size()}, 0);
}

bool FastJson::Parse(const pb::Descriptor* type, absl::string_view json, std::string* out) const {
  const MessageInfo* info = Find(type);
  if (info == nullptr || info->kind != MessageInfo::Kind::kPlain) return false;
  out->reserve(out->size() + json.size());
  Parser parser(json, out);
  return parser.Document(*info);
}

}  // namespace civil::gateway
