// zlib (Debian: zlib1g-dev), for MNIST's .gz files.
#ifndef CONVTOUR_CZLIB_SHIM_H
#define CONVTOUR_CZLIB_SHIM_H
#include <zlib.h>
#endif
