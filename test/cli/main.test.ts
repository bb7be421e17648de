import { execFileSync, spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { build } from '../../examples/db-api/main';
import { OrderedApp } from '../../lib';
import { load } from '../../lib/cli/input';
import { entryCheck } from '../../lib/contract';
import { planOf } from '../../lib/lint/model';
import { cli, DB_API, F, pinFix, root } from '../support/cli';


describe('cdk8s-ordered on the db-api example', () => {
  test('graph (Mermaid)', async () => {
    expect(await cli('graph', 'examples/db-api/dist')).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'flowchart LR',
        '  w0["StatefulSet/shop-db-c845ee8c"]',
        '  w1["Job/shop-migrate-c8478881"]',
        '  w2["Deployment/shop-api-c8f8f8d3"]',
        '  p0(["Secret api-tls exists"])',
        '  w1 -->|"rollout, then service shop-db-service-c8d401bb ports 5432"| w0',
        '  w2 -->|"rollout, then service shop-db-service-c8d401bb ports 5432"| w0',
        '  w2 -->|"job shop-migrate-c8478881 in namespace shop complete"| w1',
        '  w2 -->|"waits for (timeout 600s, then fail)"| p0',
        '',
      ].join('\n'),
    });
  });

  test('graph --format dot', async () => {
    expect(await cli('graph', '--format', 'dot', DB_API)).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'digraph startup {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  w0 [label="StatefulSet/shop-db-c845ee8c"];',
        '  w1 [label="Job/shop-migrate-c8478881"];',
        '  w2 [label="Deployment/shop-api-c8f8f8d3"];',
        '  p0 [label="Secret api-tls exists", shape=ellipse, style=dashed];',
        '  w1 -> w0 [label="rollout, then service shop-db-service-c8d401bb ports 5432"];',
        '  w2 -> w0 [label="rollout, then service shop-db-service-c8d401bb ports 5432"];',
        '  w2 -> w1 [label="job shop-migrate-c8478881 in namespace shop complete"];',
        '  w2 -> p0 [label="waits for (timeout 600s, then fail)"];',
        '}',
        '',
      ].join('\n'),
    });
  });

  test('the graph read from YAML has the edges the library drew (toMermaid)', async () => {
    const chart = build(new App());
    const ordered = chart.node.findAll().find((c): c is OrderedApp => c instanceof OrderedApp)!;
    const labels = (mermaid: string) => [...mermaid.matchAll(/-->\|"([^"]*)"\|/g)].map((m) => m[1].replace(/ \(timeout .*\)$/, ''));
    expect(labels((await cli('graph', DB_API)).stdout)).toEqual(labels(ordered.toMermaid()));
  });

  test('plan', async () => {
    expect(await cli('plan', 'examples/db-api/dist')).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Startup plan: 3 workloads in 3 waves, 1 precondition',
        '',
        'WAVE  WORKLOAD                      WAITS FOR',
        '0     StatefulSet/shop-db-c845ee8c  -',
        '1     Job/shop-migrate-c8478881     StatefulSet/shop-db-c845ee8c: rollout, then service shop-db-service-c8d401bb ports 5432',
        '2     Deployment/shop-api-c8f8f8d3  StatefulSet/shop-db-c845ee8c: rollout, then service shop-db-service-c8d401bb ports 5432',
        '                                    Job/shop-migrate-c8478881: job shop-migrate-c8478881 in namespace shop complete',
        '                                    precondition: Secret api-tls exists (timeout 600s, then fail)',
        '',
        'Critical path: StatefulSet/shop-db-c845ee8c -> Job/shop-migrate-c8478881 -> Deployment/shop-api-c8f8f8d3',
        '',
      ].join('\n'),
    });
  });

});

describe('cdk8s-ordered on every committed example', () => {
  const examples = readdirSync(join(root, 'examples')).filter((e) => existsSync(join(root, 'examples', e, 'dist'))).sort();

  test.each(examples)('%s: one graph edge per annotation entry, a plan, and no lint errors', async (example) => {
    const dist = `examples/${example}/dist`;
    const yaml = readdirSync(join(root, dist)).map((f) => readFileSync(join(root, dist, f), 'utf8')).join('\n');
    const entries = [...yaml.matchAll(/ordered\.cdk8s\.io\/dependencies: '(.*)'/g)].flatMap((m) => JSON.parse(m[1].replace(/''/g, '\'')));
    const graph = (await cli('graph', dist));
    expect(graph.code).toBe(0);
    expect(graph.stdout.match(/-->/g) ?? []).toHaveLength(entries.length);
    for (const e of entries) expect(graph.stdout).toContain(e.target ? `"${entryCheck(e)}` : `(["${e.check}"])`);
    if (entries.length === 0) expect(graph.stderr).toMatch(/note: no cdk8s-ordered annotations/);
    const plan = (await cli('plan', dist));
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^Startup plan: /);
    expect(plan.stdout).toMatch(/\nCritical path: .+\n$/);
    // every example is clean, warnings included
    const lint = (await cli('lint', '--strict', dist));
    expect(lint.code).toBe(0);
    expect(lint.stdout).toMatch(/^no problems in 1 file/);
  });

  test('the examples carry the dependencies annotation', async () => {
    const annotated = examples.filter((e) => readdirSync(join(root, 'examples', e, 'dist'))
      .some((f) => readFileSync(join(root, 'examples', e, 'dist', f), 'utf8').includes('ordered.cdk8s.io/dependencies')));
    expect(annotated).toEqual(['db-api', 'graceful-shutdown', 'migration-job', 'readiness-gate', 'voting-app']);
  });

  test('plan: ties go to the first workload in the YAML, then to the first-declared dependency', async () => {
    expect((await cli('plan', 'examples/graceful-shutdown/dist')).stdout).toBe([
      'Startup plan: 4 workloads in 2 waves',
      '',
      'WAVE  WORKLOAD                         WAITS FOR',
      '0     StatefulSet/jobs-db-c8ee499d     -',
      '0     StatefulSet/jobs-queue-c822c595  -',
      '1     Deployment/jobs-api-c8f80439     StatefulSet/jobs-db-c8ee499d: rollout, then service jobs-db-service-c85f0f0c ports 5432',
      '                                       StatefulSet/jobs-queue-c822c595: rollout, then service jobs-queue-service-c8092e98 ports 5672',
      '1     Deployment/jobs-worker-c8e69cbf  StatefulSet/jobs-queue-c822c595: rollout, then service jobs-queue-service-c8092e98 ports 5672',
      '                                       StatefulSet/jobs-db-c8ee499d: rollout, then service jobs-db-service-c85f0f0c ports 5432',
      '',
      'Critical path: StatefulSet/jobs-db-c8ee499d -> Deployment/jobs-api-c8f80439',
      '',
    ].join('\n'));
  });

  test('timeouts and onTimeout: proceed are shown on the edge', async () => {
    expect((await cli('plan', 'examples/migration-job/dist')).stdout).toContain(
      'Deployment/billing-cache-c86065ad: rollout, then service billing-cache ports 6379 (timeout 30s, then proceed)');
  });
});

describe('cdk8s-ordered on a clean app in two files', () => {
  test('a folder is read as every *.yaml and *.yml inside, sorted (other files ignored)', async () => {
    const model = load([join(root, F, 'app')]);
    expect(model.files.map((f) => f.slice(root.length + 1))).toEqual([`${F}/app/a-data.yml`, `${F}/app/b-app.yaml`]);
  });

  test('graph: one node per precondition, shared by the workloads that wait for it', async () => {
    expect((await cli('graph', `${F}/app`)).stdout).toBe([
      'flowchart LR',
      '  w0["StatefulSet/db"]',
      '  w1["Job/migrate-1a2b3c4d"]',
      '  w2["Deployment/api"]',
      '  w3["Deployment/worker"]',
      '  p0(["Secret api-tls exists"])',
      '  w1 -->|"service db ports 5432"| w0',
      '  w2 -->|"service db ports 5432"| w0',
      '  w2 -->|"job migrate-1a2b3c4d complete"| w1',
      '  w3 -->|"job migrate-1a2b3c4d complete"| w1',
      '  w2 -->|"waits for (timeout 600s, then fail)"| p0',
      '  w3 -->|"waits for"| p0',
      '',
    ].join('\n'));
  });

  test('plan', async () => {
    expect(await cli('plan', `${F}/app`)).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Startup plan: 4 workloads in 3 waves, 1 precondition',
        '',
        'WAVE  WORKLOAD              WAITS FOR',
        '0     StatefulSet/db        -',
        '1     Job/migrate-1a2b3c4d  StatefulSet/db: service db ports 5432',
        '2     Deployment/api        StatefulSet/db: service db ports 5432',
        '                            Job/migrate-1a2b3c4d: job migrate-1a2b3c4d complete',
        '                            precondition: Secret api-tls exists (timeout 600s, then fail)',
        '2     Deployment/worker     Job/migrate-1a2b3c4d: job migrate-1a2b3c4d complete',
        '                            precondition: Secret api-tls exists',
        '',
        'Critical path: StatefulSet/db -> Job/migrate-1a2b3c4d -> Deployment/api',
        '',
      ].join('\n'),
    });
    const model = load([join(root, F, 'app')]);
    expect(planOf(model)!.wave).toEqual([0, 1, 2, 2]);
  });

  test('lint is clean, even with --strict', async () => {
    expect(await cli('lint', '--strict', `${F}/app`)).toEqual({ code: 0, stderr: '', stdout: 'no problems in 2 files (5 objects, 4 workloads)\n' });
  });
});

test('a target is looked up in its waiter\'s namespace first; names shared across namespaces say which', async () => {
  expect((await cli('plan', `${F}/two-namespaces.yaml`)).stdout).toBe([
    'Startup plan: 3 workloads in 2 waves',
    '',
    'WAVE  WORKLOAD                 WAITS FOR',
    '0     StatefulSet/db in blue   -',
    '0     StatefulSet/db in green  -',
    '1     Deployment/api           StatefulSet/db in green: 1 Ready pod(s) -l app=db',
    '',
    'Critical path: StatefulSet/db in green -> Deployment/api',
    '',
  ].join('\n'));
});

describe('cdk8s-ordered lint rules', () => {
  test('YAML without annotations: lint says which rules it ran; graph and plan say what they cannot know', async () => {
    expect(await cli('lint', `${F}/plain.yaml`)).toEqual({
      code: 1,
      stderr: 'cdk8s-ordered: note: no cdk8s-ordered annotations (ordered.cdk8s.io/dependencies) found in 1 workload; '
        + 'lint ran only ORD002, ORD003 and ORD005 (taking init containers named wait-for-* as waiters) '
        + 'and skipped ORD001, ORD004, ORD006, ORD007, ORD008 and ORD009, which need them\n',
      stdout: [
        `${F}/plain.yaml: ORD002 error Deployment/api: waiter wait-for-db image 'busybox:latest' is tagged latest, ${pinFix('busybox')}`,
        `${F}/plain.yaml: ORD005 warning Deployment/api: waiter wait-for-redis waits for Service 'redis' (WAIT_ADDRESSES redis:6379), `
          + 'but there is no Service \'redis\' in the given YAML, so it would wait forever. '
          + 'Fix: add the Service, correct the host, or pass the file that defines it',
        '1 error, 1 warning in 1 file (2 objects, 1 workload)',
        '',
      ].join('\n'),
    });
    const note = 'cdk8s-ordered: note: no cdk8s-ordered annotations (ordered.cdk8s.io/dependencies) found in 1 workload, '
      + 'so every workload is shown without dependencies. Either nothing waits for anything, or this YAML was not written '
      + 'by cdk8s-ordered (graph and plan read the annotation).\n';
    // The rules that ran find the same error as lint: graph and plan exit 1 too
    const error = `${F}/plain.yaml: ORD002 error Deployment/api: waiter wait-for-db image 'busybox:latest' is tagged latest, ${pinFix('busybox')}\n`;
    expect(await cli('plan', `${F}/plain.yaml`)).toEqual({
      code: 1,
      stderr: note + error,
      stdout: 'Startup plan: 1 workload in 1 wave\n\nWAVE  WORKLOAD        WAITS FOR\n0     Deployment/api  -\n\nCritical path: Deployment/api\n',
    });
    expect(await cli('graph', `${F}/plain.yaml`)).toEqual({ code: 1, stderr: note + error, stdout: 'flowchart LR\n  w0["Deployment/api"]\n' });
  });
});

describe('cdk8s-ordered input and usage errors (exit 2)', () => {
  test.each([
    [['lint', `${F}/nope.yaml`], `cdk8s-ordered: cannot read '${F}/nope.yaml': no such file or folder\n`],
    [['graph', `${F}/not-yaml.yaml`], `cdk8s-ordered: '${F}/not-yaml.yaml' is not valid YAML: line 2, column 1: `
      + 'Flow sequence in block collection must be sufficiently indented and end with a ]\n'],
    [['plan', `${F}/not-k8s.yaml`], `cdk8s-ordered: '${F}/not-k8s.yaml' is not Kubernetes YAML: document 1 is a string, `
      + 'not an object with kind and metadata.name\n'],
    [['lint', 'lib/cli'], 'cdk8s-ordered: folder \'lib/cli\' has no .yaml or .yml files; give the folder cdk8s synth wrote (e.g. dist/)\n'],
    [['lint'], 'cdk8s-ordered: lint: give at least one file or folder, e.g. \'cdk8s-ordered lint dist/\'\nRun \'cdk8s-ordered --help\' for usage.\n'],
    [['deploy', 'dist'], 'cdk8s-ordered: unknown command \'deploy\'; the commands are graph, plan, lint, rules and status\nRun \'cdk8s-ordered --help\' for usage.\n'],
    [['graph', '--format', 'png', 'dist'], 'cdk8s-ordered: graph: --format must be mermaid or dot, not \'png\'\nRun \'cdk8s-ordered --help\' for usage.\n'],
    [['lint', '--fix', 'dist'], 'cdk8s-ordered: lint: unknown option \'--fix\'\nRun \'cdk8s-ordered --help\' for usage.\n'],
    [['--strict', 'dist'], 'cdk8s-ordered: give a command first (graph, plan, lint, rules or status), not \'--strict\'\nRun \'cdk8s-ordered --help\' for usage.\n'],
  ])('%j', async (argv, stderr) => {
    expect(await cli(...argv)).toEqual({ code: 2, stdout: '', stderr });
  });

  test('no arguments prints the usage on stderr; --help on stdout', async () => {
    const none = (await cli());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: cdk8s-ordered <command> \[options\] \[PATH\.\.\.\]/);
    const help = (await cli('lint', '--help'));
    expect(help).toEqual({ code: 0, stdout: none.stderr, stderr: '' });
  });
});

describe('packaging', () => {
  test('the CLI is not part of the jsii API', async () => {
    expect(readFileSync(join(root, 'lib', 'index.ts'), 'utf8')).not.toMatch(/cli/);
  });

  const built = existsSync(join(root, 'build', 'cli', 'main.js'));
  (built ? test : test.skip)(built
    ? 'bin/cdk8s-ordered runs from build/ (compiled by npx projen compile)'
    : 'bin/cdk8s-ordered runs from build/ -- SKIPPED: build/cli/main.js is absent; run `npx projen compile` first', async () => {
    const bin = join(root, 'bin', 'cdk8s-ordered');
    const plan = execFileSync(bin, ['plan', 'examples/db-api/dist'], { cwd: root, encoding: 'utf8' });
    expect(plan).toBe((await cli('plan', 'examples/db-api/dist')).stdout);
    const lint = spawnSync(bin, ['lint', `${F}/cycle.yaml`], { cwd: root, encoding: 'utf8' });
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain('ORD004 error Deployment/a: dependency cycle Deployment/a => Deployment/b => Deployment/a');
    const missing = spawnSync(bin, ['graph', 'nope'], { cwd: root, encoding: 'utf8' });
    expect([missing.status, missing.stderr]).toEqual([2, 'cdk8s-ordered: cannot read \'nope\': no such file or folder\n']);
  });
});

describe('one graph, drawn alike by the library and the command line', () => {
  test.each(['db-api', 'graceful-shutdown', 'migration-job', 'readiness-gate', 'sidecar-order', 'voting-app'])(
    '%s: ordered.toMermaid() and toDot() are what cdk8s-ordered graph draws from the committed YAML', async (example) => {
      // GIVEN the example, built in memory
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { build: buildExample } = require(`../../examples/${example}/main`);
      const chart: Chart = buildExample(new App());
      const ordered = chart.node.findAll().find((c): c is OrderedApp => c instanceof OrderedApp)!;
      // WHEN the command line draws its committed dist/
      const mermaid = await cli('graph', `examples/${example}/dist`);
      const dot = await cli('graph', '--format', 'dot', `examples/${example}/dist`);
      // THEN the pictures are the same
      expect(ordered.toMermaid()).toBe(mermaid.stdout);
      expect(ordered.toDot()).toBe(dot.stdout);
    });
});
