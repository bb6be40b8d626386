// affairs_server: the social affairs department, assembled by the department kit.
#include "services/affairs/affairs.h"

int main() { return civil::RunDepartment(civil::affairs::Spec()); }
