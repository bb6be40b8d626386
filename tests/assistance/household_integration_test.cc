// Integration tests of the household registry: the department as assistance_server wires it
// (tests/support/assistance_testbed.h), in-process, over a real PostgreSQL and a real Redis
// started by the harness (tests/support/servers.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "civil/assistance/v1/household.grpc.pb.h"
#include "services/assistance/migrations.h"
#include "services/common/migrate.h"
#include "services/common/pg.h"
#include "services/common/redis.h"
#include "tests/support/assistance_testbed.h"
#include "tests/support/call_as.h"

namespace civil::assistance {
namespace {

using v1::HouseholdService;

// Valid ID numbers (GB 11643 check character), born on 1 January of `year`.
std::string IdNumber(int serial, int year = 1980) {
  return testbed::IdNumber(serial, year, "0101");
}

// A clerk of the county, with the token the gateway forwards.
const testbed::Who kCountyClerk{"clerk-1", "assistance.clerk", "340722"};
void Identify(grpc::ClientContext* context) {
  testing::CallAs(*context, {kCountyClerk.subject, kCountyClerk.roles, kCountyClerk.region});
}

// The household registry as assistance_server wires it (the testbed builds the department from
// assistance::Spec(): its store, its Redis read-through cache, its ID-view trail).
class HouseholdIntegrationTest : public testbed::AssistanceTestbed {
 protected:
  void SetUp() override {
    AssistanceTestbed::SetUp();
    stub_ = household_.get();
  }

  // The cache entry of a household, under the key the department's cache writes.
  absl::StatusOr<std::optional<std::string>> Cached(const std::string& household_id) {
    return redis_client_->Get("civil:assistance:household:v1:" + household_id);
  }

  grpc::Status Create(const std::string& region, std::vector<std::pair<std::string, int>> members,
                      v1::Household* out = nullptr) {
    v1::CreateHouseholdRequest request;
    request.set_region_code(region);
    request.set_area(civil::common::v1::AREA_RURAL);
    int i = 0;
    for (const auto& [id, relation] : members) {
      auto* m = request.add_members();
      m->set_name("成员" + std::to_string(i++));
      m->set_id_number(id);
      m->set_relation(static_cast<v1::Relation>(relation));
    }
    grpc::ClientContext context;
    Identify(&context);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::CreateHouseholdResponse response;
    grpc::Status status = stub_->CreateHousehold(&context, request, &response);
    if (out != nullptr) *out = response.household();
    return status;
  }

  grpc::Status Get(const std::string& id, v1::Household* out) {
    v1::GetHouseholdRequest request;
    request.set_household_id(id);
    grpc::ClientContext context;
    Identify(&context);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::GetHouseholdResponse response;
    grpc::Status status = stub_->GetHousehold(&context, request, &response);
    *out = response.household();
    return status;
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(*dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  HouseholdService::Stub* stub_ = nullptr;
};

TEST_F(HouseholdIntegrationTest, CreatesAndReadsAHouseholdWithEncryptedIds) {
  v1::Household created;
  ASSERT_TRUE(Create("340722100001", {{IdNumber(1), 1}, {IdNumber(2), 2}}, &created).ok());
  EXPECT_EQ(created.members_size(), 2);
  EXPECT_EQ(created.members(0).relation(), v1::RELATION_HEAD);
  EXPECT_EQ(created.members(0).id_number_masked(), "340722********" + IdNumber(1).substr(14));
  EXPECT_EQ(created.members(0).birth_date(), "1980-01-01");
  EXPECT_EQ(created.version(), 1);

  v1::Household read;
  ASSERT_TRUE(Get(created.household_id(), &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  // The clear ID number is nowhere in the table; the blind index finds the person.
  EXPECT_EQ(Count("SELECT count(*) FROM household_members WHERE position('" + IdNumber(1) +
                  "' in encode(id_cipher, 'escape')) > 0"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM household_members WHERE id_index = '" +
                  pii_->BlindIndex(IdNumber(1)) + "'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM household_history WHERE action = 'CREATED' AND "
                  "household_id = '" +
                  created.household_id() + "'"),
            1);
}

TEST_F(HouseholdIntegrationTest, RefusesAPersonActiveInAnotherHouseholdAndWritesNothing) {
  ASSERT_TRUE(Create("340722100001", {{IdNumber(10), 1}}).ok());
  const int64_t before = Count("SELECT count(*) FROM households");
  grpc::Status status = Create("340722100002", {{IdNumber(11), 1}, {IdNumber(10), 3}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(status.error_message(), "members[1].id_number: 340722********" +
                                        IdNumber(10).substr(14) +
                                        " is already an active member of another household");
  EXPECT_EQ(Count("SELECT count(*) FROM households"), before);
}

TEST_F(HouseholdIntegrationTest, ConcurrentRegistrationsOfOnePersonLetExactlyOneThrough) {
  std::atomic<int> ok{0}, exists{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      grpc::Status s = Create("340722100003", {{IdNumber(100 + t), 1}, {IdNumber(99), 3}});
      if (s.ok()) ++ok;
      if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) ++exists;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), 7);
}

TEST_F(HouseholdIntegrationTest, ReplacingMembersClosesLeaversAndInvalidatesTheCache) {
  v1::Household h;
  ASSERT_TRUE(Create("340722100004", {{IdNumber(20), 1}, {IdNumber(21), 3}}, &h).ok());
  v1::Household cached;
  ASSERT_TRUE(Get(h.household_id(), &cached).ok());  // now in Redis
  auto in_redis = Cached(h.household_id());
  ASSERT_TRUE(in_redis.ok() && in_redis->has_value());

  v1::UpdateHouseholdMembersRequest request;
  request.set_household_id(h.household_id());
  auto* head = request.add_members();
  head->set_name("户主");
  head->set_id_number(IdNumber(20));
  head->set_relation(v1::RELATION_HEAD);
  auto* newborn = request.add_members();
  newborn->set_name("新生");
  newborn->set_id_number(IdNumber(22, 2020));
  newborn->set_relation(v1::RELATION_CHILD);
  grpc::ClientContext context;
  Identify(&context);
  v1::UpdateHouseholdMembersResponse response;
  ASSERT_TRUE(stub_->UpdateHouseholdMembers(&context, request, &response).ok());
  EXPECT_EQ(response.household().version(), 2);
  EXPECT_EQ(response.household().members(0).member_id(), h.members(0).member_id());

  v1::Household read;
  ASSERT_TRUE(Get(h.household_id(), &read).ok());
  ASSERT_EQ(read.members_size(), 2);
  EXPECT_EQ(read.members(0).name(), "户主");
  EXPECT_EQ(read.members(1).name(), "新生");
  // The leaver's record is closed, not deleted, and the person may join another household.
  EXPECT_EQ(Count("SELECT count(*) FROM household_members WHERE NOT active AND household_id = '" +
                  h.household_id() + "'"),
            1);
  EXPECT_TRUE(Create("340722100005", {{IdNumber(21), 1}}).ok());
}

TEST_F(HouseholdIntegrationTest, ListsByRegionPrefixPageByPage) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Create("340722200001", {{IdNumber(200 + i), 1}}).ok());
  ASSERT_TRUE(Create("340722300001", {{IdNumber(210), 1}}).ok());
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListHouseholdsRequest request;
    request.set_region_prefix("340722200");
    request.set_page_size(2);
    request.set_page_token(token);
    grpc::ClientContext context;
    Identify(&context);
    v1::ListHouseholdsResponse response;
    ASSERT_TRUE(stub_->ListHouseholds(&context, request, &response).ok());
    for (const auto& h : response.households()) {
      EXPECT_EQ(h.region_code(), "340722200001");
      EXPECT_EQ(h.members_size(), 1);
      EXPECT_TRUE(seen.insert(h.household_id()).second);
    }
    token = response.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);

  v1::ListHouseholdsRequest bad;
  bad.set_page_token("garbage");
  grpc::ClientContext context;
  Identify(&context);
  v1::ListHouseholdsResponse response;
  grpc::Status status = stub_->ListHouseholds(&context, bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "page_token: is not a token this service issued");
}

TEST_F(HouseholdIntegrationTest, EnforcesIdentityRolesAndRegionScope) {
  v1::Household h;
  ASSERT_TRUE(Create("340722100009", {{IdNumber(60), 1}}, &h).ok());
  v1::GetHouseholdRequest get;
  get.set_household_id(h.household_id());
  v1::GetHouseholdResponse got;
  {
    grpc::ClientContext anonymous;
    EXPECT_EQ(stub_->GetHousehold(&anonymous, get, &got).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    // Identity metadata straight to the port, as from anyone on the network: not an identity.
    grpc::ClientContext forged;
    forged.AddMetadata("x-civil-subject", "mallory");
    forged.AddMetadata("x-civil-roles", "admin");
    forged.AddMetadata("x-civil-region", "*");
    EXPECT_EQ(stub_->GetHousehold(&forged, get, &got).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    v1::ListHouseholdsRequest list;
    v1::ListHouseholdsResponse households;
    grpc::ClientContext forged_list;
    forged_list.AddMetadata("x-civil-subject", "mallory");
    forged_list.AddMetadata("x-civil-roles", "admin");
    forged_list.AddMetadata("x-civil-region", "*");
    EXPECT_EQ(stub_->ListHouseholds(&forged_list, list, &households).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(households.households_size(), 0);
  }
  {
    grpc::ClientContext elsewhere;  // a clerk of another county
    testing::CallAs(elsewhere, {"clerk-9", "assistance.clerk", "340800"});
    EXPECT_EQ(stub_->GetHousehold(&elsewhere, get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext wrong_role;
    testing::CallAs(wrong_role, {"someone", "affairs.clerk", "340722"});
    EXPECT_EQ(stub_->GetHousehold(&wrong_role, get, &got).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext township;  // may not register outside its township
    testing::CallAs(township, {"clerk-2", "assistance.clerk", "340722200"});
    v1::CreateHouseholdRequest request;
    request.set_region_code("340722100009");
    request.set_area(civil::common::v1::AREA_RURAL);
    auto* m = request.add_members();
    m->set_name("甲");
    m->set_id_number(IdNumber(61));
    m->set_relation(v1::RELATION_HEAD);
    v1::CreateHouseholdResponse response;
    grpc::Status s = stub_->CreateHousehold(&township, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(s.error_message(),
              "region_code: region 340722100009 is outside your scope 340722200");
  }
}

TEST_F(HouseholdIntegrationTest, RejectsBadIdsWithTheFieldNamed) {
  v1::Household out;
  grpc::Status status = Get("not-a-uuid", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "household_id: must be a UUID");
  status = Get("00000000-0000-0000-0000-000000000001", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(HouseholdIntegrationTest, KeepsAnsweringReadsWhileRedisIsDown) {
  v1::Household h;
  ASSERT_TRUE(Create("340722100006", {{IdNumber(30), 1}}, &h).ok());
  redis_->Stop();
  v1::Household read;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Get(h.household_id(), &read).ok());
  // Falling back must not wait for a Redis timeout on every call.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(read.household_id(), h.household_id());
  EXPECT_TRUE(Create("340722100006", {{IdNumber(31), 1}}).ok());
  redis_->Start();
  // Once the client retries (its interval, 1 s by default), reads fill the cache again.
  bool cached_again = false;
  for (int i = 0; i < 50 && !cached_again; ++i) {
    ASSERT_TRUE(Get(h.household_id(), &read).ok());
    auto in_redis = Cached(h.household_id());
    cached_again = in_redis.ok() && in_redis->has_value();
    if (!cached_again) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(cached_again);
}

TEST_F(HouseholdIntegrationTest, SurvivesAPostgresRestartWithoutRestartingTheService) {
  v1::Household h;
  ASSERT_TRUE(Create("340722100007", {{IdNumber(40), 1}}, &h).ok());
  pg_->Stop();
  grpc::Status during = Create("340722100007", {{IdNumber(41), 1}});
  EXPECT_EQ(during.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(pool_->Ping().code(), absl::StatusCode::kUnavailable);
  pg_->Start();
  // The pool replaces its stale connections: the first calls after the restart succeed.
  EXPECT_TRUE(Create("340722100007", {{IdNumber(42), 1}}).ok());
  v1::Household read;
  EXPECT_TRUE(Get(h.household_id(), &read).ok());
  EXPECT_TRUE(pool_->Ping().ok());
}

TEST_F(HouseholdIntegrationTest, MigrationsApplyOnceEvenWhenReplicasStartTogether) {
  std::vector<std::thread> replicas;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      if (ApplyMigrations(*dsn_, "assistance", Migrations()).ok()) ++ok;
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(WithCommonMigrations(Migrations()).size()));
}

TEST_F(HouseholdIntegrationTest, TransactRetriesSerializationFailures) {
  {
    pqxx::connection c(*dsn_);
    pqxx::work txn(c);
    txn.exec("CREATE TABLE IF NOT EXISTS counter_test (id int PRIMARY KEY, n int NOT NULL)");
    txn.exec("INSERT INTO counter_test VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0");
    // The department's pool connects as the service's role (db_roles.h), which has the
    // privileges on the tables of the migrations only.
    txn.exec("GRANT SELECT, UPDATE ON counter_test TO civil_assistance_app");
    txn.commit();
  }
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        absl::Status s = pool_->Transact<pqxx::serializable>(
            [](pqxx::transaction_base& txn) {
              int n = txn.exec1("SELECT n FROM counter_test WHERE id = 1")[0].as<int>();
              txn.exec("UPDATE counter_test SET n = " + std::to_string(n + 1) + " WHERE id = 1");
              return absl::OkStatus();
            },
            20);
        if (!s.ok()) ++failed;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(Count("SELECT n FROM counter_test WHERE id = 1"), 40);
}

}  // namespace
}  // namespace civil::assistance
