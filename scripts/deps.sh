#!/usr/bin/env bash
# Install the Debian packages Fable needs, only when something is missing.
# Called by `make run`, `make test` and the other targets that boot QEMU.
set -euo pipefail

# `deps.sh lwip DIR`: lwIP's source, for the network stack (docs/network.md,
# "lwIP from Debian"), unpacked into DIR/lwip once; the kernel's build asks
# for it only when the stack is built.
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# A deb-src entry for every archive apt already fetches binary packages
# from: the same URIs, suites and keys, in a file of Fable's own.
add_deb_src() {
	local d=/etc/apt/sources.list.d
	if [ -f $d/debian.sources ]; then
		sed -e '/^#/d' -e 's/^Types:.*/Types: deb-src/' $d/debian.sources |
			$SUDO tee $d/fable-deb-src.sources >/dev/null
	elif [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
			$SUDO tee $d/fable-deb-src.list >/dev/null
	fi
	$SUDO apt-get update -qq >&2
}

# apt-get source checks the .dsc and the tarballs against the archive's
# signed index (the Release file's key is in debian-archive-keyring);
# dpkg-source then checks the .dsc's own signature, the maintainer's,
# against debian-keyring, and each tarball against the .dsc's checksums.
fetch_lwip() {
	local dir=$1 tmp
	[ -f "$dir/lwip/.fable-fetched" ] && return 0
	command -v dpkg-source >/dev/null 2>&1 || $SUDO apt-get install -y -qq dpkg-dev >&2
	[ -f /usr/share/keyrings/debian-keyring.gpg ] ||
		$SUDO apt-get install -y -qq --no-install-recommends debian-keyring >&2
	apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip' || add_deb_src
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/lwip-src.XXXXXX")
	chmod 755 "$tmp"	# apt's download user writes there
	(cd "$tmp" && apt-get source -qq --download-only -o APT::Sandbox::User=root lwip >&2)
	rm -rf "$dir/lwip"
	dpkg-source --require-valid-signature -x "$tmp"/lwip_*.dsc "$dir/lwip" >/dev/null
	rm -rf "$tmp"
	touch "$dir/lwip/.fable-fetched"
}

if [ "${1-}" = lwip ]; then
	fetch_lwip "${2:?deps.sh lwip DIR}"
	exit 0
fi

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
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
