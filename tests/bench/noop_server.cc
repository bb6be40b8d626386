// Baseline for `make bench`: HouseholdService.GetHousehold answered with a fixed household, with
// no PostgreSQL or Redis behind it, on the same runner (interceptor, metrics, sync server) as the
// real service. Its throughput is what the cached read is measured against.
//
//   noop_server GRPC_ADDR METRICS_ADDR
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "civil/assistance/v1/household.grpc.pb.h"
#include "services/common/server.h"

namespace {

class NoopHouseholdService final : public civil::assistance::v1::HouseholdService::Service {
 public:
  NoopHouseholdService() {
    auto* h = canned_.mutable_household();
    h->set_household_id("00000000-0000-0000-0000-000000000001");
    h->set_region_code("340722100001");
    h->set_area(civil::common::v1::AREA_RURAL);
    h->set_version(1);
    auto* m = h->add_members();
    m->set_member_id("00000000-0000-0000-0000-000000000002");
    m->set_name("王大");
    m->set_id_number_masked("340722********0011");
    m->set_relation(civil::assistance::v1::RELATION_HEAD);
    m->set_birth_date("1975-06-15");
    m->set_sex("M");
  }
  grpc::Status GetHousehold(grpc::ServerContext*,
                            const civil::assistance::v1::GetHouseholdRequest* request,
                            civil::assistance::v1::GetHouseholdResponse* response) override {
    *response = canned_;
    response->mutable_household()->set_household_id(request->household_id());
    return grpc::Status::OK;
  }

 private:
  civil::assistance::v1::GetHouseholdResponse canned_;
};

}  // namespace

int main(int argc, char** argv) {
  civil::ServiceRunner runner("noop");
  if (argc != 3) {
    std::cerr << "usage: noop_server GRPC_ADDR METRICS_ADDR\n";
    return 2;
  }
  civil::ServiceConfig config;
  config.service = "noop";
  config.grpc_addr = argv[1];
  config.metrics_addr = argv[2];
  if (const char* threads = std::getenv("CIVIL_GRPC_THREADS"); threads != nullptr) {
    config.grpc_threads = std::max(1, std::atoi(threads));
  }
  NoopHouseholdService service;
  runner.AddService(&service, civil::assistance::v1::HouseholdService::service_full_name());
  absl::Status status = runner.Run(config);
  if (!status.ok()) {
    std::cerr << "noop_server: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
