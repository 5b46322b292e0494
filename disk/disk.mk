# disk/disk.mk: `make disk`, the ext2 image Fable's disk driver attaches.
#
#   make disk                       build $(DISK) (default $(B)/disk.img)
#   make disk ADD='dir1 dir2'       also copy the files of each dir onto it,
#                                   keeping their places: dir/bin/x is /bin/x
#   make disk BLOCK=1024 DISK_MB=16 block size (1024 or 4096) and size in MiB
#
# The image is staged in $(DISK_STAGE) (one stage per image name, so that
# two images can be made at once): disk/root/ (the sample files), the
# programs of user/bin/ (stripped) in /bin, the test programs in /tests,
# the book (every file of docs/: chapters and pictures) in /doc, then each ADD directory;
# tools/mkdisk.py turns the stage into an ext2 revision-1 image with mke2fs
# -d, byte for byte the same for the same stage. `make disk` always builds
# afresh: files written on the image under Fable are lost then.

DISK ?= $(B)/disk.img
DISK_MB ?= 64
BLOCK ?= 4096
DISK_STAGE = $(B)/disk-stage/$(notdir $(DISK))

.PHONY: disk
disk: deps $(UDISK_BIN) $(UDISK_TESTS) tools/mkdisk.py
	@rm -rf $(DISK_STAGE)
	@mkdir -p $(DISK_STAGE)/bin $(DISK_STAGE)/tests $(DISK_STAGE)/doc $(dir $(DISK))
	$(Q)cp -R disk/root/. $(DISK_STAGE)/
	$(Q)cp $(UDISK_BIN) $(DISK_STAGE)/bin/
	$(Q)cp $(UDISK_TESTS) $(DISK_STAGE)/tests/
	$(Q)cp -R docs/. $(DISK_STAGE)/doc/
	$(Q)$(foreach d,$(ADD),cp -R $(d)/. $(DISK_STAGE)/ &&) true
	$(Q)$(PYTHON) tools/mkdisk.py -o $(DISK) --mib $(DISK_MB) --block $(BLOCK) $(DISK_STAGE)
	@echo "disk: $(DISK), $(DISK_MB) MiB, $(BLOCK)-byte blocks"
