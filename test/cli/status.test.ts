import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RESOURCES } from '../../lib/cli/kubectl';
import { recordedApp } from '../support/recorded-app';
import { FIRST_LISTED, useRecordedCluster } from '../support/status-cli';
import { kubectlPath } from '../support/tools';

/**
 * `cdk8s-ordered status` with the real kubectl (1.31) against a stand-in API
 * server serving recorded objects of the db-api example: waiting on a
 * dependency, a waiter that gave up, ready, and ready after a restart; and
 * of the readiness-gate example, gated.
 */
const { cluster, cli, status, later, after } = useRecordedCluster();

const LOGS = 'see: kubectl logs -n shop';
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const DB_CHECK = 'StatefulSet/shop-db-c845ee8c: service shop-db-service-c8d401bb ports 5432';
const GAVE_UP = 'timed out after 600s waiting for Secret api-tls exists: no secrets/api-tls in namespace shop yet';

describe('status of a running app, read with the real kubectl', () => {
  test('waiting on a dependency: who waits for what, for how long (exit 3: not settled)', async () => {
    cluster.set(recordedApp('waiting'));
    expect(await status()).toEqual({
      code: 3,
      stdout: [
        'Namespace shop at 2026-12-01T10:00:00Z',
        '',
        'COMPONENT                     STATE     PODS  RESTARTS  DETAIL',
        'StatefulSet/shop-db-c845ee8c  starting  0/1   0         container main not Ready for 2m16s',
        `Job/shop-migrate-c8478881     waiting   0/1   0         waiting 2m13s for ${DB_CHECK} (wait-for-db)`,
        `                                                        ${LOGS} shop-migrate-c8478881-x7k2p -c wait-for-db`,
        `Deployment/shop-api-c8f8f8d3  waiting   0/2   0         waiting 2m10s for ${DB_CHECK} (wait-for-db, 2 pods)`,
        `                                                        ${LOGS} shop-api-c8f8f8d3-6d4cf56db6-b9wq4 -c wait-for-db`,
        '',
        '2 waiting, 1 starting; 0 restarts. Not settled (exit 3): StatefulSet/shop-db-c845ee8c is starting, '
          + 'Job/shop-migrate-c8478881 is waiting for StatefulSet/shop-db-c845ee8c, '
          + 'Deployment/shop-api-c8f8f8d3 is waiting for StatefulSet/shop-db-c845ee8c',
        '',
      ].join('\n'),
      stderr: 'cdk8s-ordered: status: not settled (exit 3): StatefulSet/shop-db-c845ee8c is starting, '
        + 'Job/shop-migrate-c8478881 is waiting for StatefulSet/shop-db-c845ee8c, Deployment/shop-api-c8f8f8d3 is waiting for StatefulSet/shop-db-c845ee8c\n',
    });
  });

  test('a waiter that gave up: its exit code and termination message, the restarts, the retry (exit 1)', async () => {
    cluster.set(recordedApp('failed'));
    const r = await status();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      'Namespace shop at 2026-12-01T10:00:00Z',
      '',
      'COMPONENT                     STATE   PODS  RESTARTS  DETAIL',
      'StatefulSet/shop-db-c845ee8c  ready   1/1   0         Ready for 1m58s',
      'Job/shop-migrate-c8478881     ready   1/1   0         complete 1m29s ago',
      `Deployment/shop-api-c8f8f8d3  failed  0/2   4         wait-for-secret-api-tls gave up (exit 1, 4m10s ago): ${GAVE_UP}`,
      '                                                      restarting (CrashLoopBackOff, 2 restarts)',
      `                                                      ${LOGS} shop-api-c8f8f8d3-6d4cf56db6-b9wq4 -c wait-for-secret-api-tls`,
      '                                                      waiting 3m50s of 600s, then fail, for Secret api-tls exists (wait-for-secret-api-tls)',
      `                                                      last reason: ${GAVE_UP}`,
      '',
      `1 failed, 2 ready; 4 restarts. Failed (exit 1): Deployment/shop-api-c8f8f8d3 failed: wait-for-secret-api-tls gave up (exit 1, 4m10s ago): ${GAVE_UP}`,
      '',
    ].join('\n'));
    expect(r.stderr).toBe(`cdk8s-ordered: status: failed (exit 1): Deployment/shop-api-c8f8f8d3 failed: wait-for-secret-api-tls gave up (exit 1, 4m10s ago): ${GAVE_UP}\n`);
  });

  test('the README shows this output', async () => {
    for (const scenario of ['waiting', 'ready']) {
      cluster.set(recordedApp(scenario));
      expect(README).toContain('```\n' + (await status()).stdout + '```\n');
    }
    cluster.set(recordedApp('failed'));
    const failed = (await status()).stdout.split('\n').filter((l) => /^Deployment|^ {50}/.test(l)).join('\n');
    expect(README).toContain('```\n' + failed + '\n```\n');
  });

  test('settled: every component ready, no restarts (exit 0)', async () => {
    cluster.set(recordedApp('ready'));
    expect(await status()).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Namespace shop at 2026-12-01T10:00:00Z',
        '',
        'COMPONENT                     STATE  PODS  RESTARTS  DETAIL',
        'StatefulSet/shop-db-c845ee8c  ready  1/1   0         Ready for 1m58s',
        'Job/shop-migrate-c8478881     ready  1/1   0         complete 1m29s ago',
        'Deployment/shop-api-c8f8f8d3  ready  2/2   0         Ready for 1m20s',
        '',
        '3 ready; 0 restarts. Settled (exit 0): all 3 components ready, no restarts',
        '',
      ].join('\n'),
    });
    // kubectl only read: discovery, then one LIST per resource, in the namespace asked for
    expect(cluster.requests.every((r) => r.startsWith('GET '))).toBe(true);
    expect(cluster.requests.filter((r) => /namespaces/.test(r)).map((r) => r.replace(/\?.*$/, '')).sort()).toEqual([
      'GET /api/v1/namespaces/shop/pods',
      'GET /apis/apps/v1/namespaces/shop/daemonsets',
      'GET /apis/apps/v1/namespaces/shop/deployments',
      'GET /apis/apps/v1/namespaces/shop/replicasets',
      'GET /apis/apps/v1/namespaces/shop/statefulsets',
      'GET /apis/batch/v1/namespaces/shop/cronjobs',
      'GET /apis/batch/v1/namespaces/shop/jobs',
    ]);
  });

  test('ready, but a container restarted: not the promise (exit 1), and which container, how it ended', async () => {
    cluster.set(recordedApp('restarted'));
    const r = await status();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain([
      'Deployment/shop-api-c8f8f8d3  ready  2/2   1         Ready for 45s',
      '                                                     container main of pod shop-api-c8f8f8d3-6d4cf56db6-k2lzd restarted 1 time, '
        + 'last exit 1 (Error) 49s ago',
    ].join('\n'));
    expect(r.stderr).toBe('cdk8s-ordered: status: settled with restarts (exit 1): every component is ready, '
      + 'but containers restarted 1 time: Deployment/shop-api-c8f8f8d3 (1)\n');
  });

  test('a readiness gate: the pod runs, but is not Ready until what it is gated on is', async () => {
    cluster.set(recordedApp('gate'));
    const r = await cli('status', '-n', 'store', '--kubectl', kubectlPath());
    expect(r.code).toBe(3);
    expect(r.stdout).toBe([
      'Namespace store at 2026-12-01T10:00:00Z',
      '',
      'COMPONENT                      STATE    PODS  RESTARTS  DETAIL',
      'StatefulSet/store-db-c83a9534  waiting  0/1   0         not Ready: readiness gate ordered.cdk8s.io/seed is False for 1m: '
        + 'job store-seed-c8b27cac in namespace store complete: not complete yet',
      'Job/store-seed-c8b27cac        running  0/1   0         running for 1m10s',
      'Deployment/store-api-c89615dc  waiting  0/3   0         waiting 1m7s for StatefulSet/store-db-c83a9534: service store-db-service-c8b2faac ports 5432 '
        + '(wait-for-db, 3 pods)',
      `                                                        ${LOGS.replace('shop', 'store')} store-api-c89615dc-6d4cf56db6-2xv9r -c wait-for-db`,
      '',
      '2 waiting, 1 running; 0 restarts. Not settled (exit 3): StatefulSet/store-db-c83a9534 is waiting for readiness gate ordered.cdk8s.io/seed, '
        + 'Job/store-seed-c8b27cac is running, Deployment/store-api-c89615dc is waiting for StatefulSet/store-db-c83a9534',
      '',
    ].join('\n'));
  });

  test('a waiter shared by several TCP checks: every dependency it waits for is listed, with its own check', async () => {
    cluster.set(recordedApp('shared-waiter'));
    const r = await cli('status', '-n', 'voting', '--kubectl', kubectlPath(), '-o', 'json');
    const doc = JSON.parse(r.stdout);
    const worker = doc.components.find((c: any) => c.name === 'voting-worker-c85ad87c');
    expect(worker.state).toBe('waiting');
    expect(worker.waits.map((w: any) => [w.waiter, w.target, w.check])).toEqual([
      ['wait-for-redis-db', 'Deployment/voting-redis-c8f8f3fd', 'service redis ports 6379'],
      ['wait-for-redis-db', 'StatefulSet/voting-db-c8689af3', 'service voting-db-service-c8da81ca ports 5432'],
    ]);
    expect(worker.detail[0]).toBe('waiting 1m57s for Deployment/voting-redis-c8f8f3fd: service redis ports 6379; '
      + 'StatefulSet/voting-db-c8689af3: service voting-db-service-c8da81ca ports 5432 (wait-for-redis-db)');
  });

  test('--output json: the same facts, for pipelines', async () => {
    cluster.set(recordedApp('failed'));
    const r = await status('-o', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ time: '2026-12-01T10:00:00.000Z', namespace: 'shop', settled: true, exitCode: 1, final: true, restarts: 4 });
    expect(doc.counts).toEqual({ 'failed': 1, 'absent': 0, 'waiting': 0, 'starting': 0, 'rolling out': 0, 'running': 0, 'ready': 2 });
    const api = doc.components.find((c: any) => c.kind === 'Deployment');
    expect(api).toMatchObject({ ref: 'Deployment/shop-api-c8f8f8d3', state: 'failed', pods: { ready: 0, desired: 2 }, restarts: 4 });
    expect(api.failures).toEqual([{
      pod: 'shop-api-c8f8f8d3-6d4cf56db6-b9wq4',
      container: 'wait-for-secret-api-tls',
      waiter: true,
      exitCode: 1,
      reason: 'CrashLoopBackOff',
      message: GAVE_UP,
      secondsAgo: 250,
      restarts: 2,
    }]);
    expect(api.waits).toEqual([{
      pod: 'shop-api-c8f8f8d3-6d4cf56db6-k2lzd',
      waiter: 'wait-for-secret-api-tls',
      gate: false,
      check: 'Secret api-tls exists',
      seconds: 230,
      timeout: 600,
      onTimeout: 'fail',
      lastReason: GAVE_UP,
    }]);
    cluster.set(recordedApp('waiting'));
    const waiting = JSON.parse((await status('--output', 'json')).stdout);
    expect(waiting.components.map((c: any) => [c.ref, c.state, c.waits.map((w: any) => `${w.waiter} ${w.target} ${w.seconds}s`)])).toEqual([
      ['StatefulSet/shop-db-c845ee8c', 'starting', []],
      ['Job/shop-migrate-c8478881', 'waiting', ['wait-for-db StatefulSet/shop-db-c845ee8c 133s']],
      ['Deployment/shop-api-c8f8f8d3', 'waiting', ['wait-for-db StatefulSet/shop-db-c845ee8c 130s', 'wait-for-db StatefulSet/shop-db-c845ee8c 130s']],
    ]);
  });

  test('--watch follows the rollout until it settles, printing each change', async () => {
    cluster.set(recordedApp('waiting'));
    later(1_500, 'ready');
    // kubectl found on the PATH (the sandbox's), as without --kubectl
    const r = await cli('status', '-n', 'shop', '--watch', '--interval', '300ms', '--timeout', '30s');
    expect(r.code).toBe(0);
    const titles = r.stdout.split('\n').filter((l) => l.startsWith('Namespace shop at'));
    expect(titles).toHaveLength(2);
    expect(titles[0]).toMatch(/ \(after 0s\)$/);
    expect(r.stdout.split('\n').filter((l) => /\(exit \d\)/.test(l)).map((l) => /^.*\. (\w[\w ]*) \(exit (\d)\)/.exec(l)!.slice(1).join(' '))).toEqual([
      'Not settled 3',
      'Settled 0',
    ]);
    expect(r.stderr).toBe('');
  }, 30_000);

  test('--watch -o json: one document per line on each change, the last one final', async () => {
    cluster.set(recordedApp('waiting'));
    later(1_000, 'ready');
    const r = await status('--watch', '-o', 'json', '--interval', '200ms', '--timeout', '20s');
    expect(r.code).toBe(0);
    const docs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(docs.map((d) => [d.exitCode, d.final])).toEqual([[3, false], [0, true]]);
    // later() relies on each read listing FIRST_LISTED first
    const lists = cluster.requests.filter((q) => q.includes('?limit=')).map((q) => /\/(\w+)\?/.exec(q)![1]);
    const reads = lists.filter((l) => l === FIRST_LISTED).length;
    expect(reads).toBeGreaterThan(2);
    expect(lists).toEqual(Array.from({ length: reads }, () => RESOURCES.map((res) => res.split('.')[0])).flat());
  }, 30_000);

  test('--watch stops at a failure, and at its --timeout (exit 3)', async () => {
    cluster.set(recordedApp('waiting'));
    later(1_000, 'failed');
    later(3_000, 'ready');
    const failed = await status('--watch', '--interval', '200ms', '--timeout', '20s');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/ Not settled \(exit 3\)[^\n]*\n\nNamespace shop[\s\S]* Failed \(exit 1\)[^\n]*\n$/);
    cluster.set(recordedApp('waiting'));
    const t0 = Date.now();
    const r = await status('-w', '--interval', '200ms', '--timeout', '1s');
    expect(r.code).toBe(3);
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(r.stdout.match(/^Namespace shop/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/\n2 waiting, 1 starting; 0 restarts\. Not settled \(exit 3\): still not settled when --timeout 1s ran out: StatefulSet\/shop-db-c845ee8c is starting/);
    expect(r.stderr).toMatch(/^cdk8s-ordered: status: not settled \(exit 3\): still not settled when --timeout 1s ran out: /);
  }, 30_000);
});

/** Any character a terminal may act on, but a line feed: C0, DEL, C1, line and paragraph separators, bidi controls. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const HOSTILE_REPLY = 'HTTP 503 from https://vault/v1/api-tls: \u001b]0;owned\u0007\u001b[2J\u001b[H3 ready; 0 restarts. Settled (exit 0)'
  + '\u009b31m\u202eexe.gnp\u2028\t\u007f';

describe('status shows what the cluster says, never what a terminal would act on', () => {
  test('escape sequences in termination and waiting messages are printed escaped, visibly, on stdout and stderr', async () => {
    // GIVEN a waiter whose termination message (a dependency's HTTP reply) retitles the terminal, clears it and
    // prints a fake verdict, and a waiting message that moves the cursor
    cluster.set(recordedApp('escapes'));
    // WHEN status prints text
    const r = await status();
    // THEN no control character reaches either stream, and each one is shown as its escape
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    const shown = 'HTTP 503 from https://vault/v1/api-tls: \\x1b]0;owned\\x07\\x1b[2J\\x1b[H3 ready; 0 restarts. Settled (exit 0)'
      + '\\u009b31m\\u202eexe.gnp\\u2028\\x09\\x7f';
    expect(r.stdout).toContain(`wait-for-secret-api-tls gave up (exit 1, 4m10s ago): ${shown}\n`);
    expect(r.stdout).toContain(`last reason: ${shown}\n`);
    expect(r.stderr).toBe(`cdk8s-ordered: status: failed (exit 1): Deployment/shop-api-c8f8f8d3 failed: wait-for-secret-api-tls gave up (exit 1, 4m10s ago): ${shown}\n`);
    // and the columns still line up: every detail line starts where the DETAIL heading does
    const lines = r.stdout.split('\n');
    const column = lines.find((l) => l.startsWith('COMPONENT'))!.indexOf('DETAIL');
    expect(lines.filter((l) => /^ {20}/.test(l)).every((l) => l.search(/\S/) === column)).toBe(true);
  });

  test('-o json carries the text exactly, with every control character as a JSON escape', async () => {
    cluster.set(recordedApp('escapes'));
    const r = await status('-o', 'json');
    expect(r.stdout.trimEnd()).not.toMatch(CONTROL);
    const api = JSON.parse(r.stdout).components.find((c: any) => c.kind === 'Deployment');
    expect(api.failures[0].message).toBe(HOSTILE_REPLY);
    expect(api.waits[0].lastReason).toBe(HOSTILE_REPLY);
    expect(r.stdout).toContain('\\u009b31m\\u202eexe.gnp\\u2028\\t\\u007f');
  });
});

describe('status: nothing to show, and what it cannot read (exit 2)', () => {
  test('a namespace without cdk8s-ordered workloads', async () => {
    cluster.set(recordedApp('ready'));
    const r = await cli('status', '-n', 'other', '--kubectl', kubectlPath());
    expect(r).toEqual({
      code: 2,
      stdout: 'Status at 2026-12-01T10:00:00Z\n\nNothing to show (exit 2): no workload in namespace other carries the cdk8s-ordered annotation '
        + 'ordered.cdk8s.io/dependencies (0 workloads read); is this the app\'s namespace? (-n NAMESPACE, or -A)\n',
      stderr: 'cdk8s-ordered: status: nothing to show (exit 2): no workload in namespace other carries the cdk8s-ordered annotation '
        + 'ordered.cdk8s.io/dependencies (0 workloads read); is this the app\'s namespace? (-n NAMESPACE, or -A)\n',
    });
  });

  test('fails when kubectl may read the workloads but not their pods: says what it could not read and why (exit 2)', async () => {
    // GIVEN a user allowed to list workloads but not pods
    cluster.set(recordedApp('ready'));
    cluster.forbid(['pods']);
    // WHEN status reads the app
    const r = await status();
    // THEN it does not guess from what it could read ("no pods yet"): it names the resource and kubectl's reason
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'cdk8s-ordered: kubectl could not read pods, so status cannot tell what the app is doing: Error from server (Forbidden): '
        + 'pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "shop" '
        + '(status lists deployments.apps, statefulsets.apps, daemonsets.apps, replicasets.apps, jobs.batch, cronjobs.batch and pods)\n',
    });
  });

  test('fails when two kinds are forbidden: names both', async () => {
    cluster.set(recordedApp('ready'));
    cluster.forbid(['replicasets', 'jobs']);
    const r = await status('-o', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^cdk8s-ordered: kubectl could not read replicasets\.apps and jobs\.batch, so status cannot tell what the app is doing: Error from server \(Forbidden\): replicasets\.apps is forbidden: [^\n]*; Error from server \(Forbidden\): jobs\.batch is forbidden: [^\n]*\n$/);
  });

  test('fails when --watch can no longer read the pods when its --timeout runs out: the last read failed, not the app (exit 2)', async () => {
    // GIVEN a watch that reads the app once, then loses the right to list pods
    cluster.set(recordedApp('waiting'));
    after(500, () => cluster.forbid(['pods']));
    // WHEN its timeout runs out
    const r = await status('--watch', '--interval', '200ms', '--timeout', '2s');
    // THEN it says each failed read once, and ends on the read it could not make
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('note: kubectl could not read pods'))).toHaveLength(1);
    expect(r.stderr).toMatch(/\ncdk8s-ordered: kubectl could not read pods, so status cannot tell what the app is doing: [^\n]*\n$/);
  }, 30_000);

  test('-A reads every namespace', async () => {
    cluster.set(recordedApp('ready'));
    const r = await cli('status', '-A', '--kubectl', kubectlPath());
    expect(r.code).toBe(0);
    expect(cluster.requests).toContain('GET /api/v1/pods?limit=500&timeout=30s');
  });

  test('no kubectl, or no cluster', async () => {
    expect(await cli('status', '--kubectl', '/nonexistent/kubectl')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'cdk8s-ordered: cannot run \'/nonexistent/kubectl\': not found; install kubectl, or give its path with --kubectl PATH\n',
    });
    const dir = mkdtempSync(join(tmpdir(), 'ordered-status-'));
    try {
      expect((await cli('status', '--kubectl', dir)).stderr)
        .toBe(`cdk8s-ordered: cannot run '${dir}': not an executable file; install kubectl, or give its path with --kubectl PATH\n`);
      writeFileSync(join(dir, 'kubeconfig'), [
        'apiVersion: v1', 'kind: Config', 'clusters: [{ name: s, cluster: { server: "http://127.0.0.1:9" } }]',
        'users: [{ name: u, user: { token: t } }]', 'contexts: [{ name: c, context: { cluster: s, user: u } }]', 'current-context: c', '',
      ].join('\n'));
      const r = await cli('status', '--kubectl', kubectlPath(), '--kubeconfig', join(dir, 'kubeconfig'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^cdk8s-ordered: kubectl could not read the cluster \(kubectl get deployments\.apps,.*pods --output json --request-timeout 30s --kubeconfig .*\): .*connection refused/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [['status', 'dist/'], 'status: reads the cluster, not files: remove \'dist/\' (choose the namespace with -n)'],
    [['status', '-o', 'yaml'], 'status: --output must be text or json, not \'yaml\''],
    [['status', '--timeout', '5m'], 'status: --timeout goes with --watch'],
    [['status', '-w', '--timeout', 'soon'], 'status: --timeout must be a positive duration such as 90s, 5m or 1h, not \'soon\''],
    [['status', '-n', 'shop', '-A'], 'status: give -n NAMESPACE or -A, not both'],
  ])('%j', async (argv, message) => {
    expect(await cli(...argv)).toEqual({ code: 2, stdout: '', stderr: `cdk8s-ordered: ${message}\nRun 'cdk8s-ordered --help' for usage.\n` });
  });
});
