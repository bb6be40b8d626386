// childwelfare_server: the child-welfare department, assembled by the department kit.
#include "services/childwelfare/childwelfare.h"

int main() { return civil::RunDepartment(civil::childwelfare::Spec()); }
