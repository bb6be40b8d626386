// The steps of a grievance as a department's integration test takes them through the kit's
// GrievanceService (services/common/grievance_service.h): filed, assigned, answered and upheld;
// confirmed by a second reviewer when the reopening pays money.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "civil/grievance/v1/grievance.grpc.pb.h"
#include "tests/support/call_as.h"

namespace civil::testing {

class GrievanceSteps {
 public:
  GrievanceSteps(civil::grievance::v1::GrievanceService::Stub* stub, std::string department)
      : stub_(stub), department_(std::move(department)) {}

  // A reconsideration against `case_kind` `case_id` received on `received`, filed, assigned and
  // answered by `clerk`; then decided UPHELD by `reviewer`. Returns the decision's status; the
  // grievance (as decided, or as answered when the decision failed) in `*out`.
  grpc::Status Upheld(const std::string& case_kind, const std::string& case_id,
                      const std::string& received, const TestCaller& clerk,
                      const TestCaller& reviewer, civil::grievance::v1::Grievance* out) {
    namespace gv1 = civil::grievance::v1;
    gv1::CreateGrievanceRequest create;
    create.set_department(department_);
    create.set_kind(gv1::RECONSIDERATION);
    create.set_case_kind(case_kind);
    create.set_case_id(case_id);
    create.set_complainant("申请人");
    create.set_category("复核");
    create.set_received_on(received);
    gv1::CreateGrievanceResponse created;
    grpc::Status s =
        Call(clerk, [&](auto* c) { return stub_->CreateGrievance(c, create, &created); });
    if (!s.ok()) return s;
    *out = created.grievance();
    gv1::AssignGrievanceRequest assign;
    assign.set_department(department_);
    assign.set_grievance_id(out->grievance_id());
    assign.set_assignee("handler-1");
    gv1::AssignGrievanceResponse assigned;
    s = Call(clerk, [&](auto* c) { return stub_->AssignGrievance(c, assign, &assigned); });
    if (!s.ok()) return s;
    gv1::RespondGrievanceRequest respond;
    respond.set_department(department_);
    respond.set_grievance_id(out->grievance_id());
    respond.set_response("经复查，原决定依据不足");
    gv1::RespondGrievanceResponse responded;
    s = Call(clerk, [&](auto* c) { return stub_->RespondGrievance(c, respond, &responded); });
    if (!s.ok()) return s;
    *out = responded.grievance();
    gv1::DecideGrievanceRequest decide;
    decide.set_department(department_);
    decide.set_grievance_id(out->grievance_id());
    decide.set_outcome(gv1::UPHELD);
    gv1::DecideGrievanceResponse decided;
    s = Call(reviewer, [&](auto* c) { return stub_->DecideGrievance(c, decide, &decided); });
    if (s.ok()) *out = decided.grievance();
    return s;
  }

  // The second reviewer's confirmation.
  grpc::Status Confirm(const std::string& grievance_id, const TestCaller& reviewer,
                       civil::grievance::v1::Grievance* out) {
    civil::grievance::v1::ConfirmGrievanceRequest req;
    req.set_department(department_);
    req.set_grievance_id(grievance_id);
    civil::grievance::v1::ConfirmGrievanceResponse resp;
    grpc::Status s =
        Call(reviewer, [&](auto* c) { return stub_->ConfirmGrievance(c, req, &resp); });
    if (s.ok()) *out = resp.grievance();
    return s;
  }

 private:
  template <typename Fn>
  static grpc::Status Call(const TestCaller& as, Fn&& fn) {
    grpc::ClientContext context;
    PrepareCall(context, as);
    return fn(&context);
  }

  civil::grievance::v1::GrievanceService::Stub* stub_;
  std::string department_;
};

}  // namespace civil::testing
