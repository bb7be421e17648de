import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../lib/cli/main';

/**
 * Hostile input to the commands that read YAML: names and text that a terminal
 * would act on, YAML that expands without bound, files that are not files.
 * Each is refused or skipped with one line that names the file, never with a
 * stack trace or a hang.
 */

let dir: string;
const writers: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordered-input-'));
});
afterEach(() => {
  writers.splice(0).forEach((w) => w.kill());
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A named pipe at `file`. A reader that opens it blocks the whole process (the
 * test runner's timeout cannot interrupt a synchronous read), so a writer
 * opens and closes it after a while: a reader that blocks gets an empty file
 * in the end, and its test fails instead of hanging the run.
 */
function fifo(file: string): void {
  execFileSync('mkfifo', [file]);
  writers.push(spawn('sh', ['-c', 'sleep 20; : > "$1"', 'sh', file], { stdio: 'ignore' }));
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** Any character a terminal may act on, but a line feed. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const deployment = (name: string, annotation: string) => [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  `  name: ${JSON.stringify(name)}`,
  '  annotations:',
  `    ordered.cdk8s.io/dependencies: ${JSON.stringify(annotation)}`,
  'spec:',
  '  template:',
  '    spec:',
  '      containers: [{ name: main, image: "api:1" }]',
  '',
].join('\n');

describe('text from the YAML is shown escaped', () => {
  test('a workload name and an annotation with escape sequences: lint, plan and graph print them visibly', async () => {
    // GIVEN a workload whose name retitles the terminal and whose annotation is not JSON
    const file = join(dir, 'app.yaml');
    writeFileSync(file, deployment('api\u001b]0;owned\u0007', '[{"waiter": \u009b2J}]'));
    // WHEN lint, plan and graph read it
    const lint = await cli('lint', file);
    const plan = await cli('plan', file);
    const graph = await cli('graph', file);
    // THEN nothing a terminal acts on is printed, and what was there is shown
    for (const r of [lint, plan, graph]) {
      expect(r.stdout + r.stderr).not.toMatch(CONTROL);
      expect(r.code).toBe(1);
    }
    expect(lint.stdout).toContain('Deployment/api\\x1b]0;owned\\x07');
    expect(plan.stdout).toContain('Deployment/api\\x1b]0;owned\\x07');
  });

  test('fails when a file named with escape sequences is not YAML, naming it visibly (exit 2)', async () => {
    const file = join(dir, 'x\u001b[2J.yaml');
    writeFileSync(file, 'a: [\n');
    const r = await cli('lint', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cdk8s-ordered: '${join(dir, 'x\\x1b[2J.yaml')}' is not valid YAML: line 2, column 1: `
      + 'Flow sequence in block collection must be sufficiently indented and end with a ]\n');
  });
});

describe('YAML that expands without bound', () => {
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }

  test('fails when a file is an alias bomb (billion laughs): one line naming the file and the problem, exit 2', async () => {
    // GIVEN nine levels of nine aliases each (9^9 strings once expanded)
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, bomb.join('\n') + '\n');
    // WHEN lint reads it
    const r = await cli('lint', file);
    // THEN it refuses it in one line: no stack trace, no internal error name
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `cdk8s-ordered: '${file}' cannot be read: document 1 uses aliases beyond the limit of 1000 (a YAML alias bomb?)\n`,
    });
  });

  test('a manifest that reuses one anchor 200 times (more than the yaml package\'s default limit, 100) is read', async () => {
    // GIVEN a List whose 200 Secrets share the metadata labels of its first object through one anchor
    const file = join(dir, 'anchors.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: List', 'items:',
      '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: c, labels: &labels { app: api } } }',
      ...Array.from({ length: 200 }, (_, i) => `  - { apiVersion: v1, kind: Secret, metadata: { name: s${i}, labels: *labels } }`)].join('\n') + '\n');
    // WHEN lint reads it THEN every object is read
    expect(await cli('lint', file)).toMatchObject({ code: 0, stdout: 'no problems in 1 file (201 objects, 0 workloads)\n' });
  });
});

describe('files that are not regular files', () => {
  test('a named pipe called *.yaml in a folder is skipped, said on stderr, never opened (no hang)', async () => {
    // GIVEN a folder with a manifest and a named pipe that nothing writes to
    writeFileSync(join(dir, 'app.yaml'), deployment('api', '[]'));
    fifo(join(dir, 'pipe.yaml'));
    // WHEN lint reads the folder
    const r = await cli('lint', dir);
    // THEN it reads the manifest, and says what it skipped and why
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no problems in 1 file (1 object, 1 workload)\n');
    expect(r.stderr).toBe(`cdk8s-ordered: note: skipped '${join(dir, 'pipe.yaml')}': a named pipe, not a regular file\n`);
  });

  test('a symbolic link to a manifest is read; to a folder or a pipe, skipped', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'app.txt'), deployment('api', '[]'));
    fifo(join(dir, 'real', 'fifo'));
    symlinkSync(join(dir, 'real', 'app.txt'), join(dir, 'link.yaml'));
    symlinkSync(join(dir, 'real', 'fifo'), join(dir, 'fifo-link.yml'));
    symlinkSync(join(dir, 'real'), join(dir, 'folder.yaml'));
    const r = await cli('lint', dir);
    expect(r.stdout).toBe('no problems in 1 file (1 object, 1 workload)\n');
    expect(r.stderr).toBe([
      `cdk8s-ordered: note: skipped '${join(dir, 'fifo-link.yml')}': a named pipe, not a regular file`,
      `cdk8s-ordered: note: skipped '${join(dir, 'folder.yaml')}': a folder reached by a symbolic link, not a regular file`,
      '',
    ].join('\n'));
  });

  test('fails when every *.yaml of a folder is skipped: says so (exit 2)', async () => {
    fifo(join(dir, 'pipe.yaml'));
    const r = await cli('lint', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cdk8s-ordered: note: skipped '${join(dir, 'pipe.yaml')}': a named pipe, not a regular file\n`
      + `cdk8s-ordered: folder '${dir}' has no .yaml or .yml files; give the folder cdk8s synth wrote (e.g. dist/)\n`);
  });
});
