#!/usr/bin/env bash
# engine verify's read rate against reading the same files with cat, same store, same script.
# Usage: bench/scripts/verify-speed.sh ipc/Engine.Host/bin/Release/net10.0/Engine.Host.dll /some/scratch/dir
# Commits 2,000,000 records of 100 bytes with `engine commit`, then times `engine verify` and a
# plain `cat` of the same files, each after dropping the page cache (cold) and again warm.
# Where /proc/sys/vm/drop_caches cannot be written (a container), each file of the store is
# dropped from the cache instead (dd iflag=nocache: POSIX_FADV_DONTNEED), which needs no privilege.
# Last, verify of a one-record store: the process's fixed cost (runtime start, JIT), which no
# store size pays back and which bounds the warm ratio on a store this small.
set -euo pipefail
engine="dotnet ${1:?path to Engine.Host.dll}"
store=${2:?a scratch directory for the store (deleted first)}
rm -rf "$store" "$store.tiny"
python3 -c "
import sys
body='x'*90
for i in range(2000000): sys.stdout.write(f'{i:09d} {body}\n')
" | $engine commit t --path "$store" --batch 1000 > /dev/null
echo one | $engine commit t --path "$store.tiny" > /dev/null
bytes=$(du -sb "$store" | cut -f1)
drop() {
  sync
  if ! { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
    find "$store" -type f -exec dd iflag=nocache count=0 status=none if={} \;
  fi
}
drop
t0=$(date +%s.%N); find "$store" -type f -exec cat {} + > /dev/null; t1=$(date +%s.%N)
drop
t2=$(date +%s.%N); $engine verify --path "$store" | tail -2; t3=$(date +%s.%N)
# warm cache, both: one untimed read first, so that "warm" means every page of every file is
# cached whatever the cold verify read (it stops at the zeros after the last frame, which cat
# reads too and the kernel fills in the cache the first time)
find "$store" -type f -exec cat {} + > /dev/null
t4=$(date +%s.%N); find "$store" -type f -exec cat {} + > /dev/null; t5=$(date +%s.%N)
t6=$(date +%s.%N); $engine verify --path "$store" > /dev/null; t7=$(date +%s.%N)
t8=$(date +%s.%N); $engine verify --path "$store.tiny" > /dev/null; t9=$(date +%s.%N)
python3 -c "
b=$bytes; cold_cat=$t1-$t0; cold_v=$t3-$t2; warm_cat=$t5-$t4; warm_v=$t7-$t6; tiny=$t9-$t8
print(f'store {b/1e6:.0f} MB; cold: cat {b/1e6/cold_cat:.0f} MB/s, verify {b/1e6/cold_v:.0f} MB/s ({cold_cat/cold_v:.2f}x of cat); warm: cat {b/1e6/warm_cat:.0f} MB/s, verify {b/1e6/warm_v:.0f} MB/s ({warm_cat/warm_v:.2f}x)')
print(f'times: cold cat {cold_cat*1e3:.0f} ms, verify {cold_v*1e3:.0f} ms; warm cat {warm_cat*1e3:.0f} ms, verify {warm_v*1e3:.0f} ms; verify of a one-record store {tiny*1e3:.0f} ms')
"
rm -rf "$store.tiny"
