// libjpeg-turbo's TurboJPEG API (Debian: libturbojpeg0-dev), for reading JPEG images.
// TurboJPEG reports errors by return value, where libjpeg's default handler would exit().
#ifndef CONVTOUR_CJPEG_SHIM_H
#define CONVTOUR_CJPEG_SHIM_H
#include <turbojpeg.h>
#endif
