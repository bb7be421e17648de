import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Component, DependencyOptions, OrderedApp, TimeoutPolicy } from '../lib';
import { BUSYBOX_IMAGE, LogLine, play, podContainers, podmanUnavailable, until, usePodmanNetwork, when } from './podman';
import { networkArgs, podYaml } from './shim';

/**
 * More of the startup graph, run for real by podman: one workload that waits
 * for two others (one waiter checks one, then the other), and an optional
 * dependency (`onTimeout: PROCEED`) that never comes up. Same rules as startup-order.e2e.test.ts: the YAML is the
 * library's, the images are the local busybox, the assertions read conmon's
 * log and `podman inspect`.
 */

const NETWORK = 'ordered-e2e-deps';
const LOCAL = kplus.ImagePullPolicy.IF_NOT_PRESENT;
const NOBODY = { user: 65534, group: 65534 };
const unavailable = podmanUnavailable();
const describeIfPodman = unavailable ? describe.skip : describe;
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING the podman end-to-end suite: ${unavailable}`);
}

/** A dependency: a Pod that listens on `port` after `delay` seconds (never, when undefined), behind a Service. */
interface Dependency {
  readonly id: string;
  readonly port: number;
  readonly delay?: number;
  readonly edge?: DependencyOptions;
}

/**
 * An app: an `api` Pod that depends on each of `dependencies`, in that order.
 * Pods, not Deployments, as in startup-order.e2e.test.ts; the dependencies
 * with `restartPolicy: OnFailure`, the API with `restartPolicy`.
 */
function app(dependencies: Dependency[], restartPolicy = kplus.RestartPolicy.ON_FAILURE) {
  const cdk8sApp = new App();
  const chart = new Chart(cdk8sApp, 'e2e');
  // podman runs no API server and no controllers: the checks go over the network alone (no upgrade checks)
  const ordered = new OrderedApp(chart, 'ordered', { waiterImage: BUSYBOX_IMAGE, upgradeChecks: false });
  const api = ordered.add(new kplus.Pod(chart, 'api', {
    restartPolicy,
    containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: LOCAL, command: ['sh', '-c', 'echo started; exec sleep 3600'], securityContext: NOBODY }],
  }));
  const deps = dependencies.map((d) => {
    const listen = d.delay === undefined
      ? 'echo "never listening"; exec sleep 3600'
      : `sleep ${d.delay}; echo listening; exec nc -ll -p ${d.port} -e echo hello`;
    const pod = new kplus.Pod(chart, d.id, {
      restartPolicy: kplus.RestartPolicy.ON_FAILURE,
      containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: LOCAL, command: ['sh', '-c', listen], portNumber: d.port, securityContext: NOBODY }],
    });
    const service = new kplus.Service(chart, `${d.id}-service`, { ports: [{ port: d.port }] });
    service.select(pod);
    const component: Component = ordered.add(pod, { service });
    api.dependsOn(component, d.edge);
    return { ...d, pod: component.name, service: service.name };
  });
  const manifests = chart.toJson();
  const yamlOf = (name: string) => podYaml(manifests, name);
  return {
    api: { pod: api.name, yaml: yamlOf(api.name) },
    deps: deps.map((d) => ({ ...d, yaml: yamlOf(d.pod) })),
  };
}

/** The first line matching `pattern`, with its index and time, or a failure that shows the log. */
function line(log: LogLine[], pattern: RegExp): { index: number; at: number } {
  const index = log.findIndex((l) => pattern.test(l.text));
  if (index < 0) throw new Error(`no line matching ${pattern} in: ${log.map((l) => l.text).join(' | ')}`);
  return { index, at: log[index].at };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describeIfPodman('podman end to end: several dependencies, optional dependencies', () => {
  usePodmanNetwork(NETWORK);

  test('a workload with two dependencies waits for both in one waiter, and its app container starts only after both listen', async () => {
    // GIVEN an API that depends on a database, then on a cache; the database listens 3 s after it starts, the cache 7 s
    const { api, deps: [db, cache] } = app([
      { id: 'db', port: 5432, delay: 3 },
      { id: 'cache', port: 6379, delay: 7 },
    ]);

    // WHEN the API is played first, then both dependencies
    const apiPlay = play(api.yaml, networkArgs(NETWORK));
    const dbPlay = play(db.yaml, networkArgs(NETWORK, [db.service]));
    const cachePlay = play(cache.yaml, networkArgs(NETWORK, [cache.service]));
    await Promise.all([dbPlay.done, cachePlay.done]);
    const result = await apiPlay.done;
    expect(`${result.code}: ${result.output}`).toMatch(/^0: /);
    await until('the API and both dependencies wrote their first line', () =>
      apiPlay.log().some((l) => l.text === 'started')
      && dbPlay.log().some((l) => l.text === 'listening') && cachePlay.log().some((l) => l.text === 'listening'), 30_000);

    const log = apiPlay.log();
    const dbListening = when(dbPlay.log(), 'listening');
    const cacheListening = when(cachePlay.log(), 'listening');
    const waiting = line(log, /^wait-for: waiting for db and cache \(no timeout\)$/);
    const dbReady = line(log, /^wait-for: db is ready after \d+s$/);
    const cacheReady = line(log, /^wait-for: cache is ready after \d+s$/);
    const ready = line(log, /^wait-for: db and cache is ready after \d+s$/);
    const started = line(log, /^started$/);

    // THEN the one waiter took the database, then the cache, each ready once it listened, before the app container
    expect(waiting.index).toBe(0);
    const order = [waiting.index, dbReady.index, cacheReady.index, ready.index, started.index];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(dbReady.at).toBeGreaterThan(dbListening);
    expect(cacheReady.at).toBeGreaterThan(cacheListening);
    // AND said which dependency it still waited for, and why: the database's address, then only the cache's
    const progress = log.filter((l) => l.text.startsWith('wait-for: still waiting for db and cache after '));
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.text).toMatch(new RegExp(`: (db: ${escape(db.service)}:5432|cache: ${escape(cache.service)}:6379): `));
      if (p.at > dbReady.at) expect(p.text).toContain(`: cache: ${cache.service}:6379: `);
    }
    // AND the app container started after both listened
    expect(started.at).toBeGreaterThan(Math.max(dbListening, cacheListening));
    // AND only the app containers are left, none restarted
    const containers = [api.pod, db.pod, cache.pod].flatMap((p) => podContainers(p));
    expect(containers.map((c) => c.name).sort()).toEqual([api.pod, db.pod, cache.pod].map((p) => `${p}-main`).sort());
    for (const c of containers) {
      expect({ name: c.name, restarts: c.restartCount, status: c.status }).toEqual({ name: c.name, restarts: 0, status: 'running' });
    }
  });

  test('an optional dependency (onTimeout: PROCEED) that never listens lets the app container start after its timeout, with a warning', async () => {
    // GIVEN an API whose cache is optional: wait at most 4 s, then start anyway; and a cache that never listens.
    // restartPolicy Never, so that a waiter exiting 1 instead fails the play at once (under OnFailure, podman 4.3
    // took 149 s to report such a failure when we tried)
    const { api, deps: [cache] } = app([
      { id: 'cache', port: 6379, edge: { timeout: Duration.seconds(4), onTimeout: TimeoutPolicy.PROCEED } },
    ], kplus.RestartPolicy.NEVER);
    await play(cache.yaml, networkArgs(NETWORK, [cache.service])).done;

    // WHEN the API is played
    const apiPlay = play(api.yaml, networkArgs(NETWORK));
    const result = await apiPlay.done;

    // THEN podman reports the pod started (the waiter exited 0)
    expect(`${result.code}: ${result.output}`).toMatch(/^0: /);
    await until('the API\'s app container wrote its first line', () => apiPlay.log().some((l) => l.text === 'started'), 30_000);
    const log = apiPlay.log();
    const waiting = line(log, new RegExp(`^wait-for: waiting for service ${escape(cache.service)} ports 6379 \\(timeout 4s, then proceed\\)$`));
    const warning = line(log, new RegExp(`^wait-for: WARNING: gave up on service ${escape(cache.service)} ports 6379 after [45]s \\(.+\\); starting anyway \\(onTimeout: proceed\\)$`));
    const started = line(log, /^started$/);
    // AND the waiter said what it gave up on, and the app container started after that, not before
    expect(waiting.index).toBe(0);
    expect(warning.index).toBeGreaterThan(waiting.index);
    expect(started.index).toBeGreaterThan(warning.index);
    expect(log.some((l) => /is ready after/.test(l.text))).toBe(false);
    // AND it waited out its timeout first: the 4 s are counted in whole seconds, so more than 3 s passed
    expect(started.at - waiting.at).toBeGreaterThan(3_000);
    // AND the app container runs, the waiter having exited and been removed as a finished init container
    const containers = podContainers(api.pod);
    expect(containers.map((c) => ({ name: c.name, restarts: c.restartCount, status: c.status })))
      .toEqual([{ name: `${api.pod}-main`, restarts: 0, status: 'running' }]);
  });
});
