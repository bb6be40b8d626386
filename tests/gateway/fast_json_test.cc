// FastJson against protobuf's converter, which it must equal wherever it answers: random messages
// of every type of the platform's contract, of the gateway test contract and of a contract with
// every field kind are printed by both (byte-for-byte equal) and their JSON is parsed by both
// (equal messages); hand-written and mutated JSON bodies are accepted by FastJson only when
// protobuf accepts them too, with the same result.
#include "gateway/fast_json.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gateway/descriptor_set.h"
#include "tests/gateway/test_contract.h"

#ifndef CIVIL_DESCRIPTOR_SET
#error "CIVIL_DESCRIPTOR_SET must name build/civil.desc"
#endif

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;
using pb::FieldDescriptor;
using T = pb::FieldDescriptorProto;
using FieldDescriptorProto = pb::FieldDescriptorProto;

// A contract with every field kind, wire quirk and well-known type FastJson must handle or decline.
pb::FileDescriptorSet AllKindsFile() {
  pb::FileDescriptorSet set = test_contract::KindsFile();  // Timestamp, wrappers, Duration
  pb::FileDescriptorProto* file = set.add_file();
  file->set_name("fast/v1/all.proto");
  file->set_package("fast.v1");
  file->set_syntax("proto3");
  file->add_dependency("google/protobuf/timestamp.proto");
  file->add_dependency("google/protobuf/wrappers.proto");
  file->add_dependency("google/protobuf/duration.proto");
  pb::EnumDescriptorProto* level = file->add_enum_type();
  level->set_name("Level");
  level->mutable_options()->set_allow_alias(true);
  for (auto [name, number] : {std::pair<const char*, int>{"LEVEL_UNSPECIFIED", 0},
                              {"LEVEL_LOW", 1},
                              {"LEVEL_ALIAS_LOW", 1},
                              {"LEVEL_HIGH", 7},
                              {"LEVEL_MINUS", -3}}) {
    auto* v = level->add_value();
    v->set_name(name);
    v->set_number(number);
  }
  pb::DescriptorProto* all = file->add_message_type();
  all->set_name("All");
  const std::pair<const char*, T::Type> kScalars[] = {
      {"i32", T::TYPE_INT32},     {"i64", T::TYPE_INT64},    {"u32", T::TYPE_UINT32},
      {"u64", T::TYPE_UINT64},    {"s32", T::TYPE_SINT32},   {"s64", T::TYPE_SINT64},
      {"f32", T::TYPE_FIXED32},   {"f64", T::TYPE_FIXED64},  {"sf32", T::TYPE_SFIXED32},
      {"sf64", T::TYPE_SFIXED64}, {"flag", T::TYPE_BOOL},    {"text", T::TYPE_STRING},
      {"blob", T::TYPE_BYTES},    {"ratio", T::TYPE_DOUBLE}, {"share", T::TYPE_FLOAT}};
  int number = 1;
  for (const auto& [name, type] : kScalars) {
    test_contract::AddField(all, name, number++, type);
    test_contract::AddField(all, absl::StrCat("many_", name), number++, type, true);
  }
  test_contract::AddField(all, "level", number++, T::TYPE_ENUM, false, ".fast.v1.Level");
  test_contract::AddField(all, "levels", number++, T::TYPE_ENUM, true, ".fast.v1.Level");
  test_contract::AddField(all, "child", number++, T::TYPE_MESSAGE, false, ".fast.v1.All");
  test_contract::AddField(all, "children", number++, T::TYPE_MESSAGE, true, ".fast.v1.All");
  test_contract::AddField(all, "at", number++, T::TYPE_MESSAGE, false,
                          ".google.protobuf.Timestamp");
  test_contract::AddField(all, "ats", number++, T::TYPE_MESSAGE, true,
                          ".google.protobuf.Timestamp");
  test_contract::AddField(all, "took", number++, T::TYPE_MESSAGE, false,
                          ".google.protobuf.Duration");
  for (const char* w : {"Int32Value", "Int64Value", "UInt32Value", "UInt64Value", "BoolValue",
                        "StringValue", "BytesValue", "DoubleValue"}) {
    test_contract::AddField(all, absl::StrCat("w_", w), number++, T::TYPE_MESSAGE, false,
                            absl::StrCat(".google.protobuf.", w));
  }
  // A oneof, and a proto3 `optional` (a synthetic oneof).
  all->add_oneof_decl()->set_name("choice");
  test_contract::AddField(all, "pick_text", number++, T::TYPE_STRING)->set_oneof_index(0);
  test_contract::AddField(all, "pick_num", number++, T::TYPE_INT64)->set_oneof_index(0);
  all->add_oneof_decl()->set_name("_maybe");
  FieldDescriptorProto* maybe = test_contract::AddField(all, "maybe", number++, T::TYPE_INT32);
  maybe->set_oneof_index(1);
  maybe->set_proto3_optional(true);
  // A map: always protobuf's.
  pb::DescriptorProto* entry = all->add_nested_type();
  entry->set_name("TagsEntry");
  entry->mutable_options()->set_map_entry(true);
  test_contract::AddField(entry, "key", 1, T::TYPE_STRING);
  test_contract::AddField(entry, "value", 2, T::TYPE_INT32);
  test_contract::AddField(all, "tags", number++, T::TYPE_MESSAGE, true, ".fast.v1.All.TagsEntry");
  // A high field number (sparse lookup) and a JSON name that differs from the camel case.
  test_contract::AddField(all, "far_away", 100000, T::TYPE_STRING);
  test_contract::AddField(all, "renamed", number++, T::TYPE_STRING)->set_json_name("otherName");
  return set;
}
// Strings that exercise every escaping rule of protobuf's JsonEscaping.
std::string RandomText(std::mt19937_64& rng) {
  static const char* const kPieces[] = {"a",
                                        "Zhang Wei",
                                        "张三",
                                        "<",
                                        ">",
                                        "&",
                                        "\"",
                                        "\\",
                                        "/",
                                        "\n",
                                        "\t",
                                        "\r",
                                        "\b",
                                        "\f",
                                        "\x01",
                                        "\x1f",
                                        "\x7f",
                                        "\xc2\x80",
                                        "\xc2\x9f",
                                        "\xc2\xa0",
                                        "\xc2\xad",
                                        "\xd8\x80",
                                        "\xdb\x9d",
                                        "\xe2\x80\xa8",
                                        "\xe2\x80\x8b",
                                        "\xef\xbb\xbf",
                                        "\xef\xbf\xb9",
                                        "\xf0\x9f\x98\x80",
                                        "\xf3\xa0\x80\x81",
                                        "\xf0\x9d\x85\xb3",
                                        "é",
                                        "'",
                                        " ",
                                        "0",
                                        "{}",
                                        "\xe1\x9e\xb4"};
  std::string out;
  const int n = static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) out += kPieces[rng() % (sizeof kPieces / sizeof kPieces[0])];
  return out;
}

int64_t RandomInt(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0:
      return 0;
    case 1:
      return static_cast<int64_t>(rng() % 100);
    case 2:
      return -static_cast<int64_t>(rng() % 100);
    case 3:
      return static_cast<int64_t>(rng());
    case 4:
      return std::numeric_limits<int64_t>::min();
    default:
      return std::numeric_limits<int64_t>::max();
  }
}

// `plain`: no float, double, map or bytes values (which FastJson leaves to protobuf), so that
// the rest is on the fast path.
void Fill(pb::Message* m, std::mt19937_64& rng, int depth, bool plain = false);

void SetValue(pb::Message* m, const FieldDescriptor* f, std::mt19937_64& rng, int depth,
              bool plain) {
  const pb::Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  const int64_t i = RandomInt(rng);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      rep ? r->AddInt32(m, f, static_cast<int32_t>(i)) : r->SetInt32(m, f, static_cast<int32_t>(i));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      rep ? r->AddInt64(m, f, i) : r->SetInt64(m, f, i);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      rep ? r->AddUInt32(m, f, static_cast<uint32_t>(i))
          : r->SetUInt32(m, f, static_cast<uint32_t>(i));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      rep ? r->AddUInt64(m, f, static_cast<uint64_t>(i))
          : r->SetUInt64(m, f, static_cast<uint64_t>(i));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      rep ? r->AddBool(m, f, rng() % 2) : r->SetBool(m, f, rng() % 2);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      rep ? r->AddDouble(m, f, 1.5) : r->SetDouble(m, f, 0.1);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      rep ? r->AddFloat(m, f, 2.5f) : r->SetFloat(m, f, 0.25f);
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumDescriptor* e = f->enum_type();
      // Mostly declared values; sometimes a number no value has.
      const int value =
          rng() % 5 == 0 ? 42 : e->value(static_cast<int>(rng() % e->value_count()))->number();
      rep ? r->AddEnumValue(m, f, value) : r->SetEnumValue(m, f, value);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string s = RandomText(rng);
      if (f->type() == FieldDescriptor::TYPE_BYTES && rng() % 2) s += std::string("\0\xff\x80", 3);
      rep ? r->AddString(m, f, s) : r->SetString(m, f, s);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      pb::Message* sub = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      const std::string& name = f->message_type()->full_name();
      if (name == "google.protobuf.Timestamp") {
        const pb::Descriptor* d = sub->GetDescriptor();
        const int64_t seconds =
            static_cast<int64_t>(rng() % 253402300800ULL) - (rng() % 3 == 0 ? 62135596800LL : 0);
        static const int32_t kNanos[] = {0, 5000000, 123456000, 123456789, 999999999, 1000};
        sub->GetReflection()->SetInt64(sub, d->FindFieldByName("seconds"),
                                       std::max<int64_t>(seconds, -62135596800LL));
        sub->GetReflection()->SetInt32(sub, d->FindFieldByName("nanos"), kNanos[rng() % 6]);
      } else if (name == "google.protobuf.Duration") {
        const pb::Descriptor* d = sub->GetDescriptor();
        const int64_t seconds = static_cast<int64_t>(rng() % 100000);
        const int32_t nanos = static_cast<int32_t>(rng() % 3) * 250000000;
        const bool negative = rng() % 2;
        sub->GetReflection()->SetInt64(sub, d->FindFieldByName("seconds"),
                                       negative ? -seconds : seconds);
        sub->GetReflection()->SetInt32(sub, d->FindFieldByName("nanos"), negative ? -nanos : nanos);
      } else if (depth < 3) {
        Fill(sub, rng, depth + 1, plain);
      }
      break;
    }
  }
}

void Fill(pb::Message* m, std::mt19937_64& rng, int depth, bool plain) {
  const pb::Descriptor* d = m->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (rng() % 3 == 0) continue;
    if (plain &&
        (f->is_map() || f->type() == FieldDescriptor::TYPE_DOUBLE ||
         f->type() == FieldDescriptor::TYPE_FLOAT || f->type() == FieldDescriptor::TYPE_BYTES ||
         (f->type() == FieldDescriptor::TYPE_MESSAGE &&
          (f->message_type()->full_name() == "google.protobuf.DoubleValue" ||
           f->message_type()->full_name() == "google.protobuf.BytesValue")))) {
      continue;
    }
    if (f->is_map()) {
      if (rng() % 2) continue;
      pb::Message* e = m->GetReflection()->AddMessage(m, f);
      e->GetReflection()->SetString(e, e->GetDescriptor()->field(0), RandomText(rng));
      e->GetReflection()->SetInt32(e, e->GetDescriptor()->field(1), 3);
      continue;
    }
    const int n = f->is_repeated() ? static_cast<int>(rng() % 4) : 1;
    for (int k = 0; k < n; ++k) SetValue(m, f, rng, depth, plain);
  }
}

// Both codecs over one descriptor set, and the checks comparing them.
struct FastJsonTest {
  struct Contract {
    LoadedDescriptors descriptors;
    std::unique_ptr<pb::util::TypeResolver> resolver;
    std::unique_ptr<FastJson> camel;
    std::unique_ptr<FastJson> proto;
  };

  static std::unique_ptr<Contract> Load(absl::StatusOr<LoadedDescriptors> loaded) {
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    auto c = std::make_unique<Contract>();
    c->descriptors = *std::move(loaded);
    c->resolver.reset(pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com",
                                                                 c->descriptors.pool.get()));
    c->camel = std::make_unique<FastJson>(c->descriptors.files, false);
    c->proto = std::make_unique<FastJson>(c->descriptors.files, true);
    return c;
  }

  static std::string Url(const pb::Descriptor* d) {
    return absl::StrCat("type.googleapis.com/", d->full_name());
  }

  // protobuf's printing of `binary`; false when it fails.
  static bool SlowPrint(const Contract& c, const pb::Descriptor* d, const std::string& binary,
                        bool proto_names, std::string* json) {
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = proto_names;
    return pb::util::BinaryToJsonString(c.resolver.get(), Url(d), binary, json, options).ok();
  }

  // Both parsers on `json`: when FastJson accepts it, protobuf must too, with an equal message.
  // Returns whether FastJson accepted it.
  static bool CheckParse(const Contract& c, const pb::Descriptor* d, const std::string& json) {
    std::string fast;
    if (!c.camel->Parse(d, json, &fast)) return false;
    std::string slow;
    pb::util::JsonParseOptions options;
    auto status = pb::util::JsonToBinaryString(c.resolver.get(), Url(d), json, &slow, options);
    EXPECT_TRUE(status.ok()) << d->full_name() << " accepted by FastJson only: " << json << "\n"
                             << status;
    if (!status.ok()) return true;
    pb::DynamicMessageFactory factory(c.descriptors.pool.get());
    std::unique_ptr<pb::Message> a(factory.GetPrototype(d)->New());
    std::unique_ptr<pb::Message> b(factory.GetPrototype(d)->New());
    EXPECT_TRUE(a->ParseFromString(fast)) << json;
    EXPECT_TRUE(b->ParseFromString(slow)) << json;
    EXPECT_TRUE(pb::util::MessageDifferencer::Equals(*a, *b))
        << json << "\nfast: " << a->ShortDebugString() << "\nslow: " << b->ShortDebugString();
    return true;
  }

  // Random messages of every type of `c`: printing equal byte for byte; parsing their JSON equal.
  static void RoundTrips(const Contract& c, int per_type, int* printed_fast, int* parsed_fast) {
    pb::DynamicMessageFactory factory(c.descriptors.pool.get());
    std::mt19937_64 rng(20261128);
    for (const pb::FileDescriptor* file : c.descriptors.files) {
      std::vector<const pb::Descriptor*> types;
      for (int i = 0; i < file->message_type_count(); ++i) types.push_back(file->message_type(i));
      for (size_t t = 0; t < types.size(); ++t) {
        const pb::Descriptor* d = types[t];
        for (int i = 0; i < d->nested_type_count(); ++i) types.push_back(d->nested_type(i));
        if (d->options().map_entry()) continue;
        for (int k = 0; k < per_type; ++k) {
          std::unique_ptr<pb::Message> m(factory.GetPrototype(d)->New());
          Fill(m.get(), rng, 0, /*plain=*/k % 3 != 0);
          std::string binary = m->SerializePartialAsString();
          if (k % 5 == 4) {
            // Non-canonical wire: a second message appended (repeated fields in two runs,
            // singular fields twice) and an unknown field.
            std::unique_ptr<pb::Message> more(factory.GetPrototype(d)->New());
            Fill(more.get(), rng, 1);
            binary += more->SerializePartialAsString();
            binary += std::string("\xf8\xff\x03\x05", 4);  // field 65535, varint 5
          }
          for (bool proto_names : {false, true}) {
            std::string slow;
            bool slow_ok = SlowPrint(c, d, binary, proto_names, &slow);
            std::string fast;
            const FastJson& codec = proto_names ? *c.proto : *c.camel;
            if (codec.Print(d, binary, &fast)) {
              ++*printed_fast;
              EXPECT_TRUE(slow_ok) << d->full_name();
              EXPECT_EQ(fast, slow) << d->full_name() << " " << m->ShortDebugString();
            }
          }
          std::string json;
          pb::util::JsonPrintOptions options;
          options.preserve_proto_field_names = k % 2 == 1;
          if (pb::util::BinaryToJsonString(c.resolver.get(), Url(d), m->SerializePartialAsString(),
                                           &json, options)
                  .ok() &&
              CheckParse(c, d, json)) {
            ++*parsed_fast;
          }
        }
      }
    }
  }
};

TEST(FastJsonContractTest, CivilContractPrintsAndParsesLikeProtobuf) {
  auto c = FastJsonTest::Load(LoadDescriptorSet(CIVIL_DESCRIPTOR_SET));
  int printed = 0, parsed = 0;
  FastJsonTest::RoundTrips(*c, 20, &printed, &parsed);
  // Most of the platform's messages are on the fast path both ways.
  EXPECT_GT(printed, 8000);
  EXPECT_GT(parsed, 2500);
}

TEST(FastJsonContractTest, EveryKindPrintsAndParsesLikeProtobuf) {
  pb::FileDescriptorSet set = AllKindsFile();
  auto c = FastJsonTest::Load(BuildDescriptorPool(set));
  int printed = 0, parsed = 0;
  FastJsonTest::RoundTrips(*c, 300, &printed, &parsed);
  EXPECT_GT(printed, 1500);
  EXPECT_GT(parsed, 400);
}

TEST(FastJsonContractTest, PrintsTheShapesItHandles) {
  pb::FileDescriptorSet set = AllKindsFile();
  auto c = FastJsonTest::Load(BuildDescriptorPool(set));
  const pb::Descriptor* all = c->descriptors.pool->FindMessageTypeByName("fast.v1.All");
  ASSERT_NE(all, nullptr);
  pb::DynamicMessageFactory factory(c->descriptors.pool.get());
  std::unique_ptr<pb::Message> m(factory.GetPrototype(all)->New());
  const pb::Reflection* r = m->GetReflection();
  r->SetString(m.get(), all->FindFieldByName("text"), "<张三>\n\xf0\x9f\x98\x80");
  r->SetInt64(m.get(), all->FindFieldByName("i64"), -5);
  r->SetEnumValue(m.get(), all->FindFieldByName("level"), 1);  // the first of two names
  r->AddInt32(m.get(), all->FindFieldByName("many_i32"), 1);
  r->AddInt32(m.get(), all->FindFieldByName("many_i32"), -2);
  std::string fast;
  ASSERT_TRUE(c->camel->Print(all, m->SerializePartialAsString(), &fast));
  EXPECT_EQ(fast,
            R"({"manyI32":[1,-2],"i64":"-5","text":"\u003c张三\u003e\n😀","level":"LEVEL_LOW"})");
  // A double is protobuf's.
  r->SetDouble(m.get(), all->FindFieldByName("ratio"), 0.1);
  fast.clear();
  EXPECT_FALSE(c->camel->Print(all, m->SerializePartialAsString(), &fast));
  // Invalid UTF-8 too.
  m->Clear();
  r->SetString(m.get(), all->FindFieldByName("text"), "\xff");
  EXPECT_FALSE(c->camel->Print(all, m->SerializePartialAsString(), &fast));
}

TEST(FastJsonContractTest, ParsesOnlyWhatProtobufParsesTheSameWay) {
  pb::FileDescriptorSet set = AllKindsFile();
  auto c = FastJsonTest::Load(BuildDescriptorPool(set));
  const pb::Descriptor* all = c->descriptors.pool->FindMessageTypeByName("fast.v1.All");
  ASSERT_NE(all, nullptr);
  const std::string accepted[] = {
      R"({})",
      " {\n\t\"i32\" : -2147483648 , \"u32\":4294967295,\"i64\":\"-9223372036854775808\"}\r\n",
      R"({"i64":9223372036854775807,"u64":"18446744073709551615","s32":-5,"s64":"-7"})",
      R"({"f32":7,"f64":"8","sf32":-9,"sf64":-10,"flag":true,"many_flag":[false,true]})",
      R"({"text":"a\"b\\c\/d\b\f\n\r\t\u00e9\u4e09\ud83d\ude00 ","manyText":["x",""]})",
      R"({"level":"LEVEL_ALIAS_LOW","levels":["LEVEL_MINUS","LEVEL_HIGH"]})",
      R"({"child":{"child":{"i32":1}},"children":[{},{"text":"t"}]})",
      R"({"pickText":"x","maybe":0,"otherName":"r","far_away":"f"})",
      R"({"renamed":"by proto name"})",
      R"({"manyI64":[1,"2",-3],"manyU64":["0"],"manySf64":[]})",
  };
  for (const std::string& json : accepted) {
    EXPECT_TRUE(FastJsonTest::CheckParse(*c, all, json)) << json;
  }
  // Declined (protobuf decides, and reports errors in its own words).
  const std::string declined[] = {
      R"({"i32":"5"})",
      R"({"i32":1.0})",
      R"({"i32":1e2})",
      R"({"i32":2147483648})",
      R"({"i32":-0})",
      R"({"i32":01})",
      R"({"u32":-1})",
      R"({"i32":null})",
      R"({"text":5})",
      R"({"text":"\ud800"})",
      "{\"text\":\"\xff\"}",
      "{\"text\":\"a\x01\"}",
      R"({"text":"\u0000"})",
      R"({"level":3})",
      R"({"level":"NOPE"})",
      R"({"flag":"true"})",
      R"({"blob":"AAE="})",
      R"({"ratio":1.5})",
      R"({"tags":{"a":1}})",
      R"({"at":"2024-01-01T00:00:00Z"})",
      R"({"wInt32Value":3})",
      R"({"nope":1})",
      R"({"i32":1,"i32":2})",
      R"({"i32":1,"i32":1})",
      R"({"pickText":"x","pickNum":"1"})",
      R"({"i32":1})"
      "x",
      R"({"i32":1,})",
      R"([1])",
      R"({"ma\u006ey_i32":[1]})",
      R"({"manyI32":[[1]]})",
      R"({"manyI32":1})",
      R"({"child":[]})",
      "",
      "{",
  };
  for (const std::string& json : declined) {
    std::string out;
    EXPECT_FALSE(c->camel->Parse(all, json, &out)) << json;
  }
}

TEST(FastJsonContractTest, MutatedBodiesAreAcceptedOnlyWhenProtobufAgrees) {
  pb::FileDescriptorSet set = AllKindsFile();
  auto c = FastJsonTest::Load(BuildDescriptorPool(set));
  const pb::Descriptor* all = c->descriptors.pool->FindMessageTypeByName("fast.v1.All");
  const std::string seed =
      R"({"i32":12,"i64":"-34","text":"a\u00e9\"b","manyU32":[1,2,3],"level":"LEVEL_HIGH",)"
      R"("child":{"s64":"9","children":[{"flag":false}]},"u64":18446744073709551615})";
  ASSERT_TRUE(FastJsonTest::CheckParse(*c, all, seed));
  std::mt19937_64 rng(7);
  const std::string alphabet = "{}[]\":,-0123456789.eE \\u\"tfnaxz";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string json = seed;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !json.empty(); ++e) {
      const size_t at = rng() % json.size();
      switch (rng() % 3) {
        case 0:
          json.erase(at, 1);
          break;
        case 1:
          json.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          json[at] = alphabet[rng() % alphabet.size()];
      }
    }
    accepted += FastJsonTest::CheckParse(*c, all, json);
  }
  EXPECT_GT(accepted, 500);
}

}  // namespace
}  // namespace civil::gateway
