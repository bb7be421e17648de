import { execFileSync, spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { build } from '../examples/db-api/main';
import { OrderedApp } from '../lib';
import { load } from '../lib/cli/input';
import { main } from '../lib/cli/main';
import { entryCheck } from '../lib/contract';
import { planOf } from '../lib/lint/model';

const root = join(__dirname, '..');
const F = 'test/fixtures/cli';
const DB_API = 'examples/db-api/dist/shop.k8s.yaml';

/** Runs the CLI in-process, from the repository root, as a user would type `argv`. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

/** ORD002's reason and fix, for a waiter image of repository `repo`: pin it by digest. */
const pinFix = (repo: string) => `so a node may pull a different waiter than you tested. Fix: pin it by digest, e.g. ${repo}:<version>@sha256:<digest> `
  + '(OrderedApp waiterImage / kubectlImage, or the image of WaitFor.command)';
const STARTUP_PROBE = 'but no container has a readinessProbe, so its pods count as Ready (and its Service routes to them) '
  + 'once their startupProbe first passes, and stay Ready when they stop serving. Fix: add a readinessProbe to its main container';

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

  test('lint: the database has no readiness probe (a warning: exit 0, or 1 with --strict)', async () => {
    // (the db-api example as it was before its database got a readiness probe)
    const unprobed = 'test/fixtures/cli/unprobed-db.yaml';
    const line = `${unprobed}: ORD001 warning StatefulSet/shop-db-c845ee8c: Job/shop-migrate-c8478881, Deployment/shop-api-c8f8f8d3 wait for it, ${STARTUP_PROBE}\n`;
    expect(await cli('lint', unprobed)).toEqual({
      code: 0,
      stderr: '',
      stdout: line + '0 errors, 1 warning in 1 file (7 objects, 3 workloads)\n',
    });
    expect(await cli('lint', '--strict', unprobed)).toEqual({
      code: 1,
      stderr: '',
      stdout: line + '0 errors, 1 warning in 1 file (7 objects, 3 workloads) (--strict: warnings fail)\n',
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
  test('ORD004: a dependency cycle is an error, and fails graph, plan and lint alike (exit 1); plan refuses it, graph draws it', async () => {
    const finding = `${F}/cycle.yaml: ORD004 error Deployment/a: dependency cycle Deployment/a => Deployment/b => Deployment/a: `
      + 'none of these pods can start. Fix: remove one of these dependsOn edges\n';
    expect(await cli('lint', `${F}/cycle.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: finding + '1 error, 0 warnings in 1 file (2 objects, 2 workloads)\n',
    });
    expect(await cli('plan', `${F}/cycle.yaml`)).toEqual({
      code: 1,
      stdout: '',
      stderr: finding + 'cdk8s-ordered: cannot plan: dependency cycle Deployment/a => Deployment/b => Deployment/a\n',
    });
    const graph = (await cli('graph', `${F}/cycle.yaml`));
    expect(graph.code).toBe(1);
    expect(graph.stdout).toContain('  w0 -->|"1 Ready pod(s) -l app=b"| w1\n  w1 -->|"1 Ready pod(s) -l app=a"| w0\n');
    expect(graph.stderr).toBe(finding);
  });

  test('ORD002: waiter images without a tag, or tagged latest, are errors whose fix is a digest; a version tag or a digest is accepted', async () => {
    expect(await cli('lint', `${F}/unpinned.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        `${F}/unpinned.yaml: ORD002 error Pod/web: waiter wait-for-cache image 'busybox' has no tag, ${pinFix('busybox')}`,
        `${F}/unpinned.yaml: ORD002 error Pod/web: waiter wait-for-secret-x image 'alpine/k8s:latest' is tagged latest, ${pinFix('alpine/k8s')}`,
        `${F}/unpinned.yaml: ORD002 error Pod/web: waiter wait-for-dns-cache image 'registry.local:5000/busybox' has no tag, ${pinFix('registry.local:5000/busybox')}`,
        '3 errors, 0 warnings in 1 file (2 objects, 1 workload)',
        '',
      ].join('\n'),
    });
  });

  test('ORD003: a versioned Job with ttlSecondsAfterFinished is an error', async () => {
    expect(await cli('lint', `${F}/versioned-ttl.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: `${F}/versioned-ttl.yaml: ORD003 error Job/migrate-9f8e7d6c: versioned Job has spec.ttlSecondsAfterFinished: 300: `
        + 'once Kubernetes deletes it, pods of Deployment/api that restart wait for it forever. '
        + 'Fix: remove ttlAfterFinished, and delete old versioned Jobs once no ReplicaSet needs them\n'
        + '1 error, 0 warnings in 1 file (2 objects, 2 workloads)\n',
    });
  });

  test('ORD008: a Job that others wait for, with ttlSecondsAfterFinished, is a warning', async () => {
    expect(await cli('lint', `${F}/job-ttl.yaml`)).toEqual({
      code: 0,
      stderr: '',
      stdout: `${F}/job-ttl.yaml: ORD008 warning Job/migrate: Job has spec.ttlSecondsAfterFinished: 600 and Deployment/api wait for it: `
        + 'once Kubernetes deletes it, their pods that restart (a node lost, a scale-up) wait for it forever. '
        + 'Fix: remove ttlAfterFinished, or add the Job with { versioned: true } and keep it while its dependents run\n'
        + '0 errors, 1 warning in 1 file (2 objects, 2 workloads)\n',
    });
    expect((await cli('lint', '--strict', `${F}/job-ttl.yaml`)).code).toBe(1);
  });

  test('ORD005: a wait on a Service that is not in the YAML is a warning; a dotted host may be in another namespace', async () => {
    const lines = [
      `${F}/missing-service.yaml: ORD005 warning Deployment/api: waiter wait-for-cache-6379 waits for Service 'cache' `
        + '(WAIT_ADDRESSES cache:6379), but there is no Service \'cache\' in namespace web in the given YAML, so it would wait forever. '
        + 'Fix: add the Service, correct the host, or pass the file that defines it',
      `${F}/missing-service.yaml: ORD005 warning Deployment/api: waiter wait-for-db-data-5432 waits for 'db.data' `
        + '(WAIT_ADDRESSES db.data:5432), which is not a Service in the given YAML; it may be a Service \'db\' in namespace data '
        + 'deployed separately, or a host outside the cluster. Check that it exists, or pass the file that defines it',
    ];
    expect(await cli('lint', `${F}/missing-service.yaml`)).toEqual({
      code: 0,
      stderr: '',
      stdout: [...lines, '0 errors, 2 warnings in 1 file (2 objects, 1 workload)', ''].join('\n'),
    });
    expect(await cli('lint', '--strict', `${F}/missing-service.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: [...lines, '0 errors, 2 warnings in 1 file (2 objects, 1 workload) (--strict: warnings fail)', ''].join('\n'),
    });
  });

  test('ORD005: the checks of a shared waiter (WAIT_CHECKS) are each looked up', async () => {
    const file = `${F}/missing-service-shared.yaml`;
    expect((await cli('lint', file)).stdout.split('\n')).toEqual([
      `${file}: ORD005 warning Deployment/api: waiter wait-for-cache-auth-mail waits for Service 'cache' `
        + '(WAIT_CHECKS line \'tcp cache cache:6379\'), but there is no Service \'cache\' in namespace web in the given YAML, '
        + 'so it would wait forever. Fix: add the Service, correct the host, or pass the file that defines it',
      `${file}: ORD005 warning Deployment/api: waiter wait-for-cache-auth-mail waits for 'mail.data' `
        + '(WAIT_CHECKS line \'dns mail mail.data\'), which is not a Service in the given YAML; it may be a Service \'mail\' '
        + 'in namespace data deployed separately, or a host outside the cluster. Check that it exists, or pass the file that defines it',
      '0 errors, 2 warnings in 1 file (2 objects, 1 workload)',
      '',
    ]);
  });

  test('ORD005: says what the waiter does about a Service that never answers: wait forever, or its timeout', async () => {
    const file = `${F}/missing-service-timeout.yaml`;
    const line = (waiter: string, host: string, port: number, outcome: string) =>
      `${file}: ORD005 warning Deployment/api: waiter ${waiter} waits for Service '${host}' (WAIT_ADDRESSES ${host}:${port}), `
      + `but there is no Service '${host}' in namespace web in the given YAML, so ${outcome}. `
      + 'Fix: add the Service, correct the host, or pass the file that defines it';
    expect((await cli('lint', file)).stdout.split('\n')).toEqual([
      line('wait-for-cache-6379', 'cache', 6379, 'it would wait forever'),
      line('wait-for-auth-8080', 'auth', 8080, 'it would give up after 600s and fail: the pod does not start, and Kubernetes retries it'),
      line('wait-for-search-9200', 'search', 9200, 'it would give up after 30s and start its pod without it (onTimeout: proceed)'),
      line('wait-for-mail-25', 'mail', 25, 'it would give up after 120s and start its pod without it (onTimeout: proceed)'),
      '0 errors, 4 warnings in 1 file (1 object, 1 workload)',
      '',
    ]);
  });

  test('ORD006: a target that is not in the YAML is a warning, and a dashed node in the graph', async () => {
    expect(await cli('lint', `${F}/missing-target.yaml`)).toEqual({
      code: 0,
      stderr: '',
      stdout: `${F}/missing-target.yaml: ORD006 warning Deployment/api: waiter wait-for-db waits for StatefulSet/db `
        + '(1 Ready pod(s) -l app=db), which is not in the given YAML, so graph and plan are incomplete. '
        + 'Fix: pass every file of the app (e.g. the whole dist/ folder)\n'
        + '0 errors, 1 warning in 1 file (1 object, 1 workload)\n',
    });
    expect((await cli('graph', `${F}/missing-target.yaml`)).stdout).toBe([
      'flowchart LR',
      '  w0["Deployment/api"]',
      '  m1["StatefulSet/db (not in the given YAML)"]',
      '  style m1 stroke-dasharray: 5 5',
      '  w0 -->|"1 Ready pod(s) -l app=db"| m1',
      '',
    ].join('\n'));
    expect((await cli('plan', `${F}/missing-target.yaml`)).stdout).toContain('Startup plan: 1 workload in 2 waves, 1 not in the given YAML\n');
  });

  test('ORD007: an annotation that is not JSON, or names a waiter the pod lacks, is an error; graph and plan cannot read it', async () => {
    const notJson = 'annotation ordered.cdk8s.io/dependencies is not JSON: [{"waiter": wait-for-db}]';
    expect(await cli('lint', `${F}/bad-annotation.yaml`)).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        `${F}/bad-annotation.yaml: ORD007 error Deployment/api: ${notJson}. `
          + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation',
        `${F}/bad-annotation.yaml: ORD007 error Deployment/worker: annotation lists waiter wait-for-queue (tcp queue:5672), `
          + 'but the pod has no init container of that name. '
          + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation or the init containers by hand',
        '2 errors, 0 warnings in 1 file (2 objects, 2 workloads)',
        '',
      ].join('\n'),
    });
    // graph and plan draw what they can read, report the same errors on stderr, and exit as lint does
    const errors = [
      `${F}/bad-annotation.yaml: ORD007 error Deployment/api: ${notJson}. `
        + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation',
      `${F}/bad-annotation.yaml: ORD007 error Deployment/worker: annotation lists waiter wait-for-queue (tcp queue:5672), `
        + 'but the pod has no init container of that name. '
        + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation or the init containers by hand',
      '',
    ].join('\n');
    expect(await cli('graph', `${F}/bad-annotation.yaml`)).toEqual({
      code: 1,
      stdout: 'flowchart LR\n  w0["Deployment/api"]\n  w1["Deployment/worker"]\n  p0(["tcp queue:5672"])\n  w1 -->|"waits for"| p0\n',
      stderr: errors,
    });
    const plan = await cli('plan', `${F}/bad-annotation.yaml`);
    expect([plan.code, plan.stderr]).toEqual([1, errors]);
  });

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
      const { build: buildExample } = require(`../examples/${example}/main`);
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
