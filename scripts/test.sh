#!/usr/bin/env bash
# Installs everything and runs every check: jsii compile (warnings are errors),
# unit and script tests, lint, and the podman end-to-end suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
bash scripts/install-deps.sh
npx projen compile
npx projen docgen
npx jest --ci --json --outputFile=test-reports/unit.json
npx projen eslint
npx projen e2e --json --outputFile=test-reports/e2e.json
node -e '
  const r = ["unit", "e2e"].map((n) => require(`./test-reports/${n}.json`));
  const passed = r.reduce((s, x) => s + x.numPassedTests, 0);
  const failed = r.reduce((s, x) => s + x.numFailedTests, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
'
