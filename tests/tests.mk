# tests/tests.mk: the test targets (docs/testing.md).
#
#   make test        deps, kernel, unit tests, then every test through the runner
#   make unit        only the native unit tests
#   make qtest       only the tests that boot QEMU (and the scripted ones)
#   make screenshot  boot and save the screen as docs/img/boot.png (README)
#
# T= selects tests by name or glob (make test T='panic_*'), J= sets how
# many run at once (default 2), V=1 also prints every test's logs, MEM=64
# boots every test with 64 MiB of RAM (default 256), CPUS=4 with four
# processors (every boot that names no count; default 1).

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
UNIT_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
               -Wall -Wextra -Werror -I. -Ikernel -Iinclude -MMD -MP

# The quotes keep the shell from expanding globs meant for the runner.
RUNNER := $(PYTHON) -m tests.runner --build $(B) $(if $(J),-j$(J)) \
          $(if $(filter 1,$(V)),-v) $(if $(MEM),--mem $(MEM)) $(if $(CPUS),--smp $(CPUS)) $(foreach t,$(T),'$(t)')

.PHONY: screenshot

# A unit test #includes the .c files it tests, named from the top of the
# tree (-I.: "kernel/mm/heap.c"): one file, one binary.
$(B)/unit/%: tests/unit/%.c
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -MF $@.d $< -o $@

-include $(UNIT_BIN:=.d)

test: deps all $(UNIT_BIN)
	$(Q)$(RUNNER)

unit: $(UNIT_BIN)
	$(Q)$(RUNNER) --kind unit

qtest: deps all
	$(Q)$(RUNNER) --kind ktest,panic,user,case

screenshot: deps all
	$(Q)$(PYTHON) -m tests.runner --build $(B) --screenshot docs/img/boot.png
