#include "gateway/path_template.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace civil::gateway {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// A literal is any run of characters other than the template's own punctuation.
bool IsLiteralChar(char c) {
  switch (c) {
    case '/':
    case ':':
    case '{':
    case '}':
    case '=':
    case '*':
    case '?':
    case '#':
      return false;
    default:
      return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Rank(PathTemplate::SegmentKind kind) {
  switch (kind) {
    case PathTemplate::SegmentKind::kLiteral:
      return 0;
    case PathTemplate::SegmentKind::kSingle:
      return 1;
    case PathTemplate::SegmentKind::kMulti:
      return 2;
  }
  return 3;
}

// Recursive-descent parser over the template text.
class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::Status Run(std::vector<PathTemplate::Segment>* segments,
                   std::vector<PathVariable>* variables, std::string* verb) {
    segments_ = segments;
    variables_ = variables;
    if (!Consume('/')) return Error("must start with '/'");
    if (absl::Status s = ParseSegments(/*in_variable=*/false); !s.ok()) return s;
    if (Consume(':')) {
      size_t start = pos_;
      while (pos_ < text_.size() && IsLiteralChar(text_[pos_])) ++pos_;
      if (pos_ == start) return Error("empty custom verb after ':'");
      *verb = std::string(text_.substr(start, pos_ - start));
    }
    if (pos_ != text_.size())
      return Error(absl::StrCat("unexpected '", text_.substr(pos_, 1), "'"));
    for (size_t i = 0; i + 1 < segments->size(); ++i) {
      if ((*segments)[i].kind == PathTemplate::SegmentKind::kMulti) {
        return Error("'**' must be the last segment");
      }
    }
    return absl::OkStatus();
  }

 private:
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid path template \"", text_, "\": ", what, " at offset ", pos_));
  }

  absl::Status ParseSegments(bool in_variable) {
    while (true) {
      if (absl::Status s = ParseSegment(in_variable); !s.ok()) return s;
      if (!Consume('/')) return absl::OkStatus();
    }
  }

  absl::Status ParseSegment(bool in_variable) {
    if (pos_ >= text_.size()) return Error("empty segment");
    char c = text_[pos_];
    if (c == '*') {
      ++pos_;
      if (Consume('*')) {
        segments_->push_back({PathTemplate::SegmentKind::kMulti, ""});
      } else {
        segments_->push_back({PathTemplate::SegmentKind::kSingle, ""});
      }
      if (pos_ < text_.size() && IsLiteralChar(text_[pos_])) {
        return Error("'*' must be a whole segment");
      }
      return absl::OkStatus();
    }
    if (c == '{') {
      if (in_variable) return Error("nested variable");
      return ParseVariable();
    }
    size_t start = pos_;
    while (pos_ < text_.size() && IsLiteralChar(text_[pos_])) ++pos_;
    if (pos_ == start) return Error("empty segment");
    if (pos_ < text_.size() && text_[pos_] == '*') return Error("'*' must be a whole segment");
    std::string literal;
    if (!PercentDecode(text_.substr(start, pos_ - start), /*keep_slash=*/false, &literal)) {
      return Error("malformed percent escape");
    }
    segments_->push_back({PathTemplate::SegmentKind::kLiteral, std::move(literal)});
    return absl::OkStatus();
  }

  absl::Status ParseVariable() {
    ++pos_;  // '{'
    PathVariable var;
    while (true) {
      size_t start = pos_;
      if (pos_ >= text_.size() || !IsIdentStart(text_[pos_])) {
        return Error("expected a field name");
      }
      while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
      var.field_names.emplace_back(text_.substr(start, pos_ - start));
      if (!Consume('.')) break;
    }
    var.field_path = absl::StrJoin(var.field_names, ".");
    for (const PathVariable& other : *variables_) {
      if (other.field_path == var.field_path) {
        return Error(absl::StrCat("variable '", var.field_path, "' bound twice"));
      }
    }
    var.begin_segment = static_cast<int>(segments_->size());
    if (Consume('=')) {
      if (absl::Status s = ParseSegments(/*in_variable=*/true); !s.ok()) return s;
    } else {
      segments_->push_back({PathTemplate::SegmentKind::kSingle, ""});
    }
    if (!Consume('}')) return Error("expected '}'");
    var.end_segment = static_cast<int>(segments_->size());
    if (segments_->back().kind == PathTemplate::SegmentKind::kMulti) var.end_segment = -1;
    variables_->push_back(std::move(var));
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t pos_ = 0;
  std::vector<PathTemplate::Segment>* segments_ = nullptr;
  std::vector<PathVariable>* variables_ = nullptr;
};

// Compares a raw (encoded) request segment with a decoded literal.
bool SegmentEquals(absl::string_view raw, const std::string& literal) {
  if (raw.find('%') == absl::string_view::npos) return raw == literal;
  std::string decoded;
  return PercentDecode(raw, /*keep_slash=*/false, &decoded) && decoded == literal;
}

}  // namespace

bool PercentDecode(absl::string_view in, bool keep_slash, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '%') {
      out->push_back(c);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    char decoded = static_cast<char>(hi * 16 + lo);
    if (keep_slash && decoded == '/') {
      out->append(in.data() + i, 3);
    } else {
      out->push_back(decoded);
    }
    i += 2;
  }
  return true;
}

PathSegments SplitPath(absl::string_view path) {
  PathSegments segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == absl::string_view::npos) {
      segments.push_back(path.substr(start));
      break;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  Parser parser(text);
  if (absl::Status s = parser.Run(&t.segments_, &t.variables_, &t.verb_); !s.ok()) return s;
  std::vector<absl::string_view> parts;
  for (const Segment& s : t.segments_) {
    switch (s.kind) {
      case SegmentKind::kLiteral:
        parts.push_back(s.literal);
        break;
      case SegmentKind::kSingle:
        parts.push_back("*");
        break;
      case SegmentKind::kMulti:
        parts.push_back("**");
        break;
    }
  }
  t.shape_ = absl::StrCat("/", absl::StrJoin(parts, "/"));
  if (!t.verb_.empty()) absl::StrAppend(&t.shape_, ":", t.verb_);
  return t;
}

bool PathTemplate::Match(absl::string_view path, PathBindings* bindings) const {
  return Match(SplitPath(path), bindings);
}

bool PathTemplate::Match(absl::Span<const absl::string_view> request_segments,
                         PathBindings* bindings) const {
  bindings->clear();
  const size_t n = segments_.size();
  const bool ends_multi = n > 0 && segments_.back().kind == SegmentKind::kMulti;
  if (request_segments.empty()) return false;
  if (ends_multi ? request_segments.size() < n - 1 : request_segments.size() != n) {
    return false;
  }
  // The verb is the suffix `:verb` of the last request segment.
  absl::string_view last = request_segments.back();
  if (!verb_.empty()) {
    if (last.size() < verb_.size() + 1 || last[last.size() - verb_.size() - 1] != ':' ||
        last.substr(last.size() - verb_.size()) != verb_) {
      return false;
    }
    last.remove_suffix(verb_.size() + 1);
  }
  auto segment_at = [&](size_t i) {
    return i + 1 == request_segments.size() ? last : request_segments[i];
  };
  for (size_t i = 0; i < n; ++i) {
    const Segment& s = segments_[i];
    if (s.kind == SegmentKind::kMulti) break;
    absl::string_view raw = segment_at(i);
    if (s.kind == SegmentKind::kLiteral) {
      if (!SegmentEquals(raw, s.literal)) return false;
    } else if (raw.empty()) {
      return false;
    }
  }
  for (const PathVariable& var : variables_) {
    size_t begin = static_cast<size_t>(var.begin_segment);
    size_t end = var.end_segment < 0 ? request_segments.size() : var.end_segment;
    PathBinding binding;
    binding.variable = &var;
    if (end == begin + 1 && var.end_segment >= 0) {
      if (!PercentDecode(segment_at(begin), /*keep_slash=*/false, &binding.value)) return false;
    } else {
      std::string decoded;
      for (size_t i = begin; i < end; ++i) {
        if (!PercentDecode(segment_at(i), /*keep_slash=*/true, &decoded)) return false;
        if (i > begin) binding.value.push_back('/');
        binding.value.append(decoded);
      }
    }
    bindings->push_back(std::move(binding));
  }
  return true;
}

bool PathTemplate::MoreSpecific(const PathTemplate& a, const PathTemplate& b) {
  const size_t common = std::min(a.segments_.size(), b.segments_.size());
  for (size_t i = 0; i < common; ++i) {
    int ra = Rank(a.segments_[i].kind);
    int rb = Rank(b.segments_[i].kind);
    if (ra != rb) return ra < rb;
  }
  if (a.verb_.empty() != b.verb_.empty()) return !a.verb_.empty();
  return a.segments_.size() > b.segments_.size();
}

}  // namespace civil::gateway
