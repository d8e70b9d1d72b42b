// libjpeg-turbo's libjpeg API (Debian: libjpeg-dev), for reading JPEG images.
#ifndef CONVTOUR_CJPEG_SHIM_H
#define CONVTOUR_CJPEG_SHIM_H
#include <stdio.h>
#include <jpeglib.h>
#endif
