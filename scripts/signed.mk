# scripts/signed.mk: `make iso SIGNED=1`, the signed boot chain
# (docs/secure-boot.md).
#
#   make iso SIGNED=1      $(B)/fable-signed.iso: GRUB with the build's public
#                          key, enforcing signatures; the kernel (secure=1), the
#                          manifest and grub.cfg, each with a detached signature
#   make sign PROGS='a b'  the same, with programs built outside the tree
#                          (tools/fable-cc) in the manifest too
#
# The key pair is made once into $(B)/keys (never in the tree); the
# manifest lists the SHA-256 of every program of the RAM disk and the
# disk image's /bin and /tests (the same files).

KEYS := $(B)/keys
SIGNED_TREE := $(B)/iso-signed
MANIFEST_FILES = $(UDISK_BIN) $(UDISK_TESTS) $(UDISK_ADD) $(PROGS)

.PHONY: sign

$(KEYS)/pub.gpg: | deps
	$(Q)scripts/signed-iso keys $(KEYS)

# The list of programs, rewritten only when it changes (PROGS=).
$(B)/manifest.list: user-force
	@mkdir -p $(@D)
	@echo '$(sort $(MANIFEST_FILES))' | cmp -s - $@ || echo '$(sort $(MANIFEST_FILES))' > $@

$(B)/manifest: $(B)/manifest.list $(MANIFEST_FILES) scripts/signed-iso
	$(Q)scripts/signed-iso manifest $@ $(sort $(MANIFEST_FILES))

$(B)/fable-signed.iso: $(B)/fable.elf $(B)/manifest $(KEYS)/pub.gpg scripts/grub-signed.cfg \
		scripts/grub-early.cfg scripts/signed-iso | deps
	@rm -rf $(SIGNED_TREE) && mkdir -p $(SIGNED_TREE)/boot/grub
	$(Q)cp $(B)/fable.elf $(B)/manifest $(SIGNED_TREE)/boot/
	$(Q)cp scripts/grub-signed.cfg $(SIGNED_TREE)/boot/grub/grub.cfg
	$(Q)scripts/signed-iso sign $(KEYS) $(SIGNED_TREE)/boot/fable.elf \
		$(SIGNED_TREE)/boot/manifest $(SIGNED_TREE)/boot/grub/grub.cfg
	$(Q)scripts/signed-iso pack $(SIGNED_TREE) $(KEYS)/pub.gpg $@

sign: $(B)/fable-signed.iso
