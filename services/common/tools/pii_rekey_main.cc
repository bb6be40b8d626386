// civil-pii-rekey: rotates the PII key (CIVIL_PII_KEY) in every database of the platform, with the
// services stopped (services/common/pii_rekey.h; deploy/RUNBOOK.md "Rotate keys").
//
//   civil-pii-rekey --old-key-file old.key --new-key-file new.key \
//       --dsn "postgresql://owner@db/civil_assistance" --dsn … [--dry-run]
//
// The key files hold the 64 hex characters of each key (a trailing newline is fine). Prints one
// line per column rewritten and exits 0; exits 1 with the reason (nothing changed in the database
// named) otherwise.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "services/common/pii.h"
#include "services/common/pii_rekey.h"

namespace {

absl::StatusOr<civil::PiiProtector> KeyFrom(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read the key file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return civil::PiiProtector::FromHexKey(absl::StripAsciiWhitespace(text.str()));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Re-seal every ID number and re-compute every blind index under a new PII key"};
  std::string old_file, new_file;
  std::vector<std::string> dsns;
  bool dry_run = false;
  app.add_option("--old-key-file", old_file, "the key the databases were written with")->required();
  app.add_option("--new-key-file", new_file, "the key the services will start with")->required();
  app.add_option("--dsn", dsns, "a database of the platform (repeat for every one of them)")
      ->required();
  app.add_flag("--dry-run", dry_run, "do everything in rolled-back transactions and report");
  CLI11_PARSE(app, argc, argv);

  absl::StatusOr<civil::PiiProtector> old_key = KeyFrom(old_file);
  absl::StatusOr<civil::PiiProtector> new_key = KeyFrom(new_file);
  if (!old_key.ok() || !new_key.ok()) {
    std::cerr << "civil-pii-rekey: " << (!old_key.ok() ? old_key.status() : new_key.status())
              << "\n";
    return 1;
  }
  absl::StatusOr<civil::PiiRekeyReport> report = civil::RekeyPii(dsns, *old_key, *new_key, dry_run);
  if (!report.ok()) {
    std::cerr << "civil-pii-rekey: " << report.status().message() << "\n";
    return 1;
  }
  int64_t unmapped = 0;
  for (const civil::PiiRekeyColumn& c : report->columns) {
    std::cout << c.database << " " << c.table << "." << c.column << " "
              << (c.sealed ? "sealed" : "index") << ": rewritten " << c.rewritten
              << ", already new " << c.already_new;
    if (!c.sealed) std::cout << ", unmapped " << c.unmapped;
    std::cout << "\n";
    unmapped += c.unmapped;
  }
  if (unmapped > 0) {
    std::cout << unmapped
              << " indexes of persons no database holds an ID number for were left as they are\n";
  }
  if (report->dead_letters > 0) {
    std::cout << report->dead_letters
              << " dead-lettered events carry the old key's indexes: discard them, or replay "
                 "them before a rotation\n";
  }
  std::cout << (dry_run ? "dry run: nothing was changed\n"
                        : "done: start the services with the "
                          "new key\n");
  return 0;
}
