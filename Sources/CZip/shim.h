// libzip (Debian: libzip-dev), for reading torch.save's zip files.
#ifndef CONVTOUR_CZIP_SHIM_H
#define CONVTOUR_CZIP_SHIM_H
#include <zip.h>
#endif
