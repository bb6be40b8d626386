// assistance_server: the social assistance department, assembled by the department kit.
#include "services/assistance/assistance.h"

int main() { return civil::RunDepartment(civil::assistance::Spec()); }
