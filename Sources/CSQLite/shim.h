// SQLite's C API for the online feature store (Debian: libsqlite3-dev).
#include <sqlite3.h>
