/*
 * ureg.h: the register image the kernel hands to a swexn handler, and the
 * exception causes it reports (docs/abi/swexn.md §1), defined once in
 * <fable/ureg.h>. Usable from assembly: only the cause macros are
 * visible there.
 */
#ifndef _UREG_H
#define _UREG_H

#include <fable/ureg.h>

#endif /* _UREG_H */
