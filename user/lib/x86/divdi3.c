/*
 * divdi3.c: 64-bit division for user programs (docs/abi/userlib.md §7.4):
 * __divdi3, __moddi3, __udivdi3, __umoddi3, __udivmoddi4, __divmoddi4.
 * The kernel needs the same routines for the same reason; there is one
 * implementation, compiled here with the user flags.
 */
#include "../../../kernel/lib/divdi3.c"
