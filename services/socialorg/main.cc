// socialorg_server: the social-organisations department, assembled by the department kit.
#include "services/socialorg/socialorg.h"

int main() { return civil::RunDepartment(civil::socialorg::Spec()); }
