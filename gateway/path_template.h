// Path templates of `google.api.http` rules (google/api/http.proto): parsing at start-up and
// matching request paths against them, returning the variable bindings.
//
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   FieldPath = IDENT { "." IDENT } ;
//   Verb     = ":" LITERAL ;
#pragma once

#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace civil::gateway {

// One variable of a template, e.g. `{household.id}` or `{name=shelves/*/books/*}`.
struct PathVariable {
  // Dotted field path as written (`household.id`).
  std::string field_path;
  // Its components (`household`, `id`).
  std::vector<std::string> field_names;
  // Segments [begin, end) of the template the variable covers; end == -1 when it ends with `**`.
  int begin_segment = 0;
  int end_segment = 0;
};

// A value captured by a variable while matching; `variable` points into the template.
struct PathBinding {
  const PathVariable* variable = nullptr;
  // Percent-decoded value. For variables covering several segments the `/` separators are kept and
  // an encoded `%2F` stays encoded (RFC 6570 reserved expansion, as http.proto specifies).
  std::string value;
};

using PathBindings = absl::InlinedVector<PathBinding, 2>;

// A parsed, immutable path template. Thread-safe for concurrent Match() calls.
class PathTemplate {
 public:
  enum class SegmentKind { kLiteral, kSingle, kMulti };
  struct Segment {
    SegmentKind kind = SegmentKind::kLiteral;
    std::string literal;  // kLiteral only
  };

  // Parses `text`. Returns INVALID_ARGUMENT naming the problem and its position when the text
  // does not follow the grammar above, when a variable is nested or repeated, or when `**` is
  // not the last segment.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // Matches an already split request path (raw, still percent-encoded segments, without the
  // leading `/`; the verb, if any, still attached to the last segment). Returns true and fills
  // `bindings` (cleared first) when it matches; false otherwise (bindings then unspecified).
  bool Match(absl::Span<const absl::string_view> segments, PathBindings* bindings) const;

  // Convenience: splits `path` (which must start with `/`, no query string) and matches it.
  bool Match(absl::string_view path, PathBindings* bindings) const;

  // The template as written in the rule.
  const std::string& text() const { return text_; }
  // The template with variables replaced by their patterns (`/v1/{id}` → `/v1/*`): two templates
  // match the same paths exactly when their shapes are equal.
  const std::string& shape() const { return shape_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<PathVariable>& variables() const { return variables_; }
  const std::string& verb() const { return verb_; }

  // Orders templates from most to least specific: comparing segment by segment, a literal beats
  // `*`, which beats `**`; then a template with a verb beats one without; then the longer one.
  // Returns true when `a` should be tried before `b`.
  static bool MoreSpecific(const PathTemplate& a, const PathTemplate& b);

 private:
  std::string text_;
  std::string shape_;
  std::vector<Segment> segments_;
  std::vector<PathVariable> variables_;
  std::string verb_;
};

// Splits a request path (starting with `/`, no query string) into raw segments. "/" gives one
// empty segment; the segments are views into `path`.
using PathSegments = absl::InlinedVector<absl::string_view, 8>;
PathSegments SplitPath(absl::string_view path);

// Percent-decodes `in` into `out`. With `keep_slash` an encoded `/` (%2F) stays encoded. Returns
// false on a malformed escape (`%` not followed by two hex digits).
bool PercentDecode(absl::string_view in, bool keep_slash, std::string* out);

}  // namespace civil::gateway
