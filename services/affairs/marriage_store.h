// PostgreSQL access for marriage registration: marriages and their parties, divorce applications
// with their history, the end of a marriage by a death (a death hook), and the archive
// digitisation batches. All SQL of these tables lives here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/affairs/death.h"
#include "services/affairs/marriage.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"

namespace civil::affairs {

struct PartyRecord {
  int side = 1;  // 1 = party A, 2 = party B
  std::string name;
  std::string id_masked;
  absl::CivilDay birth_date;
  std::string sex;
};

struct MarriageRecord {
  std::string marriage_id;
  std::string region_code;
  absl::CivilDay registered_on;
  std::string certificate_number;
  std::string status;  // MARRIED, DIVORCED, ENDED_BY_DEATH
  std::optional<absl::CivilDay> ended_on;
  std::vector<PartyRecord> parties;
  int64_t create_time_micros = 0;
};

struct DivorceRecord {
  std::string application_id;
  std::string marriage_id;
  std::string region_code;
  DivorceFacts facts;
  int withdrawn_by = 0;  // side
  std::string certificate_number;
  std::vector<PartyRecord> parties;
  int64_t create_time_micros = 0;
};

struct ArchiveBatchRecord {
  std::string batch_id;
  std::string region_code;
  absl::CivilMonth covers_from;
  absl::CivilMonth covers_to;
  absl::CivilDay received_on;
  ArchiveTotals totals;                   // progress up to the as_of date asked for
  std::optional<absl::CivilDay> done_on;  // every file transferred (by as_of)
  int64_t create_time_micros = 0;
};

class MarriageStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  MarriageStore(PgPool* pool, const PiiProtector* pii);

  // Registers the marriage, its parties, a history row and a MarriageRegistered event per party,
  // in one transaction. FAILED_PRECONDITION naming the party when the platform records their
  // death, when they are currently married (bigamy, 民法典第1042条; also under concurrent calls),
  // or when a previous marriage of theirs ended after the registration date; ALREADY_EXISTS when
  // the certificate number is taken.
  absl::StatusOr<MarriageRecord> Register(const MarriageDraft& draft, const std::string& actor);

  // NOT_FOUND when there is no such marriage.
  absl::StatusOr<MarriageRecord> GetMarriage(const std::string& marriage_id);

  // Files an application for the current marriage between the two persons. FAILED_PRECONDITION
  // when they have no current marriage with each other or `date` is before the registration;
  // CheckNewApplication against earlier applications (earlier ones past their window are then
  // stored as WITHDRAWN_BY_LAW). `check_region` vets nothing here: the office region is the
  // caller's input, checked by the adapter.
  absl::StatusOr<DivorceRecord> ApplyDivorce(const IdNumber& a, const IdNumber& b,
                                             absl::CivilDay date, const RegionCode& region,
                                             const std::string& actor);

  // NOT_FOUND when there is no such application.
  absl::StatusOr<DivorceRecord> GetDivorce(const std::string& application_id);

  // Withdrawal by `side` (1/2) on `date` after CheckWithdrawal, under a row lock. `check_region`
  // is called with the application's region before anything is written.
  absl::StatusOr<DivorceRecord> WithdrawDivorce(
      const std::string& application_id, int side, absl::CivilDay date, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);

  // Completion on `date` after CheckCompletion: the application COMPLETED with its certificate
  // number, the marriage DIVORCED from `date`, a DivorceCompleted event per party.
  // ALREADY_EXISTS when the certificate number is taken.
  absl::StatusOr<DivorceRecord> CompleteDivorce(
      const std::string& application_id, absl::CivilDay date, const std::string& certificate_number,
      const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);

  // Applications within `region_prefix` after position `after`; with `state`, only those in that
  // state on `as_of`.
  absl::StatusOr<Page<DivorceRecord>> ListDivorces(const std::string& region_prefix,
                                                   std::optional<DivorceState> state,
                                                   absl::CivilDay as_of, int64_t after,
                                                   int page_size);

  // The death hook: ends the person's current marriage on the date of death (ENDED_BY_DEATH) and
  // terminates its open divorce application.
  absl::Status OnDeath(pqxx::transaction_base& txn, const Death& death);

  absl::StatusOr<ArchiveBatchRecord> CreateArchiveBatch(const ArchiveBatchDraft& draft,
                                                        const std::string& actor);
  // Adds progress after CheckArchiveProgress (FAILED_PRECONDITION), under a row lock; the date
  // must not be before the batch was received (FAILED_PRECONDITION).
  absl::StatusOr<ArchiveBatchRecord> RecordArchiveProgress(
      const std::string& batch_id, ArchiveStage stage, int64_t files, absl::CivilDay date,
      const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);
  absl::StatusOr<Page<ArchiveBatchRecord>> ListArchiveBatches(const std::string& region_prefix,
                                                              absl::CivilDay as_of, int64_t after,
                                                              int page_size);

 private:
  absl::StatusOr<MarriageRecord> LoadMarriage(pqxx::transaction_base& txn,
                                              const std::string& marriage_id);
  absl::StatusOr<DivorceRecord> LoadDivorce(pqxx::transaction_base& txn,
                                            const std::string& application_id, bool lock);
  std::vector<PartyRecord> Parties(pqxx::transaction_base& txn, const std::string& marriage_id);
  absl::StatusOr<ArchiveBatchRecord> LoadBatch(pqxx::transaction_base& txn,
                                               const std::string& batch_id, absl::CivilDay as_of);

  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::affairs
