/* Run-time version queries. */
#include "common.h"

const char *gcent_version_string(void) { return GCENT_VERSION_STRING; }

unsigned gcent_version_number(void) { return GCENT_VERSION_NUMBER; }
