# tests/soak.mk: `make soak`, the fuzzer for as long as asked (tests/soak.sh).
#
#   make soak                          10 minutes, master seed 1
#   make soak MINUTES=60 SEED=7 MEM=64 longer, another seed, 64 MiB of RAM
#   make soak CPUS=4 DEBUG=1 B=build/dsoak  four CPUs, a debug kernel (lock order checked)
#
# It prints the fuzzer's runs and calls per second as it goes, and passes
# if the kernel survives with nothing leaked; README.md says how to replay
# a failure from the seeds it prints.

MINUTES ?= 10
SEED ?= 1

.PHONY: soak

soak: deps all
	$(Q)tests/soak.sh $(B) $(MINUTES) $(SEED) $(or $(MEM),256) $(CPUS)
