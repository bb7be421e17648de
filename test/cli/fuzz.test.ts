import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { main } from '../../lib/cli/main';
import { recordedApp } from '../support/recorded-app';

/**
 * Hostile cluster objects for `status`, and hostile YAML for `lint` and
 * `plan`: control characters, huge strings, wrong types, missing fields,
 * items that are not objects, aliases and tags. Whatever the input, the CLI
 * exits with one of its codes, writes only `cdk8s-ordered: ` lines on stderr
 * (one line for an input error), never a stack trace, and never a character
 * a terminal would act on. The number of runs is bounded and the seed fixed,
 * so a failure reproduces and the test runner's timeout bounds a hang.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordered-fuzz-'));
  // A kubectl that prints the list in $FUZZ_LIST, as `kubectl get -o json` prints one.
  writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\ncat "$FUZZ_LIST"\n');
  chmodSync(join(dir, 'kubectl'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    now: () => Date.parse('2026-12-01T10:00:00Z'),
    env: { PATH: process.env.PATH, ...env },
  });
  return { code, stdout, stderr };
}

/** Any character a terminal may act on, but a line feed. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const STACK = /\n\s+at |TypeError|ReferenceError|RangeError|SyntaxError|Maximum call stack/;

/** What every run must hold: a known exit code, clean streams, one line per error. */
function expectClean(r: { code: number; stdout: string; stderr: string }, codes: number[]): void {
  expect(codes).toContain(r.code);
  expect(r.stdout + r.stderr).not.toMatch(STACK);
  expect(r.stdout).not.toMatch(CONTROL);
  expect(r.stderr).not.toMatch(CONTROL);
  for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^(cdk8s-ordered: |Run 'cdk8s-ordered --help'|.*: ORD\d{3} (error|warning) )/);
  if (r.code === 2 && r.stdout === '') expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
}

const CONTROLS = ['\u001b[2J', '\u001b]0;x\u0007', '\u009b31m', '\u202e', '\u2028', '\r', '\t', '\u0000', '\u007f'];
/** Values of the wrong type, hostile text, or huge. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, NaN, '', [], {}, [null], 'True', 'Always', 'OnDelete', 'x'.repeat(100_000)),
  fc.array(fc.constantFrom(...CONTROLS, 'a', ' ', '\n', 'ä'), { maxLength: 8 }).map((a) => a.join('')),
  fc.integer(),
  fc.string(),
  fc.dictionary(fc.constantFrom('type', 'status', 'name', 'kind', 'message', 'reason', 'controller'), fc.constantFrom(null, 'True', 1, [], 'x')),
);

/** A mutation: follow `path` (each step an index into the keys there) and replace or delete what is there. */
const mutation = fc.record({ path: fc.array(fc.nat(40), { minLength: 1, maxLength: 7 }), value: hostile, remove: fc.boolean() });

function mutate(root: any, m: { path: number[]; value: unknown; remove: boolean }): void {
  let cur = root;
  for (let i = 0; i < m.path.length; i++) {
    if (cur === null || typeof cur !== 'object') return;
    const keys = Object.keys(cur);
    if (keys.length === 0) return;
    const key = keys[m.path[i] % keys.length];
    const last = i === m.path.length - 1 || cur[key] === null || typeof cur[key] !== 'object';
    if (last) {
      if (m.remove && !Array.isArray(cur)) delete cur[key];
      else cur[key] = m.value;
      return;
    }
    cur = cur[key];
  }
}

const SCENARIOS = ['ready', 'waiting', 'failed', 'rolling-out', 'gate', 'escapes'];

describe('status over hostile cluster objects', () => {
  test('any mutation of recorded objects: a known exit code, one clean line per error, no stack trace, nothing raw', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...SCENARIOS),
      fc.array(mutation, { minLength: 1, maxLength: 12 }),
      fc.array(fc.oneof(hostile, fc.constant({ kind: 'Pod' }), fc.constant({ kind: 'Deployment', metadata: 'x' })), { maxLength: 3 }),
      fc.constantFrom('text', 'json'),
      async (scenario, mutations, extra, output) => {
        // GIVEN the objects of a recorded moment, mutated, with items that are not objects among them
        const items: any[] = structuredClone(recordedApp(scenario));
        for (const m of mutations) mutate(items, m);
        items.push(...extra);
        const list = join(dir, 'list.json');
        writeFileSync(list, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
        // WHEN status reads them
        const r = await cli(['status', '-A', '--kubectl', join(dir, 'kubectl'), '-o', output], { FUZZ_LIST: list });
        // THEN
        expectClean(r, [0, 1, 2, 3]);
        if (output === 'json' && r.stdout) expect(() => JSON.parse(r.stdout)).not.toThrow();
      },
    ), { seed: 20261207, numRuns: 200 });
  }, 120_000);

  test('fails when kubectl prints what is not a list: one line, exit 2', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), hostile.map((v) => JSON.stringify(v) ?? '')), async (text) => {
      const list = join(dir, 'list.json');
      writeFileSync(list, text);
      const r = await cli(['status', '--kubectl', join(dir, 'kubectl')], { FUZZ_LIST: list });
      expectClean(r, [2]);
    }), { seed: 20261207, numRuns: 40 });
  }, 60_000);
});

/** YAML-ish text: tokens that make the parser work, anchors and aliases, tags, control characters. */
const yamlText = fc.array(fc.oneof(
  fc.constantFrom('---\n', '- ', ': ', '{', '}', '[', ']', ',', '&a ', '*a', '&b [*a,*a,*a,*a]', '*b', '!!binary ', '!!str ', '!custom ',
    '? ', '|\n  ', '>\n  ', '"', "'", '#', '\n', '  ', 'kind: Deployment\n', 'metadata: {name: x}\n', 'kind: List\nitems: ',
    'apiVersion: apps/v1\n', '%YAML 1.2\n', '<<: *a\n', ...CONTROLS),
  fc.string({ maxLength: 10 }),
), { maxLength: 40 }).map((parts) => parts.join(''));

describe('lint and plan over hostile YAML', () => {
  test('any YAML-ish text: a known exit code, one clean line per error, no stack trace', async () => {
    await fc.assert(fc.asyncProperty(yamlText, fc.constantFrom('lint', 'plan'), async (text, command) => {
      const file = join(dir, 'input.yaml');
      writeFileSync(file, text);
      expectClean(await cli([command, file]), [0, 1, 2]);
    }), { seed: 20261207, numRuns: 300 });
  }, 120_000);

  test('recorded workloads with hostile fields, written as YAML: a known exit code, no stack trace', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...SCENARIOS),
      fc.array(mutation, { minLength: 1, maxLength: 10 }),
      async (scenario, mutations) => {
        const items: any[] = structuredClone(recordedApp(scenario)).filter((o: any) => o.kind !== 'Pod' && o.kind !== 'ReplicaSet');
        for (const m of mutations) mutate(items, m);
        const file = join(dir, 'app.yaml');
        writeFileSync(file, items.map((o) => stringify(o)).join('---\n'));
        for (const command of ['lint', 'plan', 'graph']) expectClean(await cli([command, file]), [0, 1, 2]);
      },
    ), { seed: 20261207, numRuns: 100 });
  }, 120_000);
});
