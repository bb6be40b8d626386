// The work summary as a Word document: the Markdown of render.h converted by pandoc (Debian's
// package, installed by deploy/local/deps.sh), run as a child process without a shell, with the
// Markdown and the .docx in a private temporary directory removed afterwards.
#pragma once

#include <chrono>
#include <string>

#include "absl/status/statusor.h"

namespace civil::report {

// The content type of a .docx file.
inline constexpr char kDocxContentType[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

// `markdown` as a .docx file's bytes (a ZIP: it starts "PK\x03\x04"), converted by `pandoc`
// (found on PATH unless a path is given) within `timeout`. FAILED_PRECONDITION "format: docx
// needs pandoc, which is not installed on the report service's host" when it cannot be run;
// DEADLINE_EXCEEDED when it takes longer (it is killed); INTERNAL when it fails otherwise.
absl::StatusOr<std::string> MarkdownToDocx(const std::string& markdown,
                                           std::chrono::milliseconds timeout,
                                           const std::string& pandoc = "pandoc");

}  // namespace civil::report
