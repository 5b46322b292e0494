# kernel/kernel.mk: build rules for the kernel image.
#
# Every .c and .S file under kernel/ is part of the kernel, and so is the
# code it shares with the user library, lib/*.c; the interface it shares
# with user programs is include/fable/*.h (<fable/...>). The image is
# linked twice: the first link gives the addresses of all functions, which
# tools/ksyms.py turns into a symbol table (.ksyms, placed after the code so
# that code addresses do not move); the second link embeds that table, and
# panic() uses it to print function names in backtraces.

KSRC  := $(shell find kernel lib -name '*.c' -o -name '*.S' | LC_ALL=C sort)
KOBJ  := $(patsubst %,$(B)/%.o,$(KSRC))
# "dir/file.h" names kernel/dir/file.h, or for the shared code lib/file.h
# (-I.; kernel/lib/ and lib/ never hold files of the same name).
KCFLAGS := $(ARCHFLAGS) -std=gnu11 -O2 -g $(WARN) -Ikernel -Iinclude -I. \
           -mno-sse -mno-sse2 -mno-mmx -mno-80387 -fno-builtin \
           -fno-strict-aliasing -MMD -MP
# `make DEBUG=1`: the kernel also checks its invariants (kernel/debug/debug.h).
ifeq ($(DEBUG),1)
KCFLAGS += -DFABLE_DEBUG
endif
# gcc pads jump targets and loops with multi-byte nops, and those execute
# whenever the code falls through into the target (the trap path does, on
# every system call): the kernel is small, so it gives up the alignment.
# clang does not pad this way and does not accept all of these flags.
ifeq ($(findstring clang,$(CC)),)
KCFLAGS += -falign-jumps=1 -falign-labels=1 -falign-loops=1
endif
# The network stack (docs/network.md): lwIP's sources are not in the
# tree; scripts/deps.sh fetches Debian's lwip source package into
# $(B)/third_party/lwip (once), and the parts the kernel needs, IPv4
# with ARP, ICMP, UDP, TCP and DHCP over Ethernet, are compiled here with
# the kernel's flags. Fable's port (kernel/net/port/) supplies the
# headers lwIP asks of its platform.
LWIP       := $(B)/third_party/lwip
LWIP_STAMP := $(LWIP)/.fable-fetched
LWIP_SRC   := $(addprefix core/,def.c inet_chksum.c init.c ip.c mem.c memp.c netif.c \
                pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
              $(addprefix core/ipv4/,dhcp.c etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c) \
              netif/ethernet.c
LWIP_OBJ   := $(patsubst %,$(LWIP)/src/%.o,$(LWIP_SRC))
NET_INC    := -Ikernel/net/port/include -Ikernel/net/port/libc -I$(LWIP)/src/include
# lwIP's own code, not Fable's, is let off two warnings: -Wextra's
# unused parameters (its callbacks and stubs ignore arguments by design)
# and gcc's -Wtype-limits in range checks written for other word sizes.
LWIP_RELAX := -Wno-unused-parameter -Wno-type-limits
KOBJ += $(LWIP_OBJ)

$(LWIP_STAMP):
	$(Q)scripts/deps.sh lwip $(B)/third_party

$(LWIP)/src/%.c.o: $(LWIP_STAMP)
	$(Q)$(CC) $(KCFLAGS) $(NET_INC) $(LWIP_RELAX) -c $(LWIP)/src/$*.c -o $@

# Fable's port and glue see lwIP's headers; every warning applies.
$(B)/kernel/net/%.c.o: KCFLAGS += $(NET_INC)
$(filter $(B)/kernel/net/%,$(KOBJ)): $(LWIP_STAMP)

KLDFLAGS := -m elf_i386 -nostdlib -z noexecstack -T kernel/kernel.ld

# The RAM disk is linked in as one object; user/user.mk provides a real one.
RAMDISK_OBJ ?=

$(B)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/lib/%.c.o: lib/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/ksyms0.S:
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/ksyms.py /dev/null > $@

$(B)/%.S.o: $(B)/%.S
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/fable0.elf: $(KOBJ) $(RAMDISK_OBJ) $(B)/ksyms0.S.o kernel/kernel.ld
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(RAMDISK_OBJ) $(B)/ksyms0.S.o

$(B)/ksyms.S: $(B)/fable0.elf tools/ksyms.py
	$(Q)$(NM) -n $< | $(PYTHON) tools/ksyms.py - > $@

$(B)/fable.elf: $(B)/fable0.elf $(B)/ksyms.S.o
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(RAMDISK_OBJ) $(B)/ksyms.S.o
	@$(PYTHON) tools/ksyms.py --check $@

-include $(KOBJ:.o=.d)
