// JSON ⇄ protobuf transcoding: request building from body, path and query; error messages naming
// the field; response printing (lowerCamelCase, enum names, no defaults, response_body). Every
// case runs twice: with FastJson in front (the default) and with protobuf's JSON utilities only
// (--fast-json=false), which must answer alike.
#include "gateway/transcoder.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "civil/assistance/v1/household.pb.h"
#include "gateway/descriptor_set.h"
#include "gateway/router.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"
#include "tests/gateway/test_contract.h"

#ifndef CIVIL_DESCRIPTOR_SET
#error "CIVIL_DESCRIPTOR_SET must name build/civil.desc"
#endif

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;
namespace assistance = ::civil::assistance::v1;

// Routes + transcoder over one descriptor set.
struct Fixture {
  LoadedDescriptors descriptors;
  Router router;
  std::unique_ptr<Transcoder> transcoder;

  static std::unique_ptr<Fixture> From(absl::StatusOr<LoadedDescriptors> loaded,
                                       TranscoderOptions options = {}) {
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    if (!loaded.ok()) return nullptr;
    auto f = std::make_unique<Fixture>();
    f->descriptors = *std::move(loaded);
    absl::StatusOr<Router> router = Router::Create(f->descriptors.Services());
    EXPECT_TRUE(router.ok()) << router.status();
    if (!router.ok()) return nullptr;
    f->router = *std::move(router);
    f->transcoder =
        std::make_unique<Transcoder>(f->descriptors.pool.get(), f->descriptors.files, options);
    return f;
  }

  // Routes `method path?query` and builds the request; returns the status, the binary in `out`.
  absl::Status Build(const std::string& method, const std::string& target, const std::string& body,
                     std::string* out, const Route** route_out = nullptr) const {
    size_t q = target.find('?');
    std::string path = target.substr(0, q);
    std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    Router::MatchResult m = router.Match(method, path);
    EXPECT_EQ(m.outcome, Router::Outcome::kMatched) << method << " " << path;
    if (m.outcome != Router::Outcome::kMatched) return absl::NotFoundError("no route");
    if (route_out != nullptr) *route_out = m.route;
    return transcoder->BuildRequest(*m.route, m.bindings, query, body, out);
  }

  const Route* RouteOf(const std::string& method, const std::string& path) const {
    Router::MatchResult m = router.Match(method, path);
    return m.route;
  }
};

// --- the platform's real contract (build/civil.desc) -------------------------------------------

// The parameter is TranscoderOptions::fast_json.
class CivilTranscoderTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    f_ = Fixture::From(LoadDescriptorSet(CIVIL_DESCRIPTOR_SET), {.fast_json = GetParam()});
    ASSERT_EQ(f_->transcoder->uses_fast_json(), GetParam());
    ASSERT_NE(f_, nullptr);
  }
  std::unique_ptr<Fixture> f_;
};

TEST_P(CivilTranscoderTest, BodyStarIsTheWholeRequest) {
  std::string binary;
  absl::Status s = f_->Build("POST", "/v1/assistance/households",
                             R"({"regionCode":"340722001001","area":"AREA_RURAL",
                                 "members":[{"name":"张三","idNumber":"34072219800101123X",
                                             "relation":"RELATION_HEAD"},
                                            {"name":"李四","id_number":"340722198202021234",
                                             "relation":2}]})",
                             &binary);
  ASSERT_TRUE(s.ok()) << s;
  assistance::CreateHouseholdRequest req;
  ASSERT_TRUE(req.ParseFromString(binary));
  EXPECT_EQ(req.region_code(), "340722001001");
  EXPECT_EQ(req.area(), civil::common::v1::AREA_RURAL);
  ASSERT_EQ(req.members_size(), 2);
  EXPECT_EQ(req.members(0).name(), "张三");
  EXPECT_EQ(req.members(0).relation(), assistance::RELATION_HEAD);
  EXPECT_EQ(req.members(1).id_number(), "340722198202021234");  // proto name accepted too
  EXPECT_EQ(req.members(1).relation(), assistance::RELATION_SPOUSE);
}

TEST_P(CivilTranscoderTest, EmptyBodyIsAnEmptyMessage) {
  std::string binary = "stale";
  ASSERT_TRUE(f_->Build("POST", "/v1/assistance/households", "", &binary).ok());
  EXPECT_EQ(binary, "");
}

TEST_P(CivilTranscoderTest, PathBindingSetsTheFieldAndWinsOverTheBody) {
  std::string binary;
  ASSERT_TRUE(f_->Build("GET", "/v1/assistance/households/h%2D1", "", &binary).ok());
  assistance::GetHouseholdRequest get;
  ASSERT_TRUE(get.ParseFromString(binary));
  EXPECT_EQ(get.household_id(), "h-1");

  absl::Status s = f_->Build("PUT", "/v1/assistance/households/from-path/members",
                             R"({"householdId":"from-body","members":[{"name":"王五"}]})", &binary);
  ASSERT_TRUE(s.ok()) << s;
  assistance::UpdateHouseholdMembersRequest update;
  ASSERT_TRUE(update.ParseFromString(binary));
  EXPECT_EQ(update.household_id(), "from-path");
  EXPECT_EQ(update.members_size(), 1);
}

TEST_P(CivilTranscoderTest, QueryParametersSetNonBodyFields) {
  std::string binary;
  absl::Status s = f_->Build(
      "GET", "/v1/assistance/households?region_prefix=340722&pageSize=20&page_token=a%2Bb+c", "",
      &binary);
  ASSERT_TRUE(s.ok()) << s;
  assistance::ListHouseholdsRequest req;
  ASSERT_TRUE(req.ParseFromString(binary));
  EXPECT_EQ(req.region_prefix(), "340722");
  EXPECT_EQ(req.page_size(), 20);
  EXPECT_EQ(req.page_token(), "a+b c");
}

TEST_P(CivilTranscoderTest, QueryParameterWithWrongTypeNamesTheField) {
  std::string binary;
  absl::Status s = f_->Build("GET", "/v1/assistance/households?page_size=abc", "", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "page_size: invalid value \"abc\" for int32");
  s = f_->Build("GET", "/v1/assistance/households?page_size=99999999999", "", &binary);
  EXPECT_EQ(s.message(), "page_size: invalid value \"99999999999\" for int32");
}

TEST_P(CivilTranscoderTest, UnknownQueryParameterIsNamed) {
  std::string binary;
  absl::Status s =
      f_->Build("GET", "/v1/assistance/households?regionPrefix=34&color=red", "", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"color\""), absl::string_view::npos) << s;
  // A path-bound field cannot be set again from the query, nor a body "*" request's fields.
  s = f_->Build("GET", "/v1/assistance/households/h1?household_id=h2", "", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("household_id"), absl::string_view::npos) << s;
  s = f_->Build("POST", "/v1/assistance/households?region_code=1", "{}", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("region_code"), absl::string_view::npos) << s;
}

TEST_P(CivilTranscoderTest, UnknownBodyFieldIsNamed) {
  std::string binary;
  absl::Status s = f_->Build("POST", "/v1/assistance/households", R"({"regionCod":"1"})", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "regionCod: unknown field");
  s = f_->Build("POST", "/v1/assistance/households",
                R"({"members":[{"name":"a"},{"name":"b","nickname":"c"}]})", &binary);
  EXPECT_EQ(s.message(), "members[1].nickname: unknown field");
}

TEST_P(CivilTranscoderTest, WrongBodyTypeIsNamed) {
  std::string binary;
  absl::Status s =
      f_->Build("POST", "/v1/assistance/households", R"({"members":[{"name":5}]})", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "members[0].name: invalid value 5 for type TYPE_STRING");
  s = f_->Build("POST", "/v1/assistance/households", R"({"area":"AREA_MARS"})", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("area"), absl::string_view::npos) << s;
}

TEST_P(CivilTranscoderTest, MalformedJsonIsInvalidArgumentWithoutEchoingTheBody) {
  std::string binary;
  absl::Status s = f_->Build("POST", "/v1/assistance/households",
                             R"({"regionCode":"340722199001011234")", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().find("malformed JSON"), 0u) << s;
  EXPECT_EQ(s.message().find("340722199001011234"), absl::string_view::npos) << s;
  s = f_->Build("POST", "/v1/assistance/households", "[1,2]", &binary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(CivilTranscoderTest, ResponseIsLowerCamelCaseWithEnumNamesAndNoDefaults) {
  assistance::GetHouseholdResponse resp;
  assistance::Household* h = resp.mutable_household();
  h->set_household_id("h1");
  h->set_region_code("340722001001");
  h->set_area(civil::common::v1::AREA_URBAN);
  assistance::Member* m = h->add_members();
  m->set_member_id("m1");
  m->set_id_number_masked("340722********1234");
  m->set_relation(assistance::RELATION_HEAD);
  h->mutable_create_time()->set_seconds(1704067200);  // 2024-01-01T00:00:00Z
  h->set_version(3);
  const Route* route = f_->RouteOf("GET", "/v1/assistance/households/h1");
  ASSERT_NE(route, nullptr);
  std::string json;
  absl::Status s = f_->transcoder->ResponseToJson(*route, resp.SerializeAsString(), &json);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(json,
            R"({"household":{"householdId":"h1","regionCode":"340722001001","area":"AREA_URBAN",)"
            R"("members":[{"memberId":"m1","idNumberMasked":"340722********1234",)"
            R"("relation":"RELATION_HEAD"}],"createTime":"2024-01-01T00:00:00Z","version":"3"}})");

  std::string empty;
  ASSERT_TRUE(f_->transcoder->ResponseToJson(*route, "", &empty).ok());
  EXPECT_EQ(empty, "{}");
}

TEST_P(CivilTranscoderTest, ProtoFieldNamesOnRequest) {
  auto f = Fixture::From(LoadDescriptorSet(CIVIL_DESCRIPTOR_SET),
                         {.proto_field_names = true, .fast_json = GetParam()});
  ASSERT_NE(f, nullptr);
  assistance::ListHouseholdsResponse resp;
  resp.set_next_page_token("t");
  std::string json;
  ASSERT_TRUE(f->transcoder
                  ->ResponseToJson(*f->RouteOf("GET", "/v1/assistance/households"),
                                   resp.SerializeAsString(), &json)
                  .ok());
  EXPECT_EQ(json, R"({"next_page_token":"t"})");
}

// --- every field kind, on a small contract built here -----------------------------------------

using test_contract::KindsFile;

class KindsTranscoderTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    f_ = Fixture::From(BuildDescriptorPool(KindsFile()), {.fast_json = GetParam()});
    ASSERT_NE(f_, nullptr);
    req_type_ = f_->descriptors.pool->FindMessageTypeByName("test.v1.Req");
    resp_type_ = f_->descriptors.pool->FindMessageTypeByName("test.v1.Resp");
    ASSERT_NE(req_type_, nullptr);
  }

  // Builds the request and returns it in text format, or "error: <message>".
  std::string Request(const std::string& method, const std::string& target,
                      const std::string& body = "") {
    std::string binary;
    absl::Status s = f_->Build(method, target, body, &binary);
    if (!s.ok()) return "error: " + std::string(s.message());
    std::unique_ptr<pb::Message> msg(factory_.GetPrototype(req_type_)->New());
    EXPECT_TRUE(msg->ParseFromString(binary));
    return msg->ShortDebugString();
  }

  // Prints a Resp given in text format through `method path`.
  std::string Response(const std::string& method, const std::string& path,
                       const std::string& text) {
    std::unique_ptr<pb::Message> msg(factory_.GetPrototype(resp_type_)->New());
    EXPECT_TRUE(pb::TextFormat::ParseFromString(text, msg.get()));
    std::string json;
    absl::Status s =
        f_->transcoder->ResponseToJson(*f_->RouteOf(method, path), msg->SerializeAsString(), &json);
    if (!s.ok()) return "error: " + std::string(s.message());
    return json;
  }

  std::unique_ptr<Fixture> f_;
  pb::DynamicMessageFactory factory_;
  const pb::Descriptor* req_type_ = nullptr;
  const pb::Descriptor* resp_type_ = nullptr;
};

TEST_P(KindsTranscoderTest, NestedPathBinding) {
  EXPECT_EQ(Request("GET", "/v1/things/i%201"), R"(inner { id: "i 1" })");
}

TEST_P(KindsTranscoderTest, QueryScalarsEnumsRepeatedAndNested) {
  EXPECT_EQ(Request("GET",
                    "/v1/things/x?page_size=-5&big=9007199254740993&active=true"
                    "&color=COLOR_BLUE&tags=a&tags=b&colors=COLOR_RED&colors=2"
                    "&inner.n=7&ratio=1.5&count=4&blob=aGk&delta=-3&f32=9"
                    "&nums=1&nums=2"),
            R"(page_size: -5 big: 9007199254740993 active: true color: COLOR_BLUE )"
            R"(tags: "a" tags: "b" colors: COLOR_RED colors: COLOR_BLUE )"
            R"(inner { id: "x" n: 7 } ratio: 1.5 count: 4 blob: "hi" nums: 1 nums: 2 delta: -3 )"
            R"(f32: 9)");
}

TEST_P(KindsTranscoderTest, QueryEnumByNumberAndBoolFalse) {
  EXPECT_EQ(Request("GET", "/v1/things/x?color=1&active=false"),
            R"(color: COLOR_RED inner { id: "x" })");
}

TEST_P(KindsTranscoderTest, QueryWellKnownTypes) {
  EXPECT_EQ(Request("GET", "/v1/things/x?since=2024-01-31T08:00:00Z&limit=0"),
            R"(inner { id: "x" } since { seconds: 1706688000 } limit { })");
  EXPECT_EQ(Request("GET", "/v1/things/x?since=yesterday"),
            R"(error: since: invalid value "yesterday" for google.protobuf.Timestamp)");
  EXPECT_EQ(Request("GET", "/v1/things/x?wait=1.5s&label=abc"),
            R"(inner { id: "x" } wait { seconds: 1 nanos: 500000000 } label { value: "abc" })");
  EXPECT_EQ(Request("GET", "/v1/things/x?wait=soon"),
            R"(error: wait: invalid value "soon" for google.protobuf.Duration)");
}

TEST_P(KindsTranscoderTest, QueryErrorsNameTheField) {
  EXPECT_EQ(Request("GET", "/v1/things/x?color=COLOR_GREEN"),
            R"(error: color: invalid value "COLOR_GREEN" for enum test.v1.Color)");
  EXPECT_EQ(Request("GET", "/v1/things/x?active=yes"),
            R"(error: active: invalid value "yes" for bool)");
  EXPECT_EQ(Request("GET", "/v1/things/x?count=-1"),
            R"(error: count: invalid value "-1" for uint32)");
  EXPECT_EQ(Request("GET", "/v1/things/x?big=1.5"), R"(error: big: invalid value "1.5" for int64)");
  EXPECT_EQ(Request("GET", "/v1/things/x?page_size=1&page_size=2"),
            "error: page_size: given more than once, but it is not a repeated field");
  EXPECT_EQ(Request("GET", "/v1/things/x?inner.nope=1"),
            "error: query parameter \"inner.nope\" names no field of test.v1.Req");
  EXPECT_EQ(Request("GET", "/v1/things/x/inner?inner=1").find("error: inner: is a message"), 0u);
  EXPECT_EQ(Request("GET", "/v1/things/x?inner=1"),
            "error: query parameter \"inner\" is set by the URL path");
  EXPECT_EQ(Request("GET", "/v1/things/x?inner.id=y").find("error: query parameter \"inner.id\""),
            0u);
}

TEST_P(KindsTranscoderTest, BodyFieldMessage) {
  EXPECT_EQ(Request("POST", "/v1/things?id=q", R"({"id":"b","n":3})"),
            R"(id: "q" inner { id: "b" n: 3 })");
  EXPECT_EQ(Request("POST", "/v1/things", R"({"id":"b","bad":3})"),
            "error: inner.bad: unknown field");
  EXPECT_EQ(Request("POST", "/v1/things", R"({"n":"x"})"),
            R"(error: inner.n: invalid value "x" for type TYPE_INT32)");
  EXPECT_EQ(Request("POST", "/v1/things?inner.n=1", R"({})").find("error: query parameter"), 0u);
}

TEST_P(KindsTranscoderTest, BodyFieldRepeatedScalar) {
  EXPECT_EQ(Request("POST", "/v1/things/t1:tag", R"(["a","b"])"),
            R"(id: "t1" tags: "a" tags: "b")");
  // The body is one value: it cannot smuggle in other fields.
  EXPECT_EQ(Request("POST", "/v1/things/t1:tag", R"(["a"], "page_size": 3)"),
            "error: tags: the body must be a single JSON value");
  EXPECT_EQ(Request("POST", "/v1/things/t1:tag", R"([1])").find("error: tags"), 0u);
}

TEST_P(KindsTranscoderTest, ResponseBodySelectsAField) {
  EXPECT_EQ(Response("GET", "/v1/things/x/inner", R"(id: "r" inner { id: "i" n: 2 })"),
            R"({"id":"i","n":2})");
  EXPECT_EQ(Response("GET", "/v1/things/x/inner", R"(id: "r")"), "{}");
  EXPECT_EQ(Response("GET", "/v1/things/x/tags", R"(tags: "a" tags: "b" color: COLOR_RED)"),
            R"(["a","b"])");
  EXPECT_EQ(Response("GET", "/v1/things/x/tags", R"(id: "r")"), "[]");
  EXPECT_EQ(Response("GET", "/v1/things/x/total", R"(total_count: 12)"), R"("12")");
  EXPECT_EQ(Response("GET", "/v1/things/x/total", ""), R"("0")");
}

TEST_P(KindsTranscoderTest, WholeResponseUsesJsonNamesAndEnumNames) {
  EXPECT_EQ(Response("GET", "/v1/things/x", R"(id: "r" color: COLOR_BLUE total_count: 5)"),
            R"({"id":"r","color":"COLOR_BLUE","totalCount":"5"})");
}

std::string PathName(const ::testing::TestParamInfo<bool>& info) {
  return info.param ? "FastJson" : "ProtobufOnly";
}
INSTANTIATE_TEST_SUITE_P(Paths, CivilTranscoderTest, ::testing::Bool(), PathName);
INSTANTIATE_TEST_SUITE_P(Paths, KindsTranscoderTest, ::testing::Bool(), PathName);

TEST(NormalizeJsonErrorTest, Shapes) {
  EXPECT_EQ(NormalizeJsonError("(members[0]) bogus: Cannot find field.", ""),
            "members[0].bogus: unknown field");
  EXPECT_EQ(NormalizeJsonError("bogus: Cannot find field.", "inner"), "inner.bogus: unknown field");
  EXPECT_EQ(NormalizeJsonError("(a.b): invalid value 5 for type TYPE_STRING", ""),
            "a.b: invalid value 5 for type TYPE_STRING");
  EXPECT_EQ(NormalizeJsonError(": Root element must be a message.", ""),
            "body: Root element must be a message.");
  EXPECT_EQ(NormalizeJsonError("Unexpected end of string. Expected a value.\n{\"a\":\n      ^", ""),
            "malformed JSON: Unexpected end of string. Expected a value.");
}

}  // namespace
}  // namespace civil::gateway
