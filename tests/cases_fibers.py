"""The fiber library (user/lib/fiber/, docs/lie-fibers.md) on two
processors: the M:N scheduler's and the thread pool's tests again, with
their kernel threads running at the same time, not only in turns.
"""
from tests.runner import case


def on_two_cpus(s, name):
    s.boot(f"-- leakcheck -p {name}", smp=2)
    s.expect_test_pass(name)


@case(boot=False, timeout=90)
def fiber_mn_smp2(s):
    """fiber_mn with two CPUs."""
    on_two_cpus(s, "fiber_mn")


@case(boot=False, timeout=90)
def fiber_pool_smp2(s):
    """fiber_pool with two CPUs."""
    on_two_cpus(s, "fiber_pool")
