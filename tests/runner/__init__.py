"""Fable's test runner: boots the kernel in QEMU once per test.

Run it as `python3 -m tests.runner` from the top of the tree (make test
does); docs/testing.md describes it. Scripted tests in tests/cases.py use
the names exported here.
"""
from tests.runner.registry import Fail, Skip, case, check, expect_panic

__all__ = ["Fail", "Skip", "case", "check", "expect_panic"]
