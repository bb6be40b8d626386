// A stand-in for the assistance department's EnrolmentCheckService in other departments'
// integration tests: it answers CheckEnrolment from facts the test sets, can be made slow (to
// drive a deadline), and remembers what it was asked and by whom. Like assistance, it verifies
// the caller's token (tests/support/call_as.h keys) and refuses a call without a valid one.
// Served on a free loopback port.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_join.h"
#include "civil/assistance/v1/programme.grpc.pb.h"
#include "tests/support/call_as.h"

namespace civil::testing {

class CannedAssistance final : public civil::assistance::v1::EnrolmentCheckService::Service {
 public:
  // Serves on 127.0.0.1:<free port>; address() tells where.
  CannedAssistance() {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
    address_ = "127.0.0.1:" + std::to_string(port);
  }
  ~CannedAssistance() override { server_->Shutdown(); }

  const std::string& address() const { return address_; }

  grpc::Status CheckEnrolment(grpc::ServerContext* context,
                              const civil::assistance::v1::CheckEnrolmentRequest* request,
                              civil::assistance::v1::CheckEnrolmentResponse* response) override {
    std::vector<civil::assistance::v1::EnrolmentFact> facts;
    int delay = 0;
    absl::StatusOr<Caller> caller = verifier_->Authenticate(*context);
    if (!caller.ok()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(caller.status().message()));
    }
    {
      std::lock_guard lock(mu_);
      ++calls_;
      last_roles_ = absl::StrJoin(caller->roles, ",");
      last_subject_ = caller->subject;
      last_as_of_ = request->as_of();
      last_programme_ = request->programme();
      facts = facts_[request->id_number()];
      delay = delay_ms_;
    }
    if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    for (const auto& f : facts) *response->add_enrolments() = f;
    return grpc::Status::OK;
  }

  // The person with ID number `id` is (or was) enrolled: their only fact from now on.
  void Enrol(const std::string& id, const std::string& enrolment_id,
             civil::assistance::v1::Programme programme, const std::string& start = "2022-01",
             const std::string& end = "", bool active = true) {
    civil::assistance::v1::EnrolmentFact f;
    f.set_enrolment_id(enrolment_id);
    f.set_programme(programme);
    f.set_start_month(start);
    f.set_end_month(end);
    f.set_active(active);
    std::lock_guard lock(mu_);
    facts_[id] = {f};
  }
  void SetDelay(int ms) {
    std::lock_guard lock(mu_);
    delay_ms_ = ms;
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::string last_subject() {
    std::lock_guard lock(mu_);
    return last_subject_;
  }
  std::string last_roles() {
    std::lock_guard lock(mu_);
    return last_roles_;
  }
  std::string last_as_of() {
    std::lock_guard lock(mu_);
    return last_as_of_;
  }
  int last_programme() {
    std::lock_guard lock(mu_);
    return last_programme_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<civil::assistance::v1::EnrolmentFact>> facts_;
  int delay_ms_ = 0;
  int calls_ = 0;
  std::string last_roles_;
  std::string last_subject_;
  std::unique_ptr<CallVerifier> verifier_ =
      *CallVerifier::Create("assistance", TestIdentity("assistance"));
  std::string last_as_of_;
  int last_programme_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace civil::testing
