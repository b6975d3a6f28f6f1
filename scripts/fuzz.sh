#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input (money, time, signatures, webhook events, JSON) with
# libFuzzer for a bounded time. Usage: scripts/fuzz.sh [SECONDS] (default 30).
#
# SwiftPM links executables through a renamed main, which libFuzzer's own main cannot replace,
# so this builds the harness with swiftc directly: PledgerCore, PledgerWebhooks and the harness
# compiled as one module with -sanitize=fuzzer. Inputs that crash are written to Fuzz/crashes/;
# copy them into Fuzz/corpus/ once fixed, where the plain build replays them (swift run PledgerFuzz Fuzz/corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Every Swift file of the two targets, subfolders (Core's Outbound/) included.
find Sources/PledgerCore Sources/PledgerWebhooks Sources/PledgerFuzz -name '*.swift' | while read -r file; do
    sed -e '/^import PledgerCore$/d' -e '/^import PledgerWebhooks$/d' "$file" \
        > "$work/$(echo "${file#Sources/}" | tr '/' '_')"
done
swiftc -sanitize=fuzzer -parse-as-library -D FUZZING -module-name PledgerFuzz -package-name Pledger -O \
    -Xcc -fmodule-map-file=Sources/COpenSSL/module.modulemap -I Sources/COpenSSL \
    "$work"/*.swift -o "$work/pledger-fuzz"
mkdir -p Fuzz/crashes
corpus="$work/corpus"
cp -r Fuzz/corpus "$corpus"
"$work/pledger-fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=5 \
    -artifact_prefix=Fuzz/crashes/ "$corpus" 2>&1 | tail -n 5
echo "fuzzed for ${seconds}s without a crash"
