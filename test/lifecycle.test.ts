import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LifecycleAction, OrderedApp, OrderedAppProps, WaitFor } from '../lib';
import { env, manifest, podSpec, synth } from './support/synth';

function app(props: OrderedAppProps = {}) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered', props);
  return { chart, ordered };
}

function proxied(props: OrderedAppProps) {
  const { chart, ordered } = app(props);
  const api = ordered.add(new kplus.Deployment(chart, 'api', {
    containers: [
      { name: 'app', image: 'shop/api:1', portNumber: 8080 },
      { name: 'proxy', image: 'envoy:1.31', portNumber: 15001, readiness: kplus.Probe.fromHttpGet('/ready', { port: 15021 }) },
      { name: 'cache', image: 'memcached:1.6', portNumber: 11211 },
    ],
  }), { sidecars: ['proxy', 'cache'] });
  return { chart, api };
}

describe('graceful drain', () => {
  test('on 1.27 the preStop pause runs sleep in the container, and the grace period grows by it', () => {
    const { chart, ordered } = app({ drain: Duration.seconds(10) });
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1' }] }));
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.containers[0].lifecycle).toStrictEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
    expect(spec.terminationGracePeriodSeconds).toBe(40);
  });

  test('on 1.30 it uses the native sleep action', () => {
    const { chart, ordered } = app({ drain: Duration.seconds(10), kubernetesVersion: '1.30' });
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1' }] }));
    expect(podSpec(manifest(synth(chart), 'Deployment')).containers[0].lifecycle).toStrictEqual({ preStop: { sleep: { seconds: 10 } } });
  });

  test('a component\'s own drain wins over the app\'s', () => {
    const { chart, ordered } = app({ drain: Duration.seconds(10) });
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1' }] }), { drain: Duration.seconds(3) });
    expect(podSpec(manifest(synth(chart), 'Deployment')).terminationGracePeriodSeconds).toBe(33);
  });

  test('fails when the container already has a preStop hook', () => {
    const { chart, ordered } = app({ drain: Duration.seconds(10) });
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1', lifecycle: { preStop: kplus.Handler.fromCommand(['x']) } }] }));
    expect(() => synth(chart)).toThrow(/container 'main' already has a preStop hook/);
  });
});

describe('ordered shutdown', () => {
  test('a dependency holds its SIGTERM until its dependents are gone, within a bound', () => {
    // GIVEN
    const { chart, ordered } = app({ orderedShutdown: Duration.seconds(60) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1', portNumber: 8080 }] }));
    api.dependsOn(db);
    // WHEN
    const out = synth(chart);
    // THEN the database waits for the api's pods
    const spec = podSpec(manifest(out, 'StatefulSet'));
    const keeper = spec.containers.find((c: any) => c.name === 'ordered-shutdown');
    const apiLabels = manifest(out, 'Deployment').spec.selector.matchLabels;
    expect(env(keeper, 'SHUTDOWN_SELECTORS')).toBe(Object.entries(apiLabels).map(([k, v]) => `${k}=${v}`).join(','));
    expect(env(keeper, 'SHUTDOWN_TIMEOUT')).toBe('60');
    expect(keeper.command[2]).toContain('trap release TERM');
    expect(spec.containers[0].lifecycle.preStop.exec.command[2]).toContain('/run/ordered-shutdown/released');
    expect(spec.containers[0].volumeMounts).toStrictEqual([{ name: 'ordered-shutdown', mountPath: '/run/ordered-shutdown', readOnly: true }]);
    expect(spec.terminationGracePeriodSeconds).toBe(90);
    // AND only the database's Role may list pods
    const roles = out.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => r.rules)).toStrictEqual([[{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]]);
    // AND the dependent itself is left alone
    expect(podSpec(manifest(out, 'Deployment')).containers.map((c: any) => c.name)).toEqual(['main']);
  });

  test('is off unless asked for', () => {
    const { chart, ordered } = app();
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] }));
    api.dependsOn(db);
    const spec = podSpec(manifest(synth(chart), 'StatefulSet'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['main']);
    expect(spec.containers[0].lifecycle).toBeUndefined();
  });
});

describe('postStart', () => {
  test('runs a command or calls an HTTP endpoint after start', () => {
    const { chart, ordered } = app();
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }, { name: 'worker', image: 'w:1' }] }));
    api.addPostStart(LifecycleAction.httpGet('/warm', { port: 8080 }));
    api.addPostStart(LifecycleAction.command(['/bin/prime']), { container: 'worker' });
    const [app1, worker] = podSpec(manifest(synth(chart), 'Deployment')).containers;
    expect(app1.lifecycle).toStrictEqual({ postStart: { httpGet: { path: '/warm', port: 8080 } } });
    expect(worker.lifecycle).toStrictEqual({ postStart: { exec: { command: ['/bin/prime'] } } });
  });

  test('fails with the fix when the action or container is wrong', () => {
    expect(() => LifecycleAction.httpGet('warm', { port: 80 })).toThrow("path 'warm' must start with '/'");
    expect(() => LifecycleAction.command([])).toThrow('command is empty');
    const { chart, ordered } = app();
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }] }));
    api.addPostStart(LifecycleAction.command(['x']), { container: 'nope' });
    expect(() => synth(chart)).toThrow(/postStart names container 'nope', which the pod does not have \(it has: app\)/);
  });
});

describe('containers start in order', () => {
  test('on 1.29+ sidecars become native sidecars with a startup probe, after the waiters', () => {
    const { chart, api } = proxied({ kubernetesVersion: '1.29' });
    api.waitFor(WaitFor.tcp('db', 5432));
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
      ['wait-for-db-5432', undefined], ['proxy', 'Always'], ['cache', 'Always'],
    ]);
    const [, proxy, cache] = spec.initContainers;
    expect(proxy.startupProbe).toMatchObject({ httpGet: { path: '/ready', port: 15021 }, periodSeconds: 1 });
    expect(cache.startupProbe).toMatchObject({ tcpSocket: { port: 11211 } });
  });

  test('before 1.29 sidecars go first and hold the next container with postStart until ready', () => {
    const { chart } = proxied({ kubernetesVersion: '1.28' });
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['proxy', 'cache', 'app']);
    expect(spec.initContainers).toBeUndefined();
    for (const c of spec.containers) expect(c.restartPolicy).toBeUndefined();
    expect(spec.containers[0].lifecycle.postStart.exec.command).toEqual(['/bin/sh', '-c', 'until nc -w 1 127.0.0.1 15021 </dev/null >/dev/null 2>&1; do sleep 1; done']);
    expect(spec.containers[1].lifecycle.postStart.exec.command[2]).toContain('127.0.0.1 11211');
  });

  test('fails when a sidecar name is not a container', () => {
    const { chart, ordered } = app();
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }] }), { sidecars: ['proxy'] });
    expect(() => synth(chart)).toThrow(/sidecars names container 'proxy', which the pod does not have/);
  });
});

describe('kubernetesVersion', () => {
  test('fails when the version is not one we write for', () => {
    const chart = Testing.chart();
    expect(() => new OrderedApp(chart, 'a', { kubernetesVersion: '1.26' })).toThrow("test/a: kubernetesVersion '1.26' is not a version we write for; give '1.27' to '1.34'");
    expect(() => new OrderedApp(chart, 'b', { kubernetesVersion: 'v1.30' })).toThrow("kubernetesVersion 'v1.30'");
  });
});
