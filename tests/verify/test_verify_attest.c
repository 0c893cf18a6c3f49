/* placeholder */
#include "verify_fixture.h"
int main(void) { return 0; }
