/* The C API, found on the include path that pkg-config's omnirtc.pc gives. */
#include <omnirtc.h>
