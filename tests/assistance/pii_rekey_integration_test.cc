// The PII key's rotation (services/common/pii_rekey.h) against real PostgreSQL databases written
// by the running assistance service: a household registered under the old key is read back in
// full, and found by its ID number, by the service started with the new key; the index another
// database holds of the same person (a death registry's row) follows it; an index no database
// explains is left and counted; a rotation run again changes nothing; a database with events
// still in its outbox, or written with another key, is refused with nothing changed.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "services/common/pii_rekey.h"
#include "tests/support/assistance_testbed.h"

namespace civil::assistance::testbed {
namespace {

constexpr char kNewKey[] = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
constexpr char kOtherKey[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

class PiiRekeyIntegrationTest : public AssistanceTestbed {
 protected:
  // The service again, on the same database, under `key`.
  std::unique_ptr<DepartmentHost> StartWith(const std::string& key) {
    absl::StatusOr<std::unique_ptr<DepartmentHost>> host =
        DepartmentHost::Start(Spec(overrides_),
                              civil::testing::Trusting(TestServiceConfig(
                                  "assistance", *dsn_, "127.0.0.1", redis_->port(), key)),
                              {.clock = clock_, .start_events = false, .migrate = false});
    EXPECT_TRUE(host.ok()) << host.status();
    return host.ok() ? *std::move(host) : nullptr;
  }

  static PiiProtector Key(const std::string& hex) { return *PiiProtector::FromHexKey(hex); }

  int64_t CountIn(const std::string& dsn, const std::string& sql) {
    pqxx::connection c(dsn);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }
};

TEST_F(PiiRekeyIntegrationTest, EveryIdNumberAndIndexFollowsTheNewKeyAndNothingIsLost) {
  const std::string head = IdNumber(801, 1950), spouse = IdNumber(802, 1952);
  const v1::Household h = NewHousehold("340722100001", {{head, 1}, {spouse, 2}});
  ASSERT_FALSE(h.household_id().empty());
  const PiiProtector old_key = Key(civil::testing::kTestPiiKey), new_key = Key(kNewKey);

  // Another database of the platform holds indexes only: a death registered by the index a
  // department computed, and one of a person no database has an ID number of.
  const std::string other = pg_->CreateDatabase("civil_rekey_other");
  ASSERT_TRUE(ApplyMigrations(other, "other", WithCommonMigrations({})).ok());
  const std::string unknown = IdNumber(803, 1940);
  {
    pqxx::connection c(other);
    pqxx::work txn(c);
    for (const std::string& id : {head, unknown}) {
      txn.exec_params(
          "INSERT INTO death_registry (subject_index, subject_masked, date_of_death, upper_bound, "
          "source, record_kind, record_id) VALUES ($1, 'masked', '2023-06-01', false, "
          "'affairs', 'CREMATION', 'c-1')",
          old_key.BlindIndex(id));
    }
    txn.commit();
  }
  host_.reset();  // the services are stopped for a rotation

  // An event not yet relayed (it carries the old key's index): refused, nothing changed.
  const std::vector<std::string> dsns = {*dsn_, other};
  {
    pqxx::connection c(*dsn_);
    pqxx::work txn(c);
    txn.exec("INSERT INTO outbox (event_type, envelope) VALUES ('civil.events.v1.Test', '\\x00')");
    txn.commit();
  }
  const absl::StatusOr<PiiRekeyReport> refused = RekeyPii(dsns, old_key, new_key, false);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("events wait in the outbox"), std::string::npos)
      << refused.status();
  {
    pqxx::connection c(*dsn_);
    pqxx::work txn(c);
    txn.exec("UPDATE outbox SET published_at = now() WHERE published_at IS NULL");  // relayed
    txn.commit();
  }
  // Written with another key than the one given: refused, nothing changed.
  const absl::StatusOr<PiiRekeyReport> wrong = RekeyPii(dsns, Key(kOtherKey), new_key, false);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kDataLoss);
  const std::string members_of =
      "SELECT count(*) FROM household_members WHERE household_id = '" + h.household_id() + "'";
  const std::string under_old = members_of + " AND id_index IN ('" + old_key.BlindIndex(head) +
                                "', '" + old_key.BlindIndex(spouse) + "')";
  EXPECT_EQ(CountIn(*dsn_, under_old), 2);

  // A dry run tells and changes nothing.
  absl::StatusOr<PiiRekeyReport> dry = RekeyPii(dsns, old_key, new_key, true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(CountIn(*dsn_, under_old), 2);

  absl::StatusOr<PiiRekeyReport> done = RekeyPii(dsns, old_key, new_key, false);
  ASSERT_TRUE(done.ok()) << done.status();
  int64_t sealed = 0, indexes = 0, unmapped = 0;
  for (const PiiRekeyColumn& c : done->columns) {
    (c.sealed ? sealed : indexes) += c.rewritten;
    unmapped += c.unmapped;
    if (c.table == "household_members" && c.column == "id_cipher") EXPECT_EQ(c.rewritten, 2);
  }
  EXPECT_GE(sealed, 2);
  EXPECT_GE(indexes, 3);   // the two members, and the death registered elsewhere
  EXPECT_EQ(unmapped, 1);  // the unknown person's death
  EXPECT_EQ(CountIn(*dsn_, under_old), 0);
  EXPECT_EQ(CountIn(*dsn_, members_of + " AND id_index IN ('" + new_key.BlindIndex(head) + "', '" +
                               new_key.BlindIndex(spouse) + "')"),
            2);
  EXPECT_EQ(CountIn(other, "SELECT count(*) FROM death_registry WHERE subject_index = '" +
                               new_key.BlindIndex(head) + "'"),
            1);
  EXPECT_EQ(CountIn(other, "SELECT count(*) FROM death_registry WHERE subject_index = '" +
                               old_key.BlindIndex(unknown) + "'"),
            1);

  // The service under the new key reads the ID numbers in full and finds the persons by them.
  host_ = StartWith(kNewKey);
  ASSERT_NE(host_, nullptr);
  household_ = v1::HouseholdService::NewStub(host_->Channel());
  v1::GetHouseholdRequest get;
  get.set_household_id(h.household_id());
  get.set_reveal_reason("核对银行账户");
  v1::GetHouseholdResponse got;
  ASSERT_TRUE(household_->GetHousehold(As(kReviewer).get(), get, &got).ok());
  std::vector<std::string> ids;
  for (const auto& m : got.household().members()) ids.push_back(m.id_number());
  EXPECT_EQ(ids, (std::vector<std::string>{head, spouse}));
  v1::CreateHouseholdRequest again;
  again.set_region_code("340722100002");
  again.set_area(civil::common::v1::AREA_RURAL);
  v1::MemberInput* m = again.add_members();
  m->set_name("户主");
  m->set_id_number(head);
  m->set_relation(v1::RELATION_HEAD);
  v1::CreateHouseholdResponse duplicate;
  const grpc::Status s = household_->CreateHousehold(As(kClerk).get(), again, &duplicate);
  EXPECT_FALSE(s.ok()) << "the person is found by the new key's index";
  host_.reset();

  // Run again: nothing left under the old key, nothing changes.
  absl::StatusOr<PiiRekeyReport> twice = RekeyPii(dsns, old_key, new_key, false);
  ASSERT_TRUE(twice.ok()) << twice.status();
  for (const PiiRekeyColumn& c : twice->columns) {
    EXPECT_EQ(c.rewritten, 0) << c.database << " " << c.table << "." << c.column;
  }
  host_ = StartWith(civil::testing::kTestPiiKey);  // for the fixture's TearDown
}

}  // namespace
}  // namespace civil::assistance::testbed
