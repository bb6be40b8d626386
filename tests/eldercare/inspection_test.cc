// Unit tests of the 双随机、一公开 rules (services/eldercare/inspection.h): no servers.
#include "services/eldercare/inspection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace civil::eldercare {
namespace {

constexpr absl::CivilDay kToday(2023, 7, 15);

std::string FieldOf(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

std::vector<std::string> Ids(const std::string& prefix, int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(10 + i));
  return ids;
}

// Draw(20230715, i10…i18 pick 3, f10…f18 pick 3), as computed when the algorithm was written.
std::vector<std::string> GoldenInspectors() { return {"i14", "i12", "i11"}; }
std::vector<std::string> GoldenInstitutions() { return {"f10", "f17", "f12"}; }

TEST(InspectionTest, TheEngineIsTheStandardsMt19937_64) {
  // The C++ standard fixes this value ([rand.predef]): the draw depends on nothing else.
  std::mt19937_64 engine;
  engine.discard(9999);
  EXPECT_EQ(engine(), 9981545732273789042ULL);
}

TEST(InspectionTest, ADrawIsReproducedFromItsSeedWhateverTheOrderOfThePools) {
  const std::vector<std::string> inspectors = Ids("i", 8), institutions = Ids("f", 12);
  absl::StatusOr<DrawPicks> a = Draw(20230715, inspectors, 3, institutions, 4);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->inspectors.size(), 3u);
  ASSERT_EQ(a->institutions.size(), 4u);
  // The same seed over the same pools, given in another order: the same picks.
  std::vector<std::string> reversed_i(inspectors.rbegin(), inspectors.rend());
  std::vector<std::string> reversed_f(institutions.rbegin(), institutions.rend());
  absl::StatusOr<DrawPicks> b = Draw(20230715, reversed_i, 3, reversed_f, 4);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->inspectors, b->inspectors);
  EXPECT_EQ(a->institutions, b->institutions);
  // No one twice; everyone from the pool.
  std::set<std::string> distinct(a->institutions.begin(), a->institutions.end());
  EXPECT_EQ(distinct.size(), 4u);
  for (const std::string& id : a->institutions) {
    EXPECT_NE(std::find(institutions.begin(), institutions.end(), id), institutions.end());
  }
  // Another seed: other picks.
  absl::StatusOr<DrawPicks> c = Draw(20230716, inspectors, 3, institutions, 4);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(a->inspectors != c->inspectors || a->institutions != c->institutions);
}

TEST(InspectionTest, ThePicksFollowTheDocumentedAlgorithm) {
  // Re-implemented from the contract's description (Draw.algorithm), independently of PickFrom.
  const std::vector<std::string> inspectors = Ids("i", 5), institutions = Ids("f", 7);
  const uint64_t seed = 42;
  std::mt19937_64 rng(seed);
  auto pick = [&](std::vector<std::string> pool, size_t k) {
    std::sort(pool.begin(), pool.end());
    for (size_t i = 0; i < k; ++i) {
      const uint64_t j = i + rng() % (pool.size() - i);
      std::swap(pool[i], pool[j]);
    }
    pool.resize(k);
    return pool;
  };
  const std::vector<std::string> want_i = pick(inspectors, 2), want_f = pick(institutions, 3);
  absl::StatusOr<DrawPicks> got = Draw(seed, inspectors, 2, institutions, 3);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->inspectors, want_i);
  EXPECT_EQ(got->institutions, want_f);
  // And a recorded draw stays what it was (a change of algorithm fails here).
  absl::StatusOr<DrawPicks> golden = Draw(20230715, Ids("i", 9), 3, Ids("f", 9), 3);
  ASSERT_TRUE(golden.ok());
  EXPECT_EQ(golden->inspectors, GoldenInspectors());
  EXPECT_EQ(golden->institutions, GoldenInstitutions());
}

TEST(InspectionTest, AllOfAPoolIsAPermutationAndTooFewIsRefusedNamingTheCount) {
  absl::StatusOr<DrawPicks> all = Draw(7, Ids("i", 2), 2, Ids("f", 3), 3);
  ASSERT_TRUE(all.ok());
  std::vector<std::string> sorted = all->institutions;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, Ids("f", 3));
  absl::StatusOr<DrawPicks> few = Draw(7, Ids("i", 2), 3, Ids("f", 3), 1);
  EXPECT_EQ(few.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(few.status()), "inspectors");
  absl::StatusOr<DrawPicks> none = Draw(7, Ids("i", 2), 2, {}, 1);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(none.status()), "institutions");
  for (const auto& [i, f, field] :
       std::vector<std::tuple<int, int, std::string>>{{1, 1, "inspectors"},
                                                      {101, 1, "inspectors"},
                                                      {2, 0, "institutions"},
                                                      {2, 101, "institutions"}}) {
    absl::Status s = ValidateDrawCounts(i, f);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(FieldOf(s), field);
  }
}

TEST(InspectionTest, AnInspectorIsNamedInARegionAndRetiresOnce) {
  absl::StatusOr<InspectorDraft> d =
      ValidateInspector({"张某", "县民政局", "340722", "2023-01-05"}, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->added_on, absl::CivilDay(2023, 1, 5));
  for (const auto& [input, field] : std::vector<std::pair<InspectorInput, std::string>>{
           {{"", "", "340722", ""}, "name"},
           {{"张某", std::string(65, 'x'), "340722", ""}, "organisation"},
           {{"张某", "", "3407", ""}, "region_code"},
           {{"张某", "", "340722", "2023-07-16"}, "add_date"}}) {
    absl::StatusOr<InspectorDraft> bad = ValidateInspector(input, kToday);
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(FieldOf(bad.status()), field);
  }
  const absl::CivilDay added(2023, 1, 5);
  EXPECT_TRUE(CheckRetirement(added, std::nullopt, added).ok());
  EXPECT_EQ(FieldOf(CheckRetirement(added, added + 1, kToday)), "step");
  EXPECT_EQ(FieldOf(CheckRetirement(added, std::nullopt, added - 1)), "date");
}

TEST(InspectionTest, AFailedCheckSaysWhatFailedAndWhatIsToBePutRightByWhen) {
  ResultInput failed{1, false, "灭火器过期", "2023-07-14", {{"更换灭火器", "2023-07-31"}}};
  absl::StatusOr<ResultDraft> d = ValidateResult(failed, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->area, InspectionArea::kFire);
  ASSERT_EQ(d->rectifications.size(), 1u);
  EXPECT_EQ(d->rectifications[0].due_on, absl::CivilDay(2023, 7, 31));
  // Passed: findings and items optional; the date defaults to today.
  absl::StatusOr<ResultDraft> passed = ValidateResult({3, true, "", "", {}}, kToday);
  ASSERT_TRUE(passed.ok()) << passed.status();
  EXPECT_EQ(passed->inspected_on, kToday);
  for (const auto& [input, field] : std::vector<std::pair<ResultInput, std::string>>{
           {{0, true, "", "", {}}, "area"},
           {{4, true, "", "", {}}, "area"},
           {{2, false, "", "", {{"整改", "2023-08-01"}}}, "findings"},
           {{2, false, "留样不全", "", {}}, "rectifications"},
           {{2, true, "", "2023-07-16", {}}, "inspection_date"},
           {{2, false, "x", "2023-07-14", {{"", "2023-08-01"}}}, "rectifications[0].item"},
           {{2, false, "x", "2023-07-14", {{"a", "2023-08-01"}, {"b", ""}}},
            "rectifications[1].due_date"},
           {{2, false, "x", "2023-07-14", {{"a", "2023-07-13"}}}, "rectifications[0].due_date"}}) {
    absl::StatusOr<ResultDraft> bad = ValidateResult(input, kToday);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
    EXPECT_EQ(FieldOf(bad.status()), field) << bad.status();
  }
}

TEST(InspectionTest, ResultsComeBeforePublishingAndPublishingNeedsEveryArea) {
  const absl::CivilDay drawn(2023, 7, 1);
  EXPECT_TRUE(CheckResultStep(DrawStatus::kDrawn, drawn, drawn).ok());
  absl::Status after = CheckResultStep(DrawStatus::kPublished, drawn, kToday);
  EXPECT_EQ(after.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(after), "step");
  EXPECT_EQ(FieldOf(CheckResultStep(DrawStatus::kDrawn, drawn, drawn - 1)), "inspection_date");

  EXPECT_TRUE(CheckPublish(DrawStatus::kDrawn, drawn, 0, "", kToday).ok());
  absl::Status missing = CheckPublish(DrawStatus::kDrawn, drawn, 2, "敬老院 FOOD", kToday);
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(missing), "step");
  EXPECT_NE(missing.message().find("2 checks"), absl::string_view::npos);
  EXPECT_EQ(FieldOf(CheckPublish(DrawStatus::kPublished, drawn, 0, "", kToday)), "step");
  EXPECT_EQ(FieldOf(CheckPublish(DrawStatus::kDrawn, drawn, 0, "", drawn - 1)), "date");
}

TEST(InspectionTest, AnItemClosesOnceAndIsOverdueWhileOpenPastItsDueDate) {
  const absl::CivilDay inspected(2023, 7, 1), due(2023, 7, 10);
  EXPECT_TRUE(CheckRectificationClose(std::nullopt, inspected, inspected).ok());
  EXPECT_EQ(FieldOf(CheckRectificationClose(due, inspected, kToday)), "step");
  EXPECT_EQ(FieldOf(CheckRectificationClose(std::nullopt, inspected, inspected - 1)), "date");
  EXPECT_FALSE(Overdue(due, std::nullopt, due));
  EXPECT_TRUE(Overdue(due, std::nullopt, due + 1));
  EXPECT_FALSE(Overdue(due, due + 1, due + 1));  // closed that day
  EXPECT_TRUE(Overdue(due, due + 5, due + 1));   // still open on the day asked
  EXPECT_FALSE(Overdue(due, due - 1, kToday));
}

}  // namespace
}  // namespace civil::eldercare
