// libpng (Debian: libpng-dev), for reading PNG images.
#ifndef CONVTOUR_CPNG_SHIM_H
#define CONVTOUR_CPNG_SHIM_H
#include <png.h>
#endif
