/*
 * ktest_sync.c: in-kernel tests of the kernel's locks (sync/).
 */
#include "debug/ktest.h"
#include "proc/thread.h"
#include "sync/mutex.h"

/* A mutex names its holder only while held. Between another thread's
 * fast-path swap and its naming itself, the lock is held by nobody named:
 * the last holder must not be taken for the owner then (its next
 * mutex_lock would assert "not recursive", mutex_held would lie). */
KTEST(mutex_owner)
{
	struct mutex m;
	mutex_init(&m, "test");
	mutex_lock(&m);
	KCHECK(mutex_held(&m) && m.owner == curthread());
	mutex_unlock(&m);
	KCHECK(!m.locked && m.owner == NULL);
	m.locked = 1;		/* another thread's swap, before it names itself */
	KCHECK(!mutex_held(&m));
	m.locked = 0;
	mutex_lock(&m);		/* and it is ours again, on the fast path */
	KCHECK(mutex_held(&m));
	mutex_unlock(&m);
}
