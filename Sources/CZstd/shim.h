// Shim over libzstd (Debian: libzstd-dev). Only the simple one-shot API is used.
#include <zstd.h>
