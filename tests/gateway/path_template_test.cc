// Path templates of google.api.http rules: parsing, matching, bindings, precedence.
#include "gateway/path_template.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace civil::gateway {
namespace {

PathTemplate MustParse(const std::string& text) {
  absl::StatusOr<PathTemplate> t = PathTemplate::Parse(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  return t.ok() ? *std::move(t) : PathTemplate();
}

// Matches `path` and returns the bindings as "field=value" strings; nullopt when it does not match.
std::optional<std::vector<std::string>> MatchBindings(const PathTemplate& t,
                                                      const std::string& path) {
  PathBindings bindings;
  if (!t.Match(path, &bindings)) return std::nullopt;
  std::vector<std::string> out;
  for (const PathBinding& b : bindings) out.push_back(b.variable->field_path + "=" + b.value);
  return out;
}

using Bindings = std::vector<std::string>;

TEST(PathTemplateTest, LiteralMatchesOnlyItself) {
  PathTemplate t = MustParse("/v1/assistance/households");
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households"), Bindings{});
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/household"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/x"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/assistance"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/"), std::nullopt);
  EXPECT_EQ(t.shape(), "/v1/assistance/households");
}

TEST(PathTemplateTest, LiteralComparesDecodedSegments) {
  PathTemplate t = MustParse("/v1/households");
  EXPECT_EQ(MatchBindings(t, "/v1/house%68olds"), Bindings{});
}

TEST(PathTemplateTest, VariableCapturesOneDecodedSegment) {
  PathTemplate t = MustParse("/v1/assistance/households/{household_id}");
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/abc"), Bindings{"household_id=abc"});
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/a%20b%2Fc"),
            Bindings{"household_id=a b/c"});
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/%E5%BC%A0"),
            Bindings{"household_id=\xE5\xBC\xA0"});
  // An empty segment is no value.
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/a/b"), std::nullopt);
  // A malformed escape does not match.
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/households/a%2"), std::nullopt);
  ASSERT_EQ(t.variables().size(), 1u);
  EXPECT_EQ(t.variables()[0].field_names, std::vector<std::string>{"household_id"});
  EXPECT_EQ(t.shape(), "/v1/assistance/households/*");
}

TEST(PathTemplateTest, NestedFieldPath) {
  PathTemplate t = MustParse("/v1/{household.id}/members/{member.person.id_number}");
  ASSERT_EQ(t.variables().size(), 2u);
  EXPECT_EQ(t.variables()[0].field_names, (std::vector<std::string>{"household", "id"}));
  EXPECT_EQ(t.variables()[1].field_names,
            (std::vector<std::string>{"member", "person", "id_number"}));
  EXPECT_EQ(MatchBindings(t, "/v1/h1/members/p2"),
            (Bindings{"household.id=h1", "member.person.id_number=p2"}));
}

TEST(PathTemplateTest, SingleWildcard) {
  PathTemplate t = MustParse("/v1/*/members");
  EXPECT_EQ(MatchBindings(t, "/v1/anything/members"), Bindings{});
  EXPECT_EQ(MatchBindings(t, "/v1/a/b/members"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1//members"), std::nullopt);
}

TEST(PathTemplateTest, VariableWithPattern) {
  PathTemplate t = MustParse("/v1/{name=shelves/*/books/*}");
  EXPECT_EQ(MatchBindings(t, "/v1/shelves/s1/books/b%2F2"),
            Bindings{"name=shelves/s1/books/b%2F2"});
  EXPECT_EQ(MatchBindings(t, "/v1/shelves/s1/books"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/shelves/s1/cds/b2"), std::nullopt);
}

TEST(PathTemplateTest, DoubleWildcardCapturesSeveralSegments) {
  PathTemplate t = MustParse("/v1/{name=files/**}");
  EXPECT_EQ(MatchBindings(t, "/v1/files/a"), Bindings{"name=files/a"});
  // Several segments; an encoded slash stays encoded, other escapes are decoded.
  EXPECT_EQ(MatchBindings(t, "/v1/files/a/b%2Fc/d%20e"), Bindings{"name=files/a/b%2Fc/d e"});
  EXPECT_EQ(MatchBindings(t, "/v1/other/a"), std::nullopt);

  PathTemplate bare = MustParse("/v1/**");
  EXPECT_EQ(MatchBindings(bare, "/v1"), Bindings{});
  EXPECT_EQ(MatchBindings(bare, "/v1/a/b/c"), Bindings{});
  EXPECT_EQ(MatchBindings(bare, "/v2/a"), std::nullopt);
}

TEST(PathTemplateTest, CustomVerb) {
  PathTemplate t = MustParse("/v1/assistance/applications/{application_id}:approve");
  EXPECT_EQ(t.verb(), "approve");
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/applications/a1:approve"),
            Bindings{"application_id=a1"});
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/applications/a1"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/applications/a1:reject"), std::nullopt);
  EXPECT_EQ(MatchBindings(t, "/v1/assistance/applications/:approve"), std::nullopt);
  EXPECT_EQ(t.shape(), "/v1/assistance/applications/*:approve");

  // Without a verb in the template, a colon is just part of the segment.
  PathTemplate plain = MustParse("/v1/assistance/applications/{application_id}");
  EXPECT_EQ(MatchBindings(plain, "/v1/assistance/applications/a1:approve"),
            Bindings{"application_id=a1:approve"});

  PathTemplate multi = MustParse("/v1/{name=**}:cancel");
  EXPECT_EQ(MatchBindings(multi, "/v1/ops/1:cancel"), Bindings{"name=ops/1"});
}

TEST(PathTemplateTest, EquivalentTemplatesHaveEqualShapes) {
  EXPECT_EQ(MustParse("/v1/{a}").shape(), MustParse("/v1/{b=*}").shape());
  EXPECT_EQ(MustParse("/v1/{a}").shape(), MustParse("/v1/*").shape());
  EXPECT_NE(MustParse("/v1/{a}").shape(), MustParse("/v1/{a=**}").shape());
  EXPECT_NE(MustParse("/v1/{a}").shape(), MustParse("/v1/{a}:x").shape());
}

TEST(PathTemplateTest, MoreSpecificOrdersLiteralThenWildcardThenDoubleWildcard) {
  PathTemplate literal = MustParse("/v1/things/special");
  PathTemplate variable = MustParse("/v1/things/{id}");
  PathTemplate multi = MustParse("/v1/things/{id=**}");
  PathTemplate verb = MustParse("/v1/things/{id}:approve");
  EXPECT_TRUE(PathTemplate::MoreSpecific(literal, variable));
  EXPECT_FALSE(PathTemplate::MoreSpecific(variable, literal));
  EXPECT_TRUE(PathTemplate::MoreSpecific(variable, multi));
  EXPECT_TRUE(PathTemplate::MoreSpecific(verb, variable));
  EXPECT_FALSE(PathTemplate::MoreSpecific(variable, variable));
}

TEST(PathTemplateTest, InvalidTemplatesAreRejected) {
  for (const char* bad : {
           "",                 // empty
           "v1/households",    // no leading slash
           "/",                // no segment
           "/v1//households",  // empty segment
           "/v1/households/",  // trailing slash
           "/v1/{",            // unterminated variable
           "/v1/{}",           // no field name
           "/v1/{id",          // missing '}'
           "/v1/{a.}",         // empty field name component
           "/v1/{1a}",         // not an identifier
           "/v1/{a={b}}",      // nested variable
           "/v1/{a}/{a}",      // same variable twice
           "/v1/**/x",         // '**' not last
           "/v1/{a=**}/x",     // '**' not last
           "/v1/a*",           // '*' inside a literal
           "/v1/*a",           // '*' inside a literal
           "/v1/x:",           // empty verb
           "/v1/x:a/b",        // verb must be last
           "/v1/x}",           // stray brace
           "/v1/%zz",          // malformed escape
       }) {
    absl::StatusOr<PathTemplate> t = PathTemplate::Parse(bad);
    EXPECT_FALSE(t.ok()) << "accepted: \"" << bad << "\"";
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(t.status().message().find("invalid path template"), absl::string_view::npos);
    }
  }
}

TEST(PathTemplateTest, PercentDecode) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%20b%2fc", /*keep_slash=*/false, &out));
  EXPECT_EQ(out, "a b/c");
  EXPECT_TRUE(PercentDecode("a%20b%2fc", /*keep_slash=*/true, &out));
  EXPECT_EQ(out, "a b%2fc");
  EXPECT_FALSE(PercentDecode("a%2", false, &out));
  EXPECT_FALSE(PercentDecode("a%g0", false, &out));
  EXPECT_FALSE(PercentDecode("%", false, &out));
}

TEST(PathTemplateTest, SplitPath) {
  EXPECT_EQ(SplitPath("/a/b"), (PathSegments{"a", "b"}));
  EXPECT_EQ(SplitPath("/"), (PathSegments{""}));
  EXPECT_EQ(SplitPath("/a/"), (PathSegments{"a", ""}));
}

}  // namespace
}  // namespace civil::gateway
