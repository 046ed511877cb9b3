/* The common module: the version of the library actually loaded (see
 * include/vipa/common.h). */
#include "vipa/common.h"

long vipa_version_number(void)
{
    return VIPA_VERSION_NUMBER;
}

const char *vipa_version_string(void)
{
    return VIPA_VERSION_STRING;
}
