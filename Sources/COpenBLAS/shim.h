// OpenBLAS's CBLAS header. Debian's libopenblas-dev installs it as <cblas.h> through
// update-alternatives; it also declares openblas_set_num_threads / openblas_get_num_threads.
#ifndef CONVTOUR_COPENBLAS_SHIM_H
#define CONVTOUR_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
