// governance_server: the grassroots-governance department, assembled by the department kit.
#include "services/governance/governance.h"

int main() { return civil::RunDepartment(civil::governance::Spec()); }
