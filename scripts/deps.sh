#!/usr/bin/env bash
# Install the Debian packages Fable needs, only when something is missing.
# Called by `make run`, `make test` and the other targets that boot QEMU.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
# Debian keeps the file-system tools in /sbin, which a user's PATH lacks.
have_sbin() { have "$1" || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
have qemu-system-i386 || need+=(qemu-system-x86)
have grub-mkrescue    || need+=(grub-common)
[ -d /usr/lib/grub/i386-pc ] || need+=(grub-pc-bin)
have xorriso          || need+=(xorriso)
have mformat          || need+=(mtools)
have clang            || need+=(clang)
have ld.lld           || need+=(lld)
have chromium         || need+=(chromium)   # the browser check of the trace's SVG
# make disk, and the ext2 unit tests (the host's tools are the oracle).
{ have_sbin mke2fs && have_sbin e2fsck && have_sbin debugfs; } || need+=(e2fsprogs)

[ ${#need[@]} -eq 0 ] && exit 0

echo "deps: installing ${need[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
