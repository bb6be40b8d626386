// PostgreSQL access for vagrant relief: cases with their history and outreach campaigns. All SQL
// of these tables lives here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/affairs/relief.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"

namespace civil::affairs {

struct ReliefCaseRecord {
  std::string case_id;
  std::string region_code;
  std::string place;
  absl::CivilDay intake_date;
  bool identity_known = false;
  std::string name;
  std::string id_masked;
  std::vector<std::string> services;  // stored names
  int family_tracing = 0;
  int outcome = 0;  // 0 while open
  std::optional<absl::CivilDay> closed_date;
  int64_t money_fen = 0;
  std::string note;
  int64_t create_time_micros = 0;
};

// How a case is closed (validated by the adapter).
struct CaseClosing {
  int outcome = 0;
  absl::CivilDay date;
  int family_tracing = 0;  // 0 = unchanged
  std::vector<std::string> services;
  int64_t additional_money_fen = 0;
};

struct CampaignRecord {
  std::string campaign_id;
  CampaignDraft campaign;
  int64_t create_time_micros = 0;
};

class ReliefStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  ReliefStore(PgPool* pool, const PiiProtector* pii);

  absl::StatusOr<ReliefCaseRecord> OpenCase(const ReliefCaseDraft& draft, const std::string& actor);
  // NOT_FOUND when there is none.
  absl::StatusOr<ReliefCaseRecord> GetCase(const std::string& case_id);
  // Closes an open case under a row lock (`check_region` vets its region first).
  // FAILED_PRECONDITION when it is closed already or `closing.date` is before the intake.
  absl::StatusOr<ReliefCaseRecord> CloseCase(
      const std::string& case_id, const CaseClosing& closing, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);
  absl::StatusOr<Page<ReliefCaseRecord>> ListCases(const std::string& region_prefix, bool open_only,
                                                   int64_t after, int page_size);

  absl::StatusOr<CampaignRecord> RecordCampaign(const CampaignDraft& draft,
                                                const std::string& actor);
  absl::StatusOr<Page<CampaignRecord>> ListCampaigns(const std::string& region_prefix,
                                                     int64_t after, int page_size);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::affairs
