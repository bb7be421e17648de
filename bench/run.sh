#!/usr/bin/env bash
# Runs the benchmark: `bash bench/run.sh [--quick] [--cases LIST] ...` (see bench/README.md).
# Compiles the library first when build/ is missing or older than lib/, then
# the benchmark (bench/*.ts and the test/support helpers it uses) into
# bench/out/, and runs it with node: no ts-node, no npm scripts.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build/index.js ] || [ -n "$(find lib -type f -newer build/index.js | head -n 1)" ]; then
  echo "bench: compiling the library (build/ is missing or older than lib/)" >&2
  npx projen compile >&2
fi

rm -rf bench/out
node node_modules/typescript/bin/tsc -p bench/tsconfig.build.json
# tsc also emits lib/, because the benchmark imports its types; what runs is build/, so the copy goes.
rm -rf bench/out/lib
# test/support/tools.ts looks for kubectl in .tools/ two folders above itself.
mkdir -p .tools
ln -s ../../.tools bench/out/.tools

# The exact command, for the report's header.
BENCH_COMMAND="bash bench/run.sh"
for arg in "$@"; do BENCH_COMMAND+=" $(printf '%q' "$arg")"; done
export BENCH_COMMAND
exec node --expose-gc bench/out/bench/run.js "$@"
