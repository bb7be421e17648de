#!/usr/bin/env bash
# Installs everything and runs every check, as CI does (.ci/run):
# jsii compile (warnings are errors), API.md current, README examples compile,
# unit, example, script and language tests, the packed package in a new cdk8s
# project, schema validation of everything the tests synthesized, lint, and the
# podman end-to-end suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 ESLINT_USE_FLAT_CONFIG=false
mkdir -p test-reports

step() { printf '\n=== %s\n' "$*"; }

step "install"
bash scripts/install-deps.sh

step "jsii compile (warnings are errors)"
npx projen compile

step "type-check the tests, the e2e suite and the benchmark (ts-jest only transpiles them)"
npx tsc -p test/tsconfig.json --noEmit
npx tsc -p e2e/tsconfig.json --noEmit
npx tsc -p bench/tsconfig.json --noEmit

step "API.md is current"
npx projen docgen
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- API.md; then
  git --no-pager diff --stat -- API.md
  echo "API.md is stale: run 'npx projen docgen' and commit it" >&2
  exit 1
fi

step "README and doc-comment examples compile (jsii-rosetta)"
npx projen rosetta

step "unit, example, CLI and language tests"
rm -rf test-reports/manifests
npx jest --ci --testPathIgnorePatterns /node_modules/ /build/ /pkg/ test/scripts/ test/lifecycle.test.ts test/packed.test.ts --json --outputFile=test-reports/unit.json

step "install and first use: the packed package in a new project made by cdk8s init, outside the repository (about 2 minutes)"
npx jest --ci test/packed.test.ts --json --outputFile=test-reports/packed.json

step "waiter scripts, run for real with busybox and the real kubectl (one at a time, so latency is measured without contention)"
npx jest --ci --runInBand test/scripts/ test/lifecycle.test.ts --json --outputFile=test-reports/scripts.json

step "schema: every object the tests synthesized, strictly against the Kubernetes 1.27 and 1.34 API schemas"
TS_NODE_TRANSPILE_ONLY=1 npx ts-node -P test/tsconfig.json test/schema/validate-manifests.ts test-reports/manifests

step "lint"
npx eslint --ext .ts --no-error-on-unmatched-pattern lib test examples bench e2e scripts .projenrc.ts

step "end-to-end with podman"
npx jest --config e2e/jest.config.json --ci --runInBand --forceExit --json --outputFile=test-reports/e2e.json

node -e '
  const r = ["unit", "packed", "scripts", "e2e"].map((n) => require(`./test-reports/${n}.json`));
  const passed = r.reduce((s, x) => s + x.numPassedTests, 0);
  const failed = r.reduce((s, x) => s + x.numFailedTests, 0);
  const skipped = r.reduce((s, x) => s + x.numPendingTests, 0);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed ? 1 : 0);
'
