import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, TimeoutPolicy, WaitFor } from '../../lib';
import { upgradeScript } from '../../lib/waiters';
import { useStandInApi } from '../support/kubectl-sandbox';
import { freePort, killScripts, listen, PROMPT_MS, runScript, sleep, until } from '../support/run-script';
import { podSpec, synth } from '../support/synth';

/**
 * The upgrade-checked waiter run for real: busybox sh and the real kubectl
 * against a stand-in API server that serves Deployments, StatefulSets and
 * DaemonSets as a cluster's controllers would report them mid-rollout, with
 * the environment the library writes. Where `kubectl rollout status` judges
 * the same object, the test asks it too, so the two are compared on the cases
 * where they must agree (a template change) and where they must not (a change
 * of replicas alone, OnDelete).
 */
jest.setTimeout(60_000);
afterEach(killScripts);

type Resource = 'deployments' | 'statefulsets' | 'daemonsets';

/** The waiter container of `api` and its environment as the YAML gives it (the pod's namespace: shop). */
function upgradeWaiter(build: (chart: Chart, ordered: OrderedApp) => void) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered');
  build(chart, ordered);
  const out = synth(chart);
  const api = out.find((m) => m.metadata.name === 'api');
  const [waiter] = podSpec(api).initContainers;
  const env: Record<string, string> = {};
  for (const e of waiter.env) env[e.name] = e.valueFrom ? 'shop' : e.value;
  return { waiter, env, out };
}

/** `api` depends on a workload `db` of `kind` (named so, in shop), checked over TCP at `port` on loopback. */
function apiOn(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', port: number, options: { timeout?: Duration; onTimeout?: TimeoutPolicy } = {}) {
  return upgradeWaiter((chart, ordered) => {
    const containers = [{ image: 'db:2', portNumber: 5432 }];
    const metadata = { name: 'db' };
    const db = ordered.add(kind === 'Deployment' ? new kplus.Deployment(chart, 'db', { metadata, containers })
      : kind === 'StatefulSet' ? new kplus.StatefulSet(chart, 'db', { metadata, containers })
        : new kplus.DaemonSet(chart, 'db', { metadata, containers }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:2', portNumber: 8080 }] }));
    api.dependsOn(db, { check: WaitFor.tcp('127.0.0.1', port), ...options });
  });
}

/** A Deployment as its controller reports it. */
function deployment(o: { gen: number; seen: number; replicas: number; updated: number; available: number; total: number; progressing?: string }) {
  return {
    metadata: { name: 'db', namespace: 'shop', generation: o.gen },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:2' }] } } },
    status: {
      observedGeneration: o.seen,
      replicas: o.total,
      updatedReplicas: o.updated,
      readyReplicas: o.available,
      availableReplicas: o.available,
      ...(o.progressing ? { conditions: [{ type: 'Progressing', status: o.progressing === 'ProgressDeadlineExceeded' ? 'False' : 'True', reason: o.progressing }] } : {}),
    },
  };
}

/** What a StatefulSet's controller reports. */
interface StatefulSetStatus {
  gen: number; seen: number; replicas: number; updated: number; ready: number; total: number; strategy?: string; partition?: number;
}

/** A StatefulSet as its controller reports it. */
function statefulSet(o: StatefulSetStatus) {
  const strategy = o.strategy === 'OnDelete' ? { type: 'OnDelete' }
    : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } };
  return {
    metadata: { name: 'db', namespace: 'shop', generation: o.gen },
    spec: { replicas: o.replicas, updateStrategy: strategy, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } } } },
    status: {
      observedGeneration: o.seen,
      replicas: o.total,
      updatedReplicas: o.updated,
      readyReplicas: o.ready,
      availableReplicas: o.ready,
      currentRevision: o.updated === o.total ? 'db-2' : 'db-1',
      updateRevision: 'db-2',
    },
  };
}

/** A DaemonSet as its controller reports it. */
function daemonSet(o: { gen: number; seen: number; desired: number; updated: number; available: number; current: number }) {
  return {
    metadata: { name: 'db', namespace: 'shop', generation: o.gen },
    spec: { updateStrategy: { type: 'RollingUpdate' }, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } } } },
    status: {
      observedGeneration: o.seen,
      desiredNumberScheduled: o.desired,
      currentNumberScheduled: o.current,
      updatedNumberScheduled: o.updated,
      numberAvailable: o.available,
      numberReady: o.available,
      numberMisscheduled: 0,
    },
  };
}

describe('upgrade-checked waiter with the real kubectl', () => {
  const { server, env: sandboxEnv } = useStandInApi();
  let port: number;
  let listener: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    port = await freePort();
    listener = await listen(port);
  });
  afterAll(() => new Promise((r) => listener.close(r)));

  /** Runs the waiter of `api` (its env as synthesized, with a progress line every second). */
  function run(env: Record<string, string>, extra: Record<string, string> = {}) {
    return runScript(upgradeScript(), { ...sandboxEnv(), ...env, WAIT_PROGRESS: '1', ...extra });
  }

  /** Resolves once the waiter's own kubectl watches (its first verdict logged, then its watch request received). */
  async function watching(r: ReturnType<typeof run>) {
    const before = server.requests.length;
    await until(() => r.exited() || r.log.some((l) => l.startsWith('wait-for: db: ')));
    await until(() => r.exited() || server.requests.slice(before).some((q) => q.includes('watch=true')));
  }

  /** What `kubectl rollout status` says of the workload now, without waiting: its exit code and its line. */
  function rolloutStatus(resource: Resource): Promise<{ code: number; text: string }> {
    return new Promise((resolve) => {
      execFile('kubectl', ['rollout', 'status', `${resource}/db`, '-n', 'shop', '--watch=false'], { env: sandboxEnv() }, (err: any, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, text: `${stdout}${stderr}`.trim() });
      });
    });
  }

  test('on an upgrade, waits until the controller has seen the new spec and no old pod is left, then runs its check', async () => {
    // GIVEN db v2 applied: its generation is ahead of what its controller has seen, while v1's pods still answer
    server.putWorkload('deployments', deployment({ gen: 2, seen: 1, replicas: 3, updated: 3, available: 3, total: 3 }));
    const { env } = apiOn('Deployment', port);
    const r = run(env);
    await watching(r);
    await sleep(1_000);
    // THEN the waiter holds, though the TCP check (answered by v1) would pass
    expect(r.exited()).toBe(false);
    expect(await rolloutStatus('deployments')).toMatchObject({ code: 0, text: expect.stringContaining('Waiting for deployment spec update to be observed') });
    // WHEN the controller has seen it and rolled one pod of three
    server.putWorkload('deployments', deployment({ gen: 2, seen: 2, replicas: 3, updated: 1, available: 3, total: 4 }));
    await sleep(1_000);
    // THEN it still holds, and kubectl agrees that the rollout is not done
    expect(r.exited()).toBe(false);
    expect((await rolloutStatus('deployments')).text).toContain('1 out of 3 new replicas have been updated');
    // WHEN every pod is of v2 and available
    server.putWorkload('deployments', deployment({ gen: 2, seen: 2, replicas: 3, updated: 3, available: 3, total: 3 }));
    const doneAt = Date.now();
    const result = await r.done;
    // THEN it passes at once, and so does kubectl
    expect(result.code).toBe(0);
    expect(result.exitedAt - doneAt).toBeLessThan(PROMPT_MS);
    expect(await rolloutStatus('deployments')).toMatchObject({ code: 0, text: expect.stringContaining('successfully rolled out') });
    const log = result.log.join('\n');
    expect(log).toContain('wait-for: waiting for the rollout of db, then tcp 127.0.0.1:');
    expect(log).toContain('wait-for: db: its controller has not seen its latest spec yet (generation 1 of 2)');
    expect(log).toContain('wait-for: db: rollout in progress, 1/4 updated, 3 available');
    expect(log).toMatch(/wait-for: db's rollout is done after \d+s/);
    expect(log).toMatch(/wait-for: db is ready after \d+s/);
    expect(result.log[result.log.length - 1]).toMatch(/^wait-for: the rollout of db, then tcp 127\.0\.0\.1:\d+ is ready after \d+s$/);
  });

  test('a change of replicas alone does not hold it, where kubectl rollout status would', async () => {
    // GIVEN db scaled from 3 to 5 replicas: the new pods are of the current revision, two are not up yet
    server.putWorkload('deployments', deployment({ gen: 3, seen: 3, replicas: 5, updated: 3, available: 3, total: 3 }));
    const { env } = apiOn('Deployment', port);
    // WHEN the waiter runs
    const result = await run(env).done;
    // THEN it passes: nothing of an older version is left to answer
    expect(result.code).toBe(0);
    // while kubectl's rollout status waits for the new replicas
    expect((await rolloutStatus('deployments')).text).toContain('3 out of 5 new replicas have been updated');
  });

  test('a workload scaled to zero holds it: nothing serves', async () => {
    server.putWorkload('deployments', deployment({ gen: 4, seen: 4, replicas: 0, updated: 0, available: 0, total: 0 }));
    const { env } = apiOn('Deployment', port, { timeout: Duration.seconds(2), onTimeout: TimeoutPolicy.FAIL });
    const dir = mkdtempSync(join(tmpdir(), 'ordered-upgrade-'));
    try {
      const result = await run(env, { WAIT_TERMINATION_LOG: join(dir, 'termination') }).done;
      expect(result.code).toBe(1);
      expect(readFileSync(join(dir, 'termination'), 'utf8')).toMatch(/^timed out after \ds waiting for the rollout of db, then tcp 127\.0\.0\.1:\d+: db: scaled to zero, no pod serves\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stuck rollout holds it and is named in its termination message; with onTimeout proceed it starts and says why', async () => {
    // GIVEN a rollout past its progress deadline (the new pods crash-loop)
    server.putWorkload('deployments', deployment({ gen: 5, seen: 5, replicas: 3, updated: 1, available: 2, total: 4, progressing: 'ProgressDeadlineExceeded' }));
    expect((await rolloutStatus('deployments')).text).toContain('exceeded its progress deadline');
    const dir = mkdtempSync(join(tmpdir(), 'ordered-upgrade-'));
    try {
      // WHEN it times out with fail
      const failed = await run(apiOn('Deployment', port, { timeout: Duration.seconds(2) }).env, { WAIT_TERMINATION_LOG: join(dir, 'fail') }).done;
      // THEN the pod does not start, and the reason names the stuck rollout
      expect(failed.code).toBe(1);
      expect(readFileSync(join(dir, 'fail'), 'utf8')).toContain('db: rollout stuck (ProgressDeadlineExceeded), 1/4 updated, 2 available');
      // WHEN it times out with proceed
      const proceeded = await run(apiOn('Deployment', port, { timeout: Duration.seconds(2), onTimeout: TimeoutPolicy.PROCEED }).env,
        { WAIT_TERMINATION_LOG: join(dir, 'proceed') }).done;
      // THEN it starts, saying why
      expect(proceeded.code).toBe(0);
      expect(proceeded.log.join('\n')).toMatch(/WARNING: gave up on the rollout of db, then tcp .* \(db: rollout stuck \(ProgressDeadlineExceeded\)/);
      expect(readFileSync(join(dir, 'proceed'), 'utf8')).toMatch(/^gave up on .*started anyway \(onTimeout: proceed\)\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a dependency deleted while it waits is never taken for ready', async () => {
    server.putWorkload('deployments', deployment({ gen: 6, seen: 6, replicas: 1, updated: 1, available: 0, total: 1 }));
    const r = run(apiOn('Deployment', port).env);
    await watching(r);
    server.deleteWorkload('deployments', 'shop', 'db');
    await until(() => r.log.some((l) => l.includes('db: db was deleted')));
    expect(r.exited()).toBe(false);
    // AND once it is back and ready, the waiter passes
    server.putWorkload('deployments', deployment({ gen: 1, seen: 1, replicas: 1, updated: 1, available: 1, total: 1 }));
    expect((await r.done).code).toBe(0);
  });

  test('watches again when the API server ends the watch', async () => {
    server.putWorkload('deployments', deployment({ gen: 7, seen: 7, replicas: 2, updated: 1, available: 2, total: 3 }));
    const r = run(apiOn('Deployment', port).env);
    await watching(r);
    server.dropWatches();
    server.putWorkload('deployments', deployment({ gen: 7, seen: 7, replicas: 2, updated: 2, available: 2, total: 2 }));
    const result = await r.done;
    expect(result.code).toBe(0);
    expect(result.log.join('\n')).toMatch(/watch ended \(kubectl exit 0\); db: rollout in progress, 1\/3 updated/);
  });

  test('a StatefulSet with a partition is done once the pods above the partition are updated, as kubectl says', async () => {
    // GIVEN a canary: partition 2 of 3 replicas, the one pod above it updated
    server.putWorkload('statefulsets', statefulSet({ gen: 2, seen: 2, replicas: 3, updated: 1, ready: 3, total: 3, partition: 2 }));
    const result = await run(apiOn('StatefulSet', port).env).done;
    expect(result.code).toBe(0);
    expect((await rolloutStatus('statefulsets')).text).toContain('partitioned roll out complete: 1 new pods have been updated');
  });

  test('a StatefulSet rolling out without a partition holds it until every pod is updated', async () => {
    server.putWorkload('statefulsets', statefulSet({ gen: 3, seen: 3, replicas: 3, updated: 1, ready: 2, total: 3 }));
    const r = run(apiOn('StatefulSet', port).env);
    await until(() => r.log.some((l) => l.includes('db: rollout in progress, 1/3 updated, 2 available')));
    expect(r.exited()).toBe(false);
    expect((await rolloutStatus('statefulsets')).code).toBe(0);
    server.putWorkload('statefulsets', statefulSet({ gen: 3, seen: 3, replicas: 3, updated: 3, ready: 3, total: 3 }));
    expect((await r.done).code).toBe(0);
  });

  test('an OnDelete StatefulSet is not waited for beyond its observed generation and an available pod; kubectl refuses it', async () => {
    // GIVEN a new template that no pod has yet (OnDelete: pods change only when deleted)
    server.putWorkload('statefulsets', statefulSet({ gen: 4, seen: 4, replicas: 3, updated: 0, ready: 3, total: 3, strategy: 'OnDelete' }));
    const result = await run(apiOn('StatefulSet', port).env).done;
    expect(result.code).toBe(0);
    expect((await rolloutStatus('statefulsets')).text).toContain('rollout status is only available for RollingUpdate strategy type');
  });

  test('a DaemonSet holds it until every node runs the new pod', async () => {
    server.putWorkload('daemonsets', daemonSet({ gen: 2, seen: 2, desired: 2, updated: 1, available: 2, current: 2 }));
    const r = run(apiOn('DaemonSet', port).env);
    await until(() => r.log.some((l) => l.includes('db: rollout in progress, 1/2 updated, 2 available')));
    expect((await rolloutStatus('daemonsets')).text).toContain('1 out of 2 new pods have been updated');
    server.putWorkload('daemonsets', daemonSet({ gen: 2, seen: 2, desired: 2, updated: 2, available: 2, current: 2 }));
    expect((await r.done).code).toBe(0);
    expect((await rolloutStatus('daemonsets')).text).toContain('successfully rolled out');
  });

  test('several rollouts and checks in one waiter: each rollout, then each check', async () => {
    // GIVEN api depends on db (a Deployment) and cache (a Deployment without a Service: its rollout is the whole wait)
    server.putWorkload('deployments', deployment({ gen: 8, seen: 8, replicas: 1, updated: 1, available: 1, total: 1 }));
    server.putWorkload('deployments', { ...deployment({ gen: 1, seen: 1, replicas: 1, updated: 0, available: 1, total: 1 }), metadata: { name: 'cache', namespace: 'shop', generation: 1 } });
    const { env, waiter } = upgradeWaiter((chart, ordered) => {
      const db = ordered.add(new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:2', portNumber: 5432 }] }));
      const cache = ordered.add(new kplus.Deployment(chart, 'cache', { metadata: { name: 'cache' }, containers: [{ image: 'cache:2', portNumber: 6379 }] }));
      const api = ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:2' }] }));
      api.dependsOn(db, { check: WaitFor.tcp('127.0.0.1', port) });
      api.dependsOn(cache);
    });
    expect(waiter.name).toBe('wait-for-db-cache');
    expect(env.WAIT_ROLLOUTS).toBe('deployments.apps shop db db\ndeployments.apps shop cache cache');
    const r = run(env);
    await until(() => r.log.some((l) => l.includes('cache: rollout in progress, 0/1 updated')));
    expect(r.exited()).toBe(false);
    server.putWorkload('deployments', { ...deployment({ gen: 1, seen: 1, replicas: 1, updated: 1, available: 1, total: 1 }), metadata: { name: 'cache', namespace: 'shop', generation: 1 } });
    const result = await r.done;
    expect(result.code).toBe(0);
    const log = result.log.join('\n');
    expect(log.indexOf("db's rollout is done")).toBeLessThan(log.indexOf("cache's rollout is done"));
    expect(log.indexOf("cache's rollout is done")).toBeLessThan(log.indexOf('db is ready after'));
  });
});
