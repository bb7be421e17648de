#!/usr/bin/env bash
# Copies the container shell into build/, in the folders it has under lib/:
# lib/sh/*.sh, and each check's lib/checks/<kind>/*.sh. lib/waiters.ts reads
# the files beside itself (build/ once compiled) when the module loads.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build/sh
rm -f build/checks/*/*.sh
for f in lib/sh/*.sh lib/checks/*/*.sh; do
  d=build/${f#lib/}
  mkdir -p "${d%/*}"
  cp "$f" "$d"
done
