/*
 * assert.h: checks that end the task through panic() when they fail.
 *
 *   assert(e)              checked unless NDEBUG is defined
 *   affirm(e)              always checked
 *   reject(e)              panics if e is true
 *   affirm_msg(e, fmt, ..) always checked, with a printf-style message
 *   reject_msg(e, fmt, ..) panics with the message if e is true
 *
 * Like the C standard's, assert follows NDEBUG anew each time this header
 * is included.
 */
#ifndef _ASSERT_H
#define _ASSERT_H

void panic(const char *fmt, ...)
	__attribute__((__noreturn__, __format__(__printf__, 1, 2)));

#define __ASSERT_FAIL(what, e) \
	panic("%s:%d: %s failed: %s", __FILE__, __LINE__, what, #e)

#define affirm(e) ((e) ? (void)0 : __ASSERT_FAIL("affirm", e))
#define reject(e) ((e) ? __ASSERT_FAIL("reject", e) : (void)0)
#define affirm_msg(e, ...) ((e) ? (void)0 : panic(__VA_ARGS__))
#define reject_msg(e, ...) ((e) ? panic(__VA_ARGS__) : (void)0)

#endif /* _ASSERT_H */

#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __ASSERT_FAIL("assertion", e))
#endif
