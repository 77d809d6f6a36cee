#ifndef KUBEID_CJWT_SHIM_H
#define KUBEID_CJWT_SHIM_H
#include <jwt.h>
#include <stdlib.h>
#include <errno.h>

/// Swift cannot read errno reliably across a call; libjwt reports failures through it.
static inline int cjwt_errno(void) { return errno; }
static inline void cjwt_set_errno(int value) { errno = value; }
#endif
