# Fable: top-level Makefile.
#
# Everything is built under $(B) (default: build/). Each part of the tree has
# its own fragment: kernel/kernel.mk, user/user.mk, tests/tests.mk. This file
# holds only the toolchain and the targets a person types.
#
#   make            build the kernel image ($(B)/fable.elf)
#   make run        boot in QEMU with the VGA console (window or curses)
#   make run-serial boot with the serial console only
#   make gdb        boot QEMU stopped, waiting for GDB on :1234
#   make iso        build a GRUB rescue ISO ($(B)/fable.iso); SIGNED=1: the
#                   signed chain, $(B)/fable-signed.iso (scripts/signed.mk)
#   make disk       build the ext2 disk image ($(B)/disk.img; disk/disk.mk)
#   make sdk PREFIX=dir  install the SDK for programs outside the tree
#   make test       run every test (native unit tests and QEMU tests)
#   make bench      benchmarks: instructions per operation (docs/performance.md)
#   make trace RUN="racelies 3"   run a program traced: $(B)/trace.json, .svg
#   make docs-pictures            the book's timelines, docs/img/trace-*.svg
#   make bench-smp  throughput at 1, 2 and 4 CPUs, as ratios (docs/smp.md)
#   make clean      remove $(B)

B ?= build

# Toolchain (README.md): Debian 12's gcc 12 and binutils 2.40;
# `make CC=clang` builds with clang 14 (objects only; GNU ld links).
ifeq ($(origin CC),default)
CC := gcc
endif
LD      := ld
OBJCOPY := objcopy
NM      := nm
HOSTCC  ?= gcc
PYTHON  ?= python3

# Flags every 32-bit freestanding object shares (kernel and user).
ARCHFLAGS := -m32 -ffreestanding -fno-pie -fno-stack-protector \
             -fno-omit-frame-pointer -fno-pic
ifneq ($(findstring clang,$(CC)),)
ARCHFLAGS += --target=i386-pc-none-elf
endif
WARN := -Wall -Wextra -Werror

# `make V=1` shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

.DEFAULT_GOAL := all
.PHONY: all deps run run-serial gdb iso test unit qtest bench bench-smp trace docs-pictures clean

all: $(B)/fable.elf

include kernel/kernel.mk
-include user/user.mk
-include disk/disk.mk
-include tests/tests.mk
-include tests/soak.mk
-include bench/bench.mk
-include scripts/signed.mk

# deps.sh installs what is missing (QEMU, GRUB tools) and is quiet otherwise.
deps:
	@scripts/deps.sh

# CPUS=N gives the machine N processors (docs/smp.md); DISK=path attaches
# a raw disk image as hda (docs/storage.md). Without DISK=, the image of
# `make disk` (disk/disk.mk) is attached if it has been made.
CPUS ?= 1
# NET=1 gives the machine an e1000 on QEMU's user network, the host's
# 127.0.0.1:$(NET_PORT) forwarded to the guest's port 80, and has init
# start the web server beside the shell (docs/network.md).
NET_PORT ?= 8080
NET_OPT = $(if $(filter 1,$(NET)),--net $(NET_PORT) --append "-- init httpd")
DISK_OPT = $(if $(filter command line,$(origin DISK)),--disk $(DISK),$(if $(wildcard $(DISK)),--disk $(DISK)))

run: deps $(B)/fable.elf
	scripts/qemu --kernel $(B)/fable.elf --display auto --smp $(CPUS) $(DISK_OPT) $(NET_OPT)

run-serial: deps $(B)/fable.elf
	scripts/qemu --kernel $(B)/fable.elf --display none --smp $(CPUS) $(DISK_OPT) $(NET_OPT)

gdb: deps $(B)/fable.elf
	scripts/qemu --kernel $(B)/fable.elf --display none --gdb & \
	gdb -q $(B)/fable.elf -ex 'target remote :1234'

# The kernel trace (docs/performance.md, "The trace"): RUN is the program
# and its arguments, TRACE the event classes (and events=N for a bigger
# buffer: TRACE=sched,proc,events=131072).
RUN ?= racelies 3
TRACE ?= all

trace: deps all
	$(Q)$(PYTHON) tools/trace record --build $(B) --classes $(TRACE) $(RUN)

docs-pictures: deps all
	$(Q)$(PYTHON) tools/trace pictures --build $(B)

iso: $(if $(filter 1,$(SIGNED)),$(B)/fable-signed.iso,$(B)/fable.iso)

$(B)/fable.iso: $(B)/fable.elf scripts/grub.cfg | deps
	@mkdir -p $(B)/iso/boot/grub
	cp $(B)/fable.elf $(B)/iso/boot/fable.elf
	cp scripts/grub.cfg $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue --compress=xz --install-modules="multiboot normal configfile" \
		--locales= --fonts= --themes= -o $@ $(B)/iso 2>/dev/null

clean:
	rm -rf $(B)
