# user/user.mk: build rules for user land (docs/userlib.md).
#
#   $(U)/include/                         the user include directory: user/include/*.h,
#                                         and include/fable/*.h as fable/*.h
#   $(U)/lib/crt0.o, $(U)/lib/libNAME.a   the user libraries (docs/abi/userlib.md §1.1);
#   $(U)/lib/contract.sh                  the contract's flags, for tools/fable-cc
#                                         libNAME.a is user/lib/NAME/*.c and *.S, and
#                                         the files of lib/ that ULIB_COMMON_NAME names
#   $(U)/bin/NAME.elf, $(U)/tests/NAME.elf programs, with symbols (for gdb)
#   $(U)/disk/NAME                        what the RAM disk holds: stripped
#                                         programs and user/data/* files
#   $(U)/ramdisk.o                        the RAM disk, linked into the kernel
#
# Every user/bin/*.c and user/tests/*.c (but testlib.c) is one program of
# the same name. Test programs also get user/tests/testlib.c, compiled with
# TEST_NAME set to the program's name.
#
#   make user        build the libraries, programs and RAM disk
#   make sdk PREFIX=dir  install the headers, crt0, libraries and
#                    tools/fable-cc into dir (default $(B)/sdk)
#   make RAMDISK_ADD=dir  also put the files of dir on the RAM disk
#   make user-check  check that every user header compiles alone under
#                    exactly the build contract's flags (part of make test)

U := $(B)/user

# The user build contract (docs/abi/image.md §2). Programs are compiled with
# exactly these flags (plus warnings), the libraries with -O2 for -O0.
UCONTRACT := -m32 -nostdinc -fno-builtin -fno-stack-protector \
	-fno-omit-frame-pointer -fno-pic -fcf-protection=none --std=gnu99 -O0 \
	-mpreferred-stack-boundary=2 -fno-strict-aliasing -fwrapv \
	-fno-delete-null-pointer-checks -D__STDC_NO_ATOMICS__
UOBJCOPY := -R .comment -R .note -R .note.gnu.property
ULDFLAGS := -static -Ttext 1000000 --entry=_main -melf_i386
USTRIP := strip

# The contract as each compiler spells it: clang spells
# -mpreferred-stack-boundary=2 as -mstack-alignment=4.
UCCFLAGS_gcc := $(UCONTRACT)
UCCFLAGS_clang := $(subst -mpreferred-stack-boundary=2,-mstack-alignment=4,$(UCONTRACT)) \
	--target=i386-pc-none-elf

ifneq ($(findstring clang,$(CC)),)
UCCFLAGS := $(UCCFLAGS_clang)
ULIBEXTRA :=
else
UCCFLAGS := $(UCCFLAGS_gcc)
# Keeps gcc from turning memset's own loop into a call to memset.
ULIBEXTRA := -fno-tree-loop-distribute-patterns
endif

UINC := $(U)/include
UPROGCFLAGS := $(UCCFLAGS) $(WARN) -I$(UINC) -MMD -MP
# The libraries also see the tree's top (-I.) for the headers of lib/.
ULIBCFLAGS := $(subst -O0,-O2,$(UCCFLAGS)) $(ULIBEXTRA) $(WARN) -I$(UINC) -I. -MMD -MP

# Compile $< with flags $(1), then strip the sections docs/abi/image.md §2 removes.
define ucompile
	@mkdir -p $(@D)
	$(Q)$(CC) $(1) -c $< -o $@
	$(Q)$(OBJCOPY) $(UOBJCOPY) $@ || { rm -f $@; exit 1; }
endef

# ---- the user include directory --------------------------------------------

# Programs see one include directory (docs/abi/image.md §2). The build
# installs it: the user library's headers, and the interface the kernel
# shares (include/fable/) under fable/, so that <syscall_int.h> can
# include <fable/syscall_int.h> with no second -I.
UHEADERS := $(patsubst user/include/%,$(UINC)/%,$(wildcard user/include/*.h)) \
	$(patsubst include/%,$(UINC)/%,$(wildcard include/fable/*.h))

$(UINC)/fable/%.h: include/fable/%.h
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(UINC)/%.h: user/include/%.h
	@mkdir -p $(@D)
	$(Q)cp $< $@

# ---- libraries -------------------------------------------------------------

ULIBS := syscall thread fiber autostack stdio stdlib string malloc x86
# The code the kernel shares (lib/), by the library it goes into.
ULIB_COMMON_stdio := lib/format.c lib/snprintf.c
ULIB_COMMON_string := lib/str.c
ULIB_COMMON_x86 := lib/divdi3.c
ulib_objs = $(patsubst user/%,$(U)/%.o,$(sort $(wildcard user/lib/$(1)/*.c user/lib/$(1)/*.S))) \
	$(patsubst lib/%,$(U)/common/%.o,$(ULIB_COMMON_$(1)))
UARCHIVES := $(patsubst %,$(U)/lib/lib%.a,$(ULIBS))
UCRT0 := $(U)/lib/crt0.o
ULIBOBJS := $(foreach l,$(ULIBS),$(call ulib_objs,$(l))) $(UCRT0)

define ulib_rule
$(U)/lib/lib$(1).a: $(call ulib_objs,$(1))
	$$(Q)rm -f $$@
	$$(Q)$$(AR) rcs $$@ $$^
endef
$(foreach l,$(ULIBS),$(eval $(call ulib_rule,$(l))))

# The installed headers come first (order only: the .d files record which
# ones each object reads).
$(U)/lib/%.c.o: user/lib/%.c | $(UHEADERS)
	$(call ucompile,$(ULIBCFLAGS))

$(U)/lib/%.S.o: user/lib/%.S | $(UHEADERS)
	$(call ucompile,$(ULIBCFLAGS))

$(U)/common/%.c.o: lib/%.c | $(UHEADERS)
	$(call ucompile,$(ULIBCFLAGS))

$(UCRT0): user/lib/crt0.c | $(UHEADERS)
	$(call ucompile,$(ULIBCFLAGS))

# ---- programs --------------------------------------------------------------

UBIN := $(patsubst user/bin/%.c,%,$(wildcard user/bin/*.c))
UTESTS := $(filter-out testlib,$(patsubst user/tests/%.c,%,$(wildcard user/tests/*.c)))
UDATA := $(notdir $(wildcard user/data/*))
UPROGOBJS := $(UBIN:%=$(U)/bin/%.o) $(UTESTS:%=$(U)/tests/%.o) \
	$(UTESTS:%=$(U)/tests/%.testlib.o)

$(U)/bin/%.o: user/bin/%.c | $(UHEADERS)
	$(call ucompile,$(UPROGCFLAGS))

$(U)/tests/%.o: user/tests/%.c | $(UHEADERS)
	$(call ucompile,$(UPROGCFLAGS))

$(U)/tests/%.testlib.o: user/tests/testlib.c | $(UHEADERS)
	$(call ucompile,$(UPROGCFLAGS) -DTEST_NAME='"$*"')

# Link as docs/abi/image.md §2 says: program objects, crt0.o, then every library.
ULINK = $(LD) $(ULDFLAGS) -o $@ $(filter %.o,$^) --start-group $(UARCHIVES) --end-group

$(U)/bin/%.elf: $(U)/bin/%.o $(UCRT0) $(UARCHIVES)
	$(Q)$(ULINK)

$(U)/tests/%.elf: $(U)/tests/%.o $(U)/tests/%.testlib.o $(UCRT0) $(UARCHIVES)
	$(Q)$(ULINK)

# Keep the objects and unstripped programs that pattern rules chain to.
.SECONDARY: $(UPROGOBJS) $(UBIN:%=$(U)/bin/%.elf) $(UTESTS:%=$(U)/tests/%.elf)

# ---- the RAM disk ----------------------------------------------------------

UDISK_BIN := $(UBIN:%=$(U)/disk/%)
UDISK_TESTS := $(UTESTS:%=$(U)/disk/%)
UDISK_DATA := $(UDATA:%=$(U)/disk/%)
UDISK := $(UDISK_BIN) $(UDISK_TESTS) $(UDISK_DATA)

# `make RAMDISK_ADD=dir` builds a kernel whose RAM disk also holds the
# files directly in dir, under their own names, as they are (programs
# built outside the tree with tools/fable-cc: docs/userlib.md). A name
# the tree's programs already use is refused by mkramdisk.py.
ifneq ($(RAMDISK_ADD),)
ifeq ($(wildcard $(RAMDISK_ADD)/.),)
$(error RAMDISK_ADD=$(RAMDISK_ADD): no such directory)
endif
UDISK_ADD := $(sort $(shell find $(RAMDISK_ADD)/ -mindepth 1 -maxdepth 1 -type f))
UDISK += $(UDISK_ADD)
endif

$(UDISK_BIN): $(U)/disk/%: $(U)/bin/%.elf
	@mkdir -p $(@D)
	$(Q)$(USTRIP) -o $@ $<

$(UDISK_TESTS): $(U)/disk/%: $(U)/tests/%.elf
	@mkdir -p $(@D)
	$(Q)$(USTRIP) -o $@ $<

$(UDISK_DATA): $(U)/disk/%: user/data/%
	@mkdir -p $(@D)
	$(Q)cp $< $@

# The file list, rewritten only when it changes, so that removing a
# program rebuilds the disk too.
$(U)/ramdisk.list: user-force
	@mkdir -p $(@D)
	@echo '$(sort $(UDISK))' | cmp -s - $@ || echo '$(sort $(UDISK))' > $@

$(U)/ramdisk.S: $(U)/ramdisk.list $(UDISK) tools/mkramdisk.py
	$(Q)$(PYTHON) tools/mkramdisk.py -o $@ $(UDISK)

# The generated file .incbin's the disk files: they are its dependencies.
$(U)/ramdisk.o: $(U)/ramdisk.S $(UDISK)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

RAMDISK_OBJ := $(U)/ramdisk.o
# kernel.mk read its prerequisites before this file set RAMDISK_OBJ.
$(B)/fable0.elf: $(RAMDISK_OBJ)

# ---- the SDK: building programs outside the tree ----------------------------

# tools/fable-cc builds a program kept anywhere under exactly the contract,
# against an SDK directory: include/, lib/crt0.o, lib/lib*.a and
# lib/contract.sh, the contract's flags written out for the shell, so that
# user.mk stays their only source. $(U) is such a directory; `make sdk`
# installs one into PREFIX, with bin/fable-cc and a README (docs/userlib.md,
# "Programs from outside the tree").
USDK_CONF := $(U)/lib/contract.sh
PREFIX ?= $(B)/sdk

$(USDK_CONF): user/user.mk
	@mkdir -p $(@D)
	$(Q)printf '%s\n' '# Generated by user/user.mk (docs/abi/image.md §2): do not edit.' \
		"FABLE_CFLAGS_gcc='$(strip $(UCCFLAGS_gcc))'" \
		"FABLE_CFLAGS_clang='$(strip $(UCCFLAGS_clang))'" \
		"FABLE_OBJCOPY_FLAGS='$(UOBJCOPY)'" \
		"FABLE_LDFLAGS='$(ULDFLAGS)'" > $@

all user: $(USDK_CONF)

sdk: $(UHEADERS) $(UCRT0) $(UARCHIVES) $(USDK_CONF)
	install -d $(PREFIX)/bin $(PREFIX)/include/fable $(PREFIX)/lib
	install -m 644 $(filter-out $(UINC)/fable/%,$(UHEADERS)) $(PREFIX)/include/
	install -m 644 $(filter $(UINC)/fable/%,$(UHEADERS)) $(PREFIX)/include/fable/
	install -m 644 $(UCRT0) $(UARCHIVES) $(USDK_CONF) $(PREFIX)/lib/
	install -m 755 tools/fable-cc $(PREFIX)/bin/
	install -m 644 tools/sdk-readme.txt $(PREFIX)/README

# ---- checks ----------------------------------------------------------------

UHDRCHECK := $(UHEADERS:$(UINC)/%.h=$(U)/hdrcheck/%.ok) \
	$(U)/hdrcheck/all-together.ok $(U)/hdrcheck/from-assembly.ok

# Each installed header alone (fable/*.h too), under exactly the
# contract's flags and the warnings, with the one include directory.
$(U)/hdrcheck/%.ok: $(UINC)/%.h $(UHEADERS)
	@mkdir -p $(@D)
	$(Q)echo '#include <$*.h>' | $(CC) $(UCCFLAGS) $(WARN) -I$(UINC) -x c -c - -o /dev/null
	@touch $@

$(U)/hdrcheck/all-together.ok: $(UHEADERS)
	@mkdir -p $(@D)
	$(Q)printf '#include <%s>\n' $(UHEADERS:$(UINC)/%=%) | \
		$(CC) $(UCCFLAGS) $(WARN) -I$(UINC) -x c -c - -o /dev/null
	@touch $@

# syscall_int.h and ureg.h must also serve assembly code.
$(U)/hdrcheck/from-assembly.ok: $(UHEADERS)
	@mkdir -p $(@D)
	$(Q)printf '#include <syscall_int.h>\n#include <ureg.h>\nint $$SWEXN_INT\n' | \
		$(CC) $(UCCFLAGS) -I$(UINC) -x assembler-with-cpp -c - -o /dev/null
	@touch $@

.PHONY: user user-check user-force sdk
user: $(UDISK)
user-check: $(UHDRCHECK)
test: user-check

-include $(ULIBOBJS:.o=.d) $(UPROGOBJS:.o=.d)
