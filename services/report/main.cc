// report_server: the bureau's work summary, assembled by the department kit.
#include "services/report/report.h"

int main() { return civil::RunDepartment(civil::report::Spec()); }
