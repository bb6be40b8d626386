// eldercare_server: the elderly-care department, assembled by the department kit.
#include "services/eldercare/eldercare.h"

int main() { return civil::RunDepartment(civil::eldercare::Spec()); }
