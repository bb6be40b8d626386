// PostgreSQL access for funeral administration: cremation records (with their PersonDeceased
// event in the outbox and the death hooks of the other aggregates, all in one transaction), fee
// schedules and funeral vehicle cases. All SQL of these tables lives here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/affairs/death.h"
#include "services/affairs/funeral.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"

namespace civil::affairs {

// A cremation as stored (ID number masked only).
struct CremationRecord {
  std::string cremation_id;
  std::string name;
  std::string id_masked;
  absl::CivilDay birth_date;
  std::string sex;
  absl::CivilDay date_of_death;
  absl::CivilDay cremation_date;
  std::string funeral_home;
  std::string region_code;
  std::string schedule_id;  // "" when no schedule covered the residence
  int64_t waived_fen = 0;
  std::string event_id;
  int64_t create_time_micros = 0;
};

struct VehicleCaseRecord {
  std::string case_id;
  std::string region_code;
  absl::CivilDay date;
  std::string plate_number;
  int violation = 0;
  int outcome = 0;
  int64_t fine_fen = 0;
  std::string agencies;
  std::string note;
  int64_t create_time_micros = 0;
};

class FuneralStore {
 public:
  // Prepares the statements on `pool`; none is owned. `death_hooks` run inside the cremation
  // transaction (stopping subsidies, ending a marriage); an error from one aborts the record.
  // `deaths` is the department's death registry (null: the store keeps one of its own).
  FuneralStore(PgPool* pool, const PiiProtector* pii, std::vector<DeathHook> death_hooks,
               DeathRegistry* deaths = nullptr);

  // Records a cremation in one transaction: chooses the fee schedule (SelectFeeSchedule) among
  // those stored, inserts the record with the waived amount, records the death in the registry
  // (which writes a PersonDeceased event to the outbox when the death is new or earlier than
  // the one known) and then runs the death hooks from the registry's date. ALREADY_EXISTS
  // "id_number: <masked> was already cremated on <date>" for a second record of the same person
  // (also under concurrent calls).
  absl::StatusOr<CremationRecord> RecordCremation(const CremationDraft& draft,
                                                  const std::string& actor);

  // NOT_FOUND when there is no such record.
  absl::StatusOr<CremationRecord> GetCremation(const std::string& cremation_id);

  // Records with region code starting with `region_prefix`, cremated within [from, to] (each
  // optional), listed after position `after`, at most `page_size`, oldest entry first.
  absl::StatusOr<Page<CremationRecord>> ListCremations(const std::string& region_prefix,
                                                       std::optional<absl::CivilDay> from,
                                                       std::optional<absl::CivilDay> to,
                                                       int64_t after, int page_size);

  // Stores a new schedule. ALREADY_EXISTS when the prefix has one from the same date.
  absl::StatusOr<FeeSchedule> AddFeeSchedule(const FeeSchedule& schedule, const std::string& actor,
                                             int64_t* create_time_micros);

  // Schedules whose prefix starts with `region_prefix`, by prefix then date.
  absl::StatusOr<std::vector<std::pair<FeeSchedule, int64_t>>> ListFeeSchedules(
      const std::string& region_prefix);

  absl::StatusOr<VehicleCaseRecord> RecordVehicleCase(const VehicleCaseDraft& draft,
                                                      const std::string& actor);
  absl::StatusOr<Page<VehicleCaseRecord>> ListVehicleCases(const std::string& region_prefix,
                                                           int64_t after, int page_size);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  std::vector<DeathHook> death_hooks_;
  std::unique_ptr<DeathRegistry> own_deaths_;
  DeathRegistry* deaths_;
};

}  // namespace civil::affairs
