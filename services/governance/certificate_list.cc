#include "services/governance/certificate_list.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {

absl::StatusOr<CertificateListDraft> ValidateCertificateList(absl::string_view village_code,
                                                             absl::string_view effective_date,
                                                             absl::string_view document,
                                                             std::vector<CertificateEntry> items,
                                                             absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  absl::CivilDay on = today;
  if (!effective_date.empty()) {
    CIVIL_ASSIGN_OR_RETURN(on, RequiredDate("effective_date", effective_date));
  }
  CIVIL_ASSIGN_OR_RETURN(std::string doc, BoundedText("document", document, 200));
  if (items.empty()) return InvalidField("items", "a list needs at least one certificate");
  if (items.size() > kMaxCertificateItems) {
    return InvalidField("items", absl::StrCat("at most ", kMaxCertificateItems, " certificates"));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string at = absl::StrCat("items[", i, "]");
    CIVIL_ASSIGN_OR_RETURN(items[i].name,
                           BoundedText(absl::StrCat(at, ".name"), items[i].name, 64));
    CIVIL_ASSIGN_OR_RETURN(
        items[i].legal_basis,
        RequiredText(absl::StrCat(at, ".legal_basis"), items[i].legal_basis, 500,
                     "each certificate needs its legal basis", TextLines::kMany));
    if (!names.insert(items[i].name).second) {
      return InvalidField(absl::StrCat(at, ".name"),
                          absl::StrCat(items[i].name, " is on the list twice"));
    }
  }
  return CertificateListDraft{std::move(village), on, std::move(doc), std::move(items)};
}

std::optional<size_t> InForce(const std::vector<absl::CivilDay>& effective, absl::CivilDay day) {
  std::optional<size_t> best;
  for (size_t i = 0; i < effective.size(); ++i) {
    if (effective[i] <= day && (!best || effective[i] > effective[*best])) best = i;
  }
  return best;
}

std::optional<absl::CivilDay> SupersededOn(const std::vector<absl::CivilDay>& effective, size_t i) {
  std::optional<absl::CivilDay> next;
  for (const absl::CivilDay d : effective) {
    if (d > effective[i] && (!next || d < *next)) next = d;
  }
  return next;
}

}  // namespace civil::governance
