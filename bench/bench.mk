# bench/bench.mk: `make bench` (docs/performance.md).
#
#   make bench    guest instructions per operation under QEMU -icount, the
#                 shell's latency in ticks under load (hog), the table and
#                 $(B)/bench.json, and boot times to the prompt
#
#   make bench-smp  throughput of CPU-bound threads and of fork/exit loops at
#                 1, 2 and 4 CPUs under multi-threaded TCG, as ratios to 1 CPU,
#                 with the host's core count and load (tools/bench_smp.py;
#                 wall-clock, so not part of make test)
#
# The regression guard of make test is the scripted test bench_regression
# (tests/cases_bench.py), against bench/baseline.json.

bench: deps all $(B)/manifest
	$(Q)$(PYTHON) tools/bench.py --build $(B)

bench-smp: deps all
	$(Q)$(PYTHON) tools/bench_smp.py --build $(B)
