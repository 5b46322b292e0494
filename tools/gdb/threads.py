# tools/gdb/threads.py: what every CPU and every kernel thread is doing,
# for a kernel stopped under gdb (docs/testing.md, "When a test hangs").
#
#   gdb -q -batch build/fable.elf -ex 'target remote :1234' \
#       -ex 'source tools/gdb/threads.py'
#
# For each CPU (a gdb thread of QEMU's stub): its eip and a frame-pointer
# backtrace. For each thread in the kernel's tid hash (kernel/proc/proc.c):
# its tid, task, state, the flags that say why it waits, the wait queue
# holding it (by symbol when the queue is a global) and a backtrace from
# the registers swtch() saved on its stack (kernel/proc/switch.S
# pushes ebp, ebx, esi, edi above its return address).
import gdb

DEPTH = 16


def u32(addr):
    return int(gdb.parse_and_eval(f"*(unsigned int *){addr}")) & 0xFFFFFFFF


def where(addr):
    """addr as function+offset (gdb's info symbol), or hex."""
    try:
        s = gdb.execute(f"info symbol {addr:#x}", to_string=True).strip()
    except gdb.error:
        return f"{addr:#x}"
    if s.startswith("No symbol"):
        return f"{addr:#x}"
    return s.replace(" in section .text", "")


def backtrace(ebp, ret):
    """The return addresses from ret up an ebp chain, as symbols."""
    out = [where(ret)]
    for _ in range(DEPTH):
        if ebp == 0 or ebp & 3:
            break
        try:
            ret, ebp = u32(ebp + 4), u32(ebp)
        except gdb.error:
            break
        if ret == 0:
            break
        out.append(where(ret))
    return out


def cpus():
    for th in gdb.selected_inferior().threads():
        th.switch()
        eip = int(gdb.parse_and_eval("$eip")) & 0xFFFFFFFF
        ebp = int(gdb.parse_and_eval("$ebp")) & 0xFFFFFFFF
        print(f"CPU {th.num - 1}: eip {where(eip)}")
        for f in backtrace(ebp, eip)[1:]:
            print(f"    {f}")


def threads():
    table = gdb.parse_and_eval("tid_hash")
    n = table.type.range()[1] + 1
    for b in range(n):
        t = table[b]
        while int(t) != 0:
            show(t.dereference())
            t = t.dereference()["hnext"]


def show(t):
    wq = int(t["waitq"])
    print(f"tid {int(t['tid'])} task {int(t['task_id'])} {t['state']} "
          f"killed={int(t['killed'])} intr={int(t['intr'])} desched={t['desched']} "
          f"waitq={where(wq) if wq else 0}")
    if str(t["state"]) == "TS_RUNNING":
        print("    (on a CPU: see the CPUs above)")
        return
    ksp = int(t["ksp"])
    if ksp == 0:
        return
    try:
        ebp, ret = u32(ksp + 12), u32(ksp + 16)
    except gdb.error:
        return
    for f in backtrace(ebp, ret):
        print(f"    {f}")


cpus()
threads()
