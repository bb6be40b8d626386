// Who sees a child's name in full (pure C++ on Abseil). Children's data is sensitive personal
// information (PIPL art. 28 and 31): a child's name is shown in full only to the child's own
// township case workers — a `childwelfare.clerk` whose scope is the child's township or village —
// and masked (张*明) for everyone else: county reviewers, auditors, leadership, other townships,
// admin and other departments. ID numbers are masked for everyone already (the kit's id_views.h
// reveals them only for a reason, recorded).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace civil::childwelfare {

// The role whose holders may be the child's township case workers.
inline constexpr absl::string_view kCaseWorkerRole = "childwelfare.clerk";

// Whether a caller holding `case_worker` (kCaseWorkerRole) with region scope `scope` sees the full
// name of a child living in `child_region` (12 digits): only when the scope is a township or a
// village (9 or 12 digits) and contains the child's village. A county-wide or `*` scope never
// does: the county's reviewers see masked names.
bool SeesFullName(bool case_worker, absl::string_view scope, absl::string_view child_region);

// Whether such a caller sees the notes of the child's case history (GetChild's `history`: a
// township check's written reason, a stop's report, a reversal's account). A note may tell
// personal details of the child and the family, so the rule is the name's: the child's own
// township case workers (SeesFullName), whose view of the case is on the ID-view trail, and
// nobody else — county reviewers, county-wide clerks and auditors read the steps without notes.
bool SeesHistoryNotes(bool case_worker, absl::string_view scope, absl::string_view child_region);

// The name masked: the first and last characters kept and every one between replaced by `*`
// (张小明 → 张*明, 欧阳小明 → 欧**明); a two-character name keeps its first (李明 → 李*), one
// character becomes `*`. Characters are UTF-8 code points; "" stays "".
std::string MaskName(absl::string_view name);

}  // namespace civil::childwelfare
