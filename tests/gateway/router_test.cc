// Routes derived from google.api.http rules: the real descriptor set of the services, 404 vs 405,
// precedence, and start-up errors (conflicts, bad rules) from small descriptors built here.
#include "gateway/router.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "civil/common/v1/common.pb.h"
#include "gateway/descriptor_set.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

#ifndef CIVIL_DESCRIPTOR_SET
#error "CIVIL_DESCRIPTOR_SET must name build/civil.desc"
#endif

namespace civil::gateway {
namespace {

namespace pb = ::google::protobuf;

class CivilRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<LoadedDescriptors> loaded = LoadDescriptorSet(CIVIL_DESCRIPTOR_SET);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    descriptors_ = *std::move(loaded);
    absl::StatusOr<Router> router = Router::Create(descriptors_.Services());
    ASSERT_TRUE(router.ok()) << router.status();
    router_ = *std::move(router);
  }

  LoadedDescriptors descriptors_;
  Router router_;
};

TEST_F(CivilRouterTest, HttpRuleIsReadableFromTheLoadedPool) {
  const pb::MethodDescriptor* get =
      descriptors_.pool->FindMethodByName("civil.assistance.v1.HouseholdService.GetHousehold");
  ASSERT_NE(get, nullptr);
  ASSERT_TRUE(get->options().HasExtension(google::api::http));
  EXPECT_EQ(get->options().GetExtension(google::api::http).get(),
            "/v1/assistance/households/{household_id}");
  // The platform's own option travels the same way.
  ASSERT_TRUE(get->options().HasExtension(civil::common::v1::access));
  const auto& roles = get->options().GetExtension(civil::common::v1::access).roles();
  EXPECT_NE(std::find(roles.begin(), roles.end(), "assistance.clerk"), roles.end());
}

TEST_F(CivilRouterTest, BuildsOneRoutePerRule) {
  std::vector<std::string> seen;
  for (const auto& route : router_.routes()) {
    seen.push_back(route->http_method + " " + route->path.text() + " " + route->grpc_method);
  }
  for (const std::string& want : {
           std::string("POST /v1/assistance/households "
                       "/civil.assistance.v1.HouseholdService/CreateHousehold"),
           std::string("GET /v1/assistance/households/{household_id} "
                       "/civil.assistance.v1.HouseholdService/GetHousehold"),
           std::string("GET /v1/assistance/households "
                       "/civil.assistance.v1.HouseholdService/ListHouseholds"),
           std::string("PUT /v1/assistance/households/{household_id}/members "
                       "/civil.assistance.v1.HouseholdService/UpdateHouseholdMembers"),
       }) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), want), seen.end()) << want;
  }
}

TEST_F(CivilRouterTest, MatchesRoutesAndBindsVariables) {
  Router::MatchResult m = router_.Match("GET", "/v1/assistance/households/h-42");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.route->method->name(), "GetHousehold");
  EXPECT_EQ(m.route->input->full_name(), "civil.assistance.v1.GetHouseholdRequest");
  EXPECT_EQ(m.route->output->full_name(), "civil.assistance.v1.GetHouseholdResponse");
  EXPECT_EQ(m.route->body, "");
  ASSERT_EQ(m.bindings.size(), 1u);
  EXPECT_EQ(m.bindings[0].variable->field_path, "household_id");
  EXPECT_EQ(m.bindings[0].value, "h-42");

  m = router_.Match("GET", "/v1/assistance/households");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.route->method->name(), "ListHouseholds");

  m = router_.Match("POST", "/v1/assistance/households");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.route->method->name(), "CreateHousehold");
  EXPECT_EQ(m.route->body, "*");

  m = router_.Match("PUT", "/v1/assistance/households/h1/members");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.route->method->name(), "UpdateHouseholdMembers");
  ASSERT_EQ(m.bindings.size(), 1u);
  EXPECT_EQ(m.bindings[0].value, "h1");
}

TEST_F(CivilRouterTest, UnknownPathIs404) {
  EXPECT_EQ(router_.Match("GET", "/v1/assistance/nothing").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router_.Match("GET", "/").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router_.Match("GET", "/v1/assistance/households/h1/extra").outcome,
            Router::Outcome::kNotFound);
  EXPECT_EQ(router_.Match("BREW", "/v1/coffee").outcome, Router::Outcome::kNotFound);
}

TEST_F(CivilRouterTest, KnownPathWithOtherMethodIs405WithAllow) {
  Router::MatchResult m = router_.Match("DELETE", "/v1/assistance/households/h1");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET");
  m = router_.Match("PATCH", "/v1/assistance/households");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST");
  m = router_.Match("GET", "/v1/assistance/households/h1/members");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "PUT");
}

// A tiny service built in the test: `rules` maps method name → HttpRule.
struct TestMethod {
  std::string name;
  google::api::HttpRule rule;
};

pb::FileDescriptorSet TestFile(const std::vector<TestMethod>& methods) {
  pb::FileDescriptorSet set;
  pb::FileDescriptorProto* file = set.add_file();
  file->set_name("test/v1/things.proto");
  file->set_package("test.v1");
  file->set_syntax("proto3");
  pb::DescriptorProto* inner = file->add_message_type();
  inner->set_name("Inner");
  auto* inner_id = inner->add_field();
  inner_id->set_name("id");
  inner_id->set_number(1);
  inner_id->set_type(pb::FieldDescriptorProto::TYPE_STRING);
  inner_id->set_label(pb::FieldDescriptorProto::LABEL_OPTIONAL);
  pb::DescriptorProto* req = file->add_message_type();
  req->set_name("Req");
  const struct {
    const char* name;
    int number;
    pb::FieldDescriptorProto::Type type;
    pb::FieldDescriptorProto::Label label;
  } fields[] = {
      {"id", 1, pb::FieldDescriptorProto::TYPE_STRING, pb::FieldDescriptorProto::LABEL_OPTIONAL},
      {"name", 2, pb::FieldDescriptorProto::TYPE_STRING, pb::FieldDescriptorProto::LABEL_OPTIONAL},
      {"tags", 3, pb::FieldDescriptorProto::TYPE_STRING, pb::FieldDescriptorProto::LABEL_REPEATED},
      {"inner", 4, pb::FieldDescriptorProto::TYPE_MESSAGE,
       pb::FieldDescriptorProto::LABEL_OPTIONAL},
  };
  for (const auto& f : fields) {
    auto* field = req->add_field();
    field->set_name(f.name);
    field->set_number(f.number);
    field->set_type(f.type);
    field->set_label(f.label);
    if (f.type == pb::FieldDescriptorProto::TYPE_MESSAGE) field->set_type_name(".test.v1.Inner");
  }
  file->add_message_type()->set_name("Resp");
  pb::ServiceDescriptorProto* service = file->add_service();
  service->set_name("ThingService");
  for (const TestMethod& m : methods) {
    pb::MethodDescriptorProto* method = service->add_method();
    method->set_name(m.name);
    method->set_input_type(".test.v1.Req");
    method->set_output_type(".test.v1.Resp");
    *method->mutable_options()->MutableExtension(google::api::http) = m.rule;
  }
  return set;
}

google::api::HttpRule Get(const std::string& path) {
  google::api::HttpRule rule;
  rule.set_get(path);
  return rule;
}

google::api::HttpRule Post(const std::string& path, const std::string& body) {
  google::api::HttpRule rule;
  rule.set_post(path);
  rule.set_body(body);
  return rule;
}

absl::StatusOr<Router> RouterFor(const std::vector<TestMethod>& methods, LoadedDescriptors* keep) {
  absl::StatusOr<LoadedDescriptors> loaded = BuildDescriptorPool(TestFile(methods));
  if (!loaded.ok()) return loaded.status();
  *keep = *std::move(loaded);
  return Router::Create(keep->Services());
}

TEST(RouterTest, SameMethodAndEquivalentTemplateIsAConflictNamingBothRpcs) {
  LoadedDescriptors keep;
  absl::StatusOr<Router> router = RouterFor(
      {{"GetThing", Get("/v1/things/{id}")}, {"GetThingByName", Get("/v1/things/{name}")}}, &keep);
  ASSERT_FALSE(router.ok());
  EXPECT_EQ(router.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(router.status().message().find("(test.v1.ThingService.GetThing)"),
            absl::string_view::npos)
      << router.status();
  EXPECT_NE(router.status().message().find("test.v1.ThingService.GetThingByName"),
            absl::string_view::npos)
      << router.status();
}

TEST(RouterTest, SameTemplateWithDifferentMethodsIsFine) {
  LoadedDescriptors keep;
  absl::StatusOr<Router> router = RouterFor(
      {{"GetThing", Get("/v1/things/{id}")}, {"UpdateThing", Post("/v1/things/{id}", "*")}}, &keep);
  ASSERT_TRUE(router.ok()) << router.status();
  EXPECT_EQ(router->routes().size(), 2u);
}

TEST(RouterTest, AdditionalBindingsAndCustomMethodsBecomeRoutes) {
  google::api::HttpRule rule = Get("/v1/things/{id}");
  *rule.add_additional_bindings() = Get("/v1/inner/{inner.id}/things");
  google::api::HttpRule custom;
  custom.mutable_custom()->set_kind("HEAD");
  custom.mutable_custom()->set_path("/v1/things/{id}");
  LoadedDescriptors keep;
  absl::StatusOr<Router> router = RouterFor({{"GetThing", rule}, {"HeadThing", custom}}, &keep);
  ASSERT_TRUE(router.ok()) << router.status();
  ASSERT_EQ(router->routes().size(), 3u);
  Router::MatchResult m = router->Match("GET", "/v1/inner/i7/things");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.route->method->name(), "GetThing");
  ASSERT_EQ(m.bindings.size(), 1u);
  EXPECT_EQ(m.route->variable_fields[0].size(), 2u);  // inner → id
  m = router->Match("HEAD", "/v1/things/t1");
  ASSERT_EQ(m.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(m.route->method->name(), "HeadThing");
  m = router->Match("PUT", "/v1/things/t1");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
}

TEST(RouterTest, LiteralAndVerbRoutesWinOverVariables) {
  LoadedDescriptors keep;
  absl::StatusOr<Router> router = RouterFor({{"GetThing", Get("/v1/things/{id}")},
                                             {"GetSpecial", Get("/v1/things/special")},
                                             {"ApproveThing", Post("/v1/things/{id}:approve", "")},
                                             {"CatchAll", Get("/v1/{name=**}")}},
                                            &keep);
  ASSERT_TRUE(router.ok()) << router.status();
  EXPECT_EQ(router->Match("GET", "/v1/things/special").route->method->name(), "GetSpecial");
  EXPECT_EQ(router->Match("GET", "/v1/things/other").route->method->name(), "GetThing");
  EXPECT_EQ(router->Match("GET", "/v1/a/b/c").route->method->name(), "CatchAll");
  Router::MatchResult approve = router->Match("POST", "/v1/things/t1:approve");
  ASSERT_EQ(approve.outcome, Router::Outcome::kMatched);
  EXPECT_EQ(approve.route->method->name(), "ApproveThing");
  EXPECT_EQ(approve.bindings[0].value, "t1");
}

TEST(RouterTest, BadRulesFailNamingTheRpc) {
  struct Case {
    google::api::HttpRule rule;
    std::string expect;
  };
  google::api::HttpRule no_pattern;
  std::vector<Case> cases = {
      {Get("/v1/things/{missing}"), "path variable {missing}"},
      {Get("/v1/things/{tags}"), "singular scalar"},
      {Get("/v1/things/{inner}"), "singular scalar"},
      {Get("/v1/things/{id.x}"), "not a singular message field"},
      {Get("/v1/things/{id"), "invalid path template"},
      {Post("/v1/things", "nope"), "body \"nope\""},
      {Post("/v1/things/{id}", "id"), "also bound by path"},
      {no_pattern, "no pattern"},
  };
  for (const Case& c : cases) {
    LoadedDescriptors keep;
    absl::StatusOr<Router> router = RouterFor({{"Broken", c.rule}}, &keep);
    ASSERT_FALSE(router.ok()) << c.rule.ShortDebugString();
    EXPECT_NE(router.status().message().find("test.v1.ThingService.Broken"),
              absl::string_view::npos)
        << router.status();
    EXPECT_NE(router.status().message().find(c.expect), absl::string_view::npos) << router.status();
  }
}

TEST(RouterTest, ResponseBodyMustNameAResponseField) {
  google::api::HttpRule rule = Get("/v1/things/{id}");
  rule.set_response_body("missing");
  LoadedDescriptors keep;
  absl::StatusOr<Router> router = RouterFor({{"GetThing", rule}}, &keep);
  ASSERT_FALSE(router.ok());
  EXPECT_NE(router.status().message().find("response_body"), absl::string_view::npos);
}

TEST(DescriptorSetTest, MissingImportIsReported) {
  pb::FileDescriptorSet set;
  pb::FileDescriptorProto* file = set.add_file();
  file->set_name("a.proto");
  file->add_dependency("b.proto");
  absl::StatusOr<LoadedDescriptors> loaded = BuildDescriptorPool(set);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("b.proto"), absl::string_view::npos);
}

TEST(DescriptorSetTest, FilesMayComeInAnyOrder) {
  pb::FileDescriptorSet set;
  pb::FileDescriptorProto* a = set.add_file();
  a->set_name("a.proto");
  a->set_package("x");
  a->add_dependency("b.proto");
  auto* msg = a->add_message_type();
  msg->set_name("A");
  auto* field = msg->add_field();
  field->set_name("b");
  field->set_number(1);
  field->set_type(pb::FieldDescriptorProto::TYPE_MESSAGE);
  field->set_type_name(".x.B");
  pb::FileDescriptorProto* b = set.add_file();
  b->set_name("b.proto");
  b->set_package("x");
  b->add_message_type()->set_name("B");
  absl::StatusOr<LoadedDescriptors> loaded = BuildDescriptorPool(set);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_NE(loaded->pool->FindMessageTypeByName("x.A"), nullptr);
}

TEST(DescriptorSetTest, UnreadableFileIsNotFound) {
  EXPECT_EQ(LoadDescriptorSet("/nonexistent/civil.desc").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace civil::gateway
