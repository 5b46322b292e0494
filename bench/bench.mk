# bench/bench.mk: `make bench` (docs/performance.md).
#
#   make bench    guest instructions per operation under QEMU -icount, the
#                 shell's latency in ticks under load (hog), the table and
#                 $(B)/bench.json, and boot times to the prompt
#
# The regression guard of make test is the scripted test bench_regression
# (tests/cases_bench.py), against bench/baseline.json.

bench: deps all
	$(Q)$(PYTHON) tools/bench.py --build $(B)
