// Rules of certificate lists (证明事项清单, pure C++ on Abseil): the certificates a village/
// community may issue and those it may not, each with its legal basis, versioned by the day a
// version takes effect; the list in force on a day is the latest version effective by then.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"

namespace civil::governance {

inline constexpr int kMaxCertificateItems = 200;

struct CertificateEntry {
  std::string name;
  bool may_issue = false;
  std::string legal_basis;
};

// A version as published.
struct CertificateListDraft {
  RegionCode village;
  absl::CivilDay effective_on;
  std::string document;
  std::vector<CertificateEntry> items;
};

// Validates: a 12-digit village code, the effective date (default `today`; the future is
// allowed), a document of 1–200 characters, 1–kMaxCertificateItems entries, each with a name of
// 1–64 characters (once per list) and a legal basis of 1–500. INVALID_ARGUMENT naming the field:
// `village_code`, `effective_date`, `document`, `items`, `items[2].name`, `items[2].legal_basis`.
absl::StatusOr<CertificateListDraft> ValidateCertificateList(absl::string_view village_code,
                                                             absl::string_view effective_date,
                                                             absl::string_view document,
                                                             std::vector<CertificateEntry> items,
                                                             absl::CivilDay today);

// Of the versions effective on `effective` (any order), the index of the one in force on `day`:
// the latest effective on or before it; nullopt when none is.
std::optional<size_t> InForce(const std::vector<absl::CivilDay>& effective, absl::CivilDay day);

// The day the version effective on `effective[i]` is superseded: the earliest later effective
// day; nullopt when none.
std::optional<absl::CivilDay> SupersededOn(const std::vector<absl::CivilDay>& effective, size_t i);

}  // namespace civil::governance
