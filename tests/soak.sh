#!/usr/bin/env bash
# tests/soak.sh BUILD MINUTES SEED [MEM [CPUS]]: `make soak` (tests/soak.mk).
#
# Boots BUILD/fable.elf with the fuzzer (user/tests/fuzz.c) under
# leakcheck (user/bin/leakcheck.c) for MINUTES minutes, with master seed SEED, MEM MiB of RAM
# and CPUS processors (docs/smp.md),
# and shows the fuzzer's own lines as they come - runs, seeds, calls per
# second, leakcheck's counters - and a panic report if there is one. Everything the guest wrote
# (fuzzed print calls included) is kept in BUILD/soak.log. Exits 0 if
# the fuzzer passed and leaked nothing.
set -uo pipefail

build=$1 minutes=$2 seed=$3 mem=${4:-256} cpus=${5:-1}
log=$build/soak.log
limit=$((minutes * 60 + 300))	# a hang still ends, with status 124

echo "soak: fuzzing for $minutes min, seed $seed, $mem MiB, $cpus CPU(s); serial log in $log"
: >"$log"	# before tail looks for it
timeout -k 5 "$limit" scripts/qemu --kernel "$build/fable.elf" --mem "$mem" --smp "$cpus" \
	--display headless --append "panic=poweroff -- leakcheck -p fuzz minutes=$minutes seed=$seed" \
	-- -serial stdio >"$log" 2>&1 &
qemu=$!

# The fuzzer's lines (not the text of fuzzed print calls, which holds
# its format strings), and a panic report's registers and backtrace.
tail -n +1 -f --pid="$qemu" "$log" | stdbuf -oL tr -c '[:print:]\n' ' ' | awk '
	/^PANIC: / { panic = 1 }
	/^(fuzz: [^%]*|TEST (PASS|FAIL) fuzz|leakcheck: kstat .*|LEAKCHECK .*|PANIC: .*)$/ ||
	    (panic && /^( running: |  (eax|esi|eip|err)=|  #[0-9]+ )/) { print; fflush() }'

wait "$qemu"
status=$?
case $status in
33) echo "soak: PASS" ;;
37) echo "soak: kernel panic (report above; README.md says how to replay the call)" ;;
124) echo "soak: the guest hung: no verdict after $limit s (the last lines above)" ;;
*) echo "soak: FAIL (QEMU exit status $status)" ;;
esac
[ "$status" = 33 ]
