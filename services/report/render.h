// The work summary's document as text: Markdown (pasteable into an official document) and HTML
// printable on A4 (a print stylesheet, page margins, the bureau's name and the date at the end,
// as the seed ends). Pure: the Document of work_summary.h in, text out.
#pragma once

#include <string>

#include "services/report/work_summary.h"

namespace civil::report {

// `# title`, the intro, `## 一、…` with one paragraph per section (一)…(五), `## 二、…` with one
// paragraph per section and the flags of targets behind in bold, the departments that did not
// answer, then the bureau and the date on lines of their own.
std::string RenderMarkdown(const Document& doc);

// A whole HTML page (UTF-8) of the same text, with `@page { size: A4; margin: … }`, the body in
// a serif CJK font, and the signature right-aligned at the end. Text is HTML-escaped.
std::string RenderHtml(const Document& doc);

}  // namespace civil::report
