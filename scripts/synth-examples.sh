#!/usr/bin/env bash
# Re-synthesizes every example into its committed examples/<name>/dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in examples/*/; do
  rm -rf "${dir}dist"
  CDK8S_OUTDIR="${dir}dist" npx ts-node -P test/tsconfig.json "${dir}main.ts"
  echo "synthesized ${dir}dist"
done
