#include "services/report/render.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace civil::report {
namespace {

std::string Escape(const std::string& text) {
  return absl::StrReplaceAll(text,
                             {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

// Markdown would read these as markup at the start of a line or around words.
std::string MdText(const std::string& text) {
  return absl::StrReplaceAll(text, {{"*", "\\*"}, {"_", "\\_"}, {"#", "\\#"}});
}

template <typename Emphasis>
std::string TargetParagraph(const TargetSection& s, Emphasis emphasise,
                            std::string (*escape)(const std::string&)) {
  std::string text = escape(s.heading);
  for (const TargetItem& item : s.items) {
    absl::StrAppend(&text, escape(item.lead), "(", escape(item.facts));
    if (!item.flag.empty()) {
      absl::StrAppend(&text, ";", item.alert ? emphasise(item.flag) : escape(item.flag));
    }
    absl::StrAppend(&text, ")。");
  }
  absl::StrAppend(&text, escape(s.empty_note));
  return text;
}

std::string MissingNote(const Document& doc) {
  if (doc.missing.empty()) return "";
  return absl::StrCat("注:以下部门未在时限内提供数据,相关部分标注为数据暂缺:",
                      absl::StrJoin(doc.missing, "、"), "。");
}

}  // namespace

std::string RenderMarkdown(const Document& doc) {
  std::string out = absl::StrCat("# ", MdText(doc.title), "\n\n", MdText(doc.intro), "\n\n## ",
                                 MdText(doc.part_one), "\n\n");
  for (const std::string& s : doc.one_sections) absl::StrAppend(&out, MdText(s), "\n\n");
  absl::StrAppend(&out, "## ", MdText(doc.part_two), "\n\n");
  for (const TargetSection& s : doc.two_sections) {
    absl::StrAppend(
        &out,
        TargetParagraph(
            s, [](const std::string& f) { return absl::StrCat("**", f, "**"); }, MdText),
        "\n\n");
  }
  if (!doc.comparisons_heading.empty()) {
    absl::StrAppend(&out, "## ", MdText(doc.comparisons_heading), "\n\n");
    if (doc.comparisons.empty()) absl::StrAppend(&out, "无可比数据。\n\n");
    for (const std::string& c : doc.comparisons) absl::StrAppend(&out, MdText(c), "\n\n");
  }
  if (!doc.missing.empty()) absl::StrAppend(&out, MdText(MissingNote(doc)), "\n\n");
  // Two trailing spaces: a line break inside one paragraph, as the seed signs.
  absl::StrAppend(&out, MdText(doc.bureau), "  \n", MdText(doc.date), "\n");
  return out;
}

std::string RenderHtml(const Document& doc) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
      Escape(doc.title),
      "</title>\n<style>\n"
      "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }\n"
      "body { font-family: \"FangSong\", \"STFangsong\", \"Noto Serif CJK SC\", serif; "
      "font-size: 16pt; line-height: 1.75; max-width: 156mm; margin: 0 auto; }\n"
      "h1 { font-family: \"SimSun\", \"Noto Serif CJK SC\", serif; font-size: 22pt; "
      "text-align: center; font-weight: normal; }\n"
      "h2 { font-family: \"SimHei\", \"Noto Sans CJK SC\", sans-serif; font-size: 16pt; "
      "font-weight: normal; margin: 0; }\n"
      "p { text-indent: 2em; margin: 0; text-align: justify; }\n"
      "p.note { color: #a00; }\n"
      "strong.behind { color: #a00; }\n"
      ".signature { margin-top: 2em; text-align: right; text-indent: 0; }\n"
      "@media print { body { max-width: none; } h2, .signature { page-break-after: avoid; } "
      "p { orphans: 2; widows: 2; } }\n"
      "</style>\n</head>\n<body>\n<h1>",
      Escape(doc.title), "</h1>\n<p>", Escape(doc.intro), "</p>\n<h2>", Escape(doc.part_one),
      "</h2>\n");
  for (const std::string& s : doc.one_sections) absl::StrAppend(&out, "<p>", Escape(s), "</p>\n");
  absl::StrAppend(&out, "<h2>", Escape(doc.part_two), "</h2>\n");
  for (const TargetSection& s : doc.two_sections) {
    absl::StrAppend(&out, "<p>",
                    TargetParagraph(
                        s,
                        [](const std::string& f) {
                          return absl::StrCat("<strong class=\"behind\">", Escape(f), "</strong>");
                        },
                        Escape),
                    "</p>\n");
  }
  if (!doc.comparisons_heading.empty()) {
    absl::StrAppend(&out, "<h2>", Escape(doc.comparisons_heading), "</h2>\n");
    if (doc.comparisons.empty()) absl::StrAppend(&out, "<p>无可比数据。</p>\n");
    for (const std::string& c : doc.comparisons) {
      absl::StrAppend(&out, "<p>", Escape(c), "</p>\n");
    }
  }
  if (!doc.missing.empty()) {
    absl::StrAppend(&out, "<p class=\"note\">", Escape(MissingNote(doc)), "</p>\n");
  }
  absl::StrAppend(&out, "<p class=\"signature\">", Escape(doc.bureau), "<br>", Escape(doc.date),
                  "</p>\n</body>\n</html>\n");
  return out;
}

}  // namespace civil::report
