#include "services/assistance/household.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::assistance {
namespace {

constexpr absl::string_view kRelationNames[] = {
    "", "HEAD", "SPOUSE", "CHILD", "PARENT", "GRANDCHILD", "GRANDPARENT", "SIBLING", "OTHER"};

}  // namespace

absl::string_view AreaName(Area area) { return area == Area::kUrban ? "URBAN" : "RURAL"; }

absl::string_view RelationName(Relation relation) {
  return kRelationNames[static_cast<int>(relation)];
}

absl::StatusOr<Area> AreaFromName(absl::string_view name) {
  if (name == "URBAN") return Area::kUrban;
  if (name == "RURAL") return Area::kRural;
  return absl::InvalidArgumentError(absl::StrCat("unknown area ", name));
}

absl::StatusOr<Relation> RelationFromName(absl::string_view name) {
  for (int i = 1; i <= 8; ++i) {
    if (kRelationNames[i] == name) return static_cast<Relation>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown relation ", name));
}

absl::StatusOr<std::vector<MemberDraft>> ValidateMembers(const std::vector<MemberInput>& members,
                                                         absl::CivilDay today) {
  if (members.empty()) return InvalidField("members", "at least one member (the head) is required");
  if (members.size() > kMaxMembers) {
    return InvalidField("members", absl::StrCat("at most ", kMaxMembers, " members"));
  }
  std::vector<MemberDraft> drafts;
  drafts.reserve(members.size());
  absl::flat_hash_set<std::string> seen;
  int heads = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    const MemberInput& in = members[i];
    const std::string field = absl::StrCat("members[", i, "]");
    const absl::string_view name = absl::StripAsciiWhitespace(in.name);
    const int chars = CharCount(name);
    if (chars <= 0 || chars > kMaxNameChars) {
      return InvalidField(absl::StrCat(field, ".name"),
                          chars < 0 ? "must be text without control characters"
                                    : absl::StrCat("must be 1 to ", kMaxNameChars, " characters"));
    }
    absl::StatusOr<IdNumber> id = IdNumber::Parse(in.id_number, today);
    if (!id.ok()) return InvalidField(absl::StrCat(field, ".id_number"), id.status().message());
    if (in.relation < 1 || in.relation > 8) {
      return InvalidField(absl::StrCat(field, ".relation"), "must be given");
    }
    if (!seen.insert(id->value()).second) {
      return InvalidField(absl::StrCat(field, ".id_number"),
                          absl::StrCat(id->Masked(), " appears twice in the household"));
    }
    const auto relation = static_cast<Relation>(in.relation);
    if (relation == Relation::kHead) ++heads;
    drafts.push_back(MemberDraft{std::string(name), *std::move(id), relation});
  }
  if (heads != 1) return InvalidField("members", "exactly one member must be RELATION_HEAD");
  std::stable_partition(drafts.begin(), drafts.end(),
                        [](const MemberDraft& m) { return m.relation == Relation::kHead; });
  return drafts;
}

absl::StatusOr<HouseholdDraft> ValidateHousehold(absl::string_view region_code, int area,
                                                 const std::vector<MemberInput>& members,
                                                 absl::CivilDay today) {
  absl::StatusOr<RegionCode> region = RegionCode::Parse(region_code);
  if (!region.ok()) return InvalidField("region_code", region.status().message());
  if (region->level() != RegionCode::Level::kVillage) {
    return InvalidField("region_code", "must be a 12-digit village/community code");
  }
  if (area != static_cast<int>(Area::kUrban) && area != static_cast<int>(Area::kRural)) {
    return InvalidField("area", "must be AREA_URBAN or AREA_RURAL");
  }
  absl::StatusOr<std::vector<MemberDraft>> drafts = ValidateMembers(members, today);
  if (!drafts.ok()) return drafts.status();
  return HouseholdDraft{*std::move(region), static_cast<Area>(area), *std::move(drafts)};
}

}  // namespace civil::assistance
