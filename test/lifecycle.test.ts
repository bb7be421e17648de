import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LifecycleAction, OrderedApp, OrderedAppProps, WaitFor } from '../lib';
import { scriptText } from '../lib/waiters';
import { synthExample } from './support/examples';
import { freePort, killScripts, runHook, sleep } from './support/run-script';
import { env, manifest, podSpec, rawDeployment, scriptOf, synth } from './support/synth';

jest.setTimeout(30_000);
afterEach(killScripts);

/** The command of a hold hook: `sh/hold-NAME.sh` inline, as `sh -c TEXT hold-NAME ARGS...`. */
function hold(name: string, ...args: string[]): string[] {
  return ['/bin/sh', '-c', scriptText(`hold-${name}.sh`), `hold-${name}`, ...args];
}

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

  test('on 1.29+ it leaves native sidecars alone, as the kubelet stops them only after the app containers', () => {
    // GIVEN a drained pod with a proxy and a cache as native sidecars
    const { chart } = proxied({ drain: Duration.seconds(10), kubernetesVersion: '1.29' });
    // WHEN it is synthesized
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    // THEN only the app container pauses, and the grace period grows once
    expect(spec.containers[0].lifecycle).toStrictEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
    expect(spec.initContainers.map((c: any) => [c.name, c.lifecycle])).toEqual([['proxy', undefined], ['cache', undefined]]);
    expect(spec.terminationGracePeriodSeconds).toBe(40);
  });

  test('before 1.29 the sidecars pause too, as they would otherwise stop at once while the app still serves', () => {
    // GIVEN a drained pod whose sidecars are ordinary containers (1.28)
    const { chart } = proxied({ drain: Duration.seconds(10), kubernetesVersion: '1.28' });
    // WHEN it is synthesized
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    // THEN every container pauses before SIGTERM, each with a handler of its own
    expect(spec.containers.map((c: any) => [c.name, c.lifecycle.preStop])).toEqual([
      ['proxy', { exec: { command: ['sleep', '10'] } }],
      ['cache', { exec: { command: ['sleep', '10'] } }],
      ['app', { exec: { command: ['sleep', '10'] } }],
    ]);
    expect(spec.containers[0].lifecycle.preStop).not.toBe(spec.containers[2].lifecycle.preStop);
    expect(spec.terminationGracePeriodSeconds).toBe(40);
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
    expect(keeper.command).toEqual(['/bin/sh', '/ordered/shutdown.sh']);
    expect(scriptOf(out, manifest(out, 'StatefulSet'), keeper)).toMatch(/\ntrap '[^']*' TERM\n/);
    expect(spec.containers[0].lifecycle.preStop.exec.command).toEqual(hold('shutdown', '/run/ordered-shutdown/released', '60', '0'));
    expect(spec.containers[0].volumeMounts).toStrictEqual([{ name: 'ordered-shutdown', mountPath: '/run/ordered-shutdown', readOnly: true }]);
    expect(spec.terminationGracePeriodSeconds).toBe(90);
    // AND only the database's Role may list pods (the api's may only watch the database's rollout)
    const dbName = manifest(out, 'StatefulSet').metadata.name;
    const roles = out.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => r.rules)).toStrictEqual([
      [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
      [{ apiGroups: ['apps'], resourceNames: [dbName], resources: ['statefulsets'], verbs: ['list', 'watch'] }],
    ]);
    // AND the dependent itself is left alone
    expect(podSpec(manifest(out, 'Deployment')).containers.map((c: any) => c.name)).toEqual(['main']);
  });

  test('a dependency outlives its dependents in the order they were added, each once, however their waits were declared', () => {
    // GIVEN three dependents added api, worker, report, whose waits are declared report, api, worker, and a Job
    const { chart, ordered } = app({ orderedShutdown: Duration.seconds(60) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const [api, worker, report] = ['api', 'worker', 'report'].map((id) =>
      ordered.add(new kplus.Deployment(chart, id, { containers: [{ image: `${id}:1`, portNumber: 8080 }] })));
    const migrate = ordered.add(new kplus.Job(chart, 'migrate', { containers: [{ image: 'migrate:1' }] }));
    report.dependsOn(db);
    api.dependsOn(db, { gateReadiness: true });
    worker.dependsOn(db);
    migrate.dependsOn(db);
    // WHEN
    const out = synth(chart);
    // THEN the database's keeper lists them in the order they were added, and not the Job (it is not stopped with the app)
    const keeper = podSpec(manifest(out, 'StatefulSet')).containers.find((c: any) => c.name === 'ordered-shutdown');
    const name = (id: string) => out.find((m) => m.kind === 'Deployment' && m.metadata.name.includes(`-${id}-`)).metadata.name;
    expect(env(keeper, 'SHUTDOWN_DEPENDENTS')).toBe([name('api'), name('worker'), name('report')].join(', '));
  });

  test('with drain too, a dependency holds SIGTERM until its dependents are gone and the drain pause has passed', () => {
    // GIVEN a database that drains 10 s and outlives its dependents for at most 60 s
    const { chart, ordered } = app({ orderedShutdown: Duration.seconds(60), drain: Duration.seconds(10) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1', portNumber: 8080 }] }));
    api.dependsOn(db);
    // WHEN it is synthesized
    const out = synth(chart);
    // THEN the database's hold loops while it is not released (within 60 s) or the drain pause has not passed
    const spec = podSpec(manifest(out, 'StatefulSet'));
    expect(spec.containers[0].lifecycle.preStop.exec.command).toEqual(hold('shutdown', '/run/ordered-shutdown/released', '60', '10'));
    expect(scriptText('hold-shutdown.sh')).toBe('i=0\n'
      + 'while { [ ! -e "$1" ] && [ "$i" -lt "$2" ]; } || [ "$i" -lt "$3" ]; do sleep 1; i=$((i+1)); done\n');
    // AND the grace period covers the longer of the two, as both count from the moment the pod is told to stop
    expect(spec.terminationGracePeriodSeconds).toBe(90);
    // AND the dependent, which has no dependents of its own, just drains
    expect(podSpec(manifest(out, 'Deployment')).containers[0].lifecycle).toStrictEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
  });

  test('with drain too, a native sidecar is held without the drain pause', () => {
    // GIVEN a drained dependency on 1.29 with a native sidecar
    const { chart, ordered } = app({ kubernetesVersion: '1.29', orderedShutdown: Duration.seconds(60), drain: Duration.seconds(10) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', {
      containers: [{ name: 'db', image: 'postgres:16', portNumber: 5432 }, { name: 'proxy', image: 'envoy:1.31', portNumber: 15001 }],
    }), { sidecars: ['proxy'] });
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] })).dependsOn(db);
    // WHEN it is synthesized
    const spec = podSpec(manifest(synth(chart), 'StatefulSet'));
    // THEN the app container holds for the drain too, and the sidecar (stopped after it) only until the release
    expect(spec.containers[0].lifecycle.preStop.exec.command).toEqual(hold('shutdown', '/run/ordered-shutdown/released', '60', '10'));
    expect(spec.initContainers[0].lifecycle.preStop.exec.command).toEqual(hold('shutdown', '/run/ordered-shutdown/released', '60', '0'));
  });

  test('with a drain longer than the shutdown bound, the grace period covers the drain', () => {
    const { chart, ordered } = app({ orderedShutdown: Duration.seconds(10), drain: Duration.seconds(20) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] })).dependsOn(db);
    expect(podSpec(manifest(synth(chart), 'StatefulSet')).terminationGracePeriodSeconds).toBe(50);
  });

  test('the hold with drain runs for real: at least the drain pause, and until the release when that comes later', async () => {
    // GIVEN the preStop hold of a dependency that drains 2 s, with its shared folder moved to a temp folder
    const { chart, ordered } = app({ orderedShutdown: Duration.seconds(30), drain: Duration.seconds(2) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] })).dependsOn(db);
    const dir = mkdtempSync(join(tmpdir(), 'ordered-hold-'));
    const command: string[] = podSpec(manifest(synth(chart), 'StatefulSet')).containers[0].lifecycle.preStop.exec.command
      .map((w: string) => w.replace('/run/ordered-shutdown', dir));
    try {
      // WHEN the dependents are already gone (released) as the pod stops
      writeFileSync(join(dir, 'released'), '');
      const early = await runHook(command).done;
      // THEN it still pauses for the drain
      expect(early.code).toBe(0);
      expect(early.exitedAt - early.startedAt).toBeGreaterThanOrEqual(1_900);
      expect(early.exitedAt - early.startedAt).toBeLessThan(3_500);
      // WHEN the release comes only after 3.5 s
      rmSync(join(dir, 'released'));
      const late = runHook(command);
      await sleep(3_500);
      // THEN it holds until then, and returns within about a second of it
      expect(late.exited()).toBe(false);
      writeFileSync(join(dir, 'released'), '');
      const releasedAt = Date.now();
      const result = await late.done;
      expect(result.code).toBe(0);
      expect(result.exitedAt - releasedAt).toBeLessThan(1_500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    expect(() => LifecycleAction.httpGet('warm', { port: 80 })).toThrow('LifecycleAction.httpGet: path "warm" does not start with \'/\'; give a path such as \'/warm\'');
    expect(() => LifecycleAction.command([])).toThrow("LifecycleAction.command: command [] is empty; give the program to run, such as ['/app/warm-cache']");
    const { chart, ordered } = app();
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }] }));
    api.addPostStart(LifecycleAction.command(['x']), { container: 'nope' });
    expect(() => synth(chart)).toThrow(/postStart names container 'nope', which the pod does not have \(it has: app\)/);
  });

  test('fails when a command argument has a NUL, which no process can receive', () => {
    expect(() => LifecycleAction.command(['/bin/prime', 'a\u0000b']))
      .toThrow('LifecycleAction.command: command[1] "a\\u0000b" has a NUL character, which no argument or environment variable can carry');
  });

  test('fails when the HTTP path would split the request or the port is no TCP port', () => {
    expect(() => LifecycleAction.httpGet('/warm\r\nHost: x', { port: 8080 })).toThrow('LifecycleAction.httpGet: path "/warm\\r\\nHost: x" has ');
    expect(() => LifecycleAction.httpGet('/warm', { port: 70000 }))
      .toThrow("LifecycleAction.httpGet: port 70000 is not a TCP port: a whole number from 1 to 65535; give the container's port, such as 8080");
  });

  test('fails when the postStart container is not a container name', () => {
    const { chart, ordered } = app();
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }] }));
    expect(() => api.addPostStart(LifecycleAction.command(['x']), { container: 'App' }))
      .toThrow('shop/api: postStart container "App" is not a DNS-1123 label');
  });

  test('fails when the action is not a LifecycleAction', () => {
    const { chart, ordered } = app();
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }] }));
    expect(() => api.addPostStart({ exec: { command: ['x'] } } as unknown as LifecycleAction))
      .toThrow('shop/api: addPostStart action {"exec":{"command":["x"]}} is not a LifecycleAction; make one with LifecycleAction.command(...)');
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

  test('on 1.29+ the startup probe is a copy of the readiness probe without its successThreshold, which must be 1', () => {
    // GIVEN a proxy that is Ready only after two successful checks
    const { chart, ordered } = app({ kubernetesVersion: '1.29' });
    ordered.add(new kplus.Deployment(chart, 'api', {
      containers: [
        { name: 'app', image: 'shop/api:1', portNumber: 8080 },
        { name: 'proxy', image: 'envoy:1.31', portNumber: 15001, readiness: kplus.Probe.fromHttpGet('/ready', { port: 15021, successThreshold: 2 }) },
      ],
    }), { sidecars: ['proxy'] });
    // WHEN it is synthesized
    const proxy = podSpec(manifest(synth(chart), 'Deployment')).initContainers[0];
    // THEN the readiness probe keeps its threshold, and the startup probe checks the same path without one
    expect(proxy.readinessProbe.successThreshold).toBe(2);
    expect(proxy.startupProbe).toStrictEqual({ httpGet: { path: '/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 1, failureThreshold: 300 });
    // AND the two probes share no object
    expect(proxy.startupProbe.httpGet).not.toBe(proxy.readinessProbe.httpGet);
  });

  test('before 1.29 sidecars go first and hold the next container with postStart until ready', () => {
    const { chart } = proxied({ kubernetesVersion: '1.28' });
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['proxy', 'cache', 'app']);
    expect(spec.initContainers).toBeUndefined();
    for (const c of spec.containers) expect(c.restartPolicy).toBeUndefined();
    // the proxy's hold checks its HTTP readiness probe, the cache's its port: the values are the hook's arguments, not part of its shell
    expect(spec.containers[0].lifecycle.postStart.exec.command).toEqual(hold('http', '127.0.0.1', '15021', '/ready'));
    expect(scriptText('hold-http.sh')).toMatch(/\nuntil check "\$1" "\$2" "\$3"; do sleep 1; done\n$/);
    expect(spec.containers[1].lifecycle.postStart.exec.command).toEqual(hold('tcp', '11211'));
    expect(scriptText('hold-tcp.sh')).toBe('until nc -w 1 127.0.0.1 "$1" </dev/null >/dev/null 2>&1; do sleep 1; done\n');
  });

  test('before 1.29 an HTTPS readiness probe is held on its port only, as nc speaks no TLS', () => {
    const { chart, ordered } = app({ kubernetesVersion: '1.28' });
    ordered.add(new kplus.Deployment(chart, 'api', {
      containers: [
        { name: 'app', image: 'shop/api:1', portNumber: 8080 },
        { name: 'proxy', image: 'envoy:1.31', readiness: kplus.Probe.fromHttpGet('/ready', { port: 15021, scheme: kplus.ConnectionScheme.HTTPS }) },
      ],
    }), { sidecars: ['proxy'] });
    const proxy = podSpec(manifest(synth(chart), 'Deployment')).containers[0];
    expect(proxy.lifecycle.postStart.exec.command).toEqual(hold('tcp', '15021'));
  });

  test('before 1.29 an exec readiness probe is held by running its command, whose words are the hook\'s arguments as written', () => {
    // GIVEN a sidecar whose readiness probe runs a command with words the shell, or the kubelet's $(VAR) expansion, would read
    const { chart, ordered } = app({ kubernetesVersion: '1.28' });
    ordered.add(new kplus.Deployment(chart, 'api', {
      containers: [
        { name: 'app', image: 'shop/api:1', portNumber: 8080 },
        { name: 'proxy', image: 'envoy:1.31', readiness: kplus.Probe.fromCommand(['test', '-e', "/run/it's $(ready) *"]) },
      ],
    }), { sidecars: ['proxy'] });
    // WHEN synthesized
    const proxy = podSpec(manifest(synth(chart), 'Deployment')).containers[0];
    // THEN the hook runs "$@" until it succeeds, with the probe's words verbatim (the kubelet expands no $(VAR) in a hook)
    expect(proxy.lifecycle.postStart.exec.command).toEqual(hold('command', 'test', '-e', "/run/it's $(ready) *"));
    expect(scriptText('hold-command.sh')).toBe('until "$@"; do sleep 1; done\n');
  });

  test('before 1.29 the hold on an HTTP readiness probe runs for real and returns only once the path answers 200-399', async () => {
    // GIVEN a sidecar whose readiness probe GETs /ready, served by a server that answers 503 for now
    const port = await freePort();
    let status = 503;
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(`${status}\n`);
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const { chart, ordered } = app({ kubernetesVersion: '1.28' });
      ordered.add(new kplus.Deployment(chart, 'api', {
        containers: [
          { name: 'app', image: 'shop/api:1', portNumber: 8080 },
          { name: 'proxy', image: 'envoy:1.31', readiness: kplus.Probe.fromHttpGet('/ready', { port }) },
        ],
      }), { sidecars: ['proxy'] });
      const command = podSpec(manifest(synth(chart), 'Deployment')).containers[0].lifecycle.postStart.exec.command;
      expect(command).toEqual(hold('http', '127.0.0.1', String(port), '/ready'));
      // WHEN the hook runs under busybox sh, with busybox applets only on the PATH
      const run = runHook(command);
      await sleep(2_500);
      // THEN it keeps holding while the probe path answers 503, asking for it each time
      expect(run.exited()).toBe(false);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(new Set(seen)).toEqual(new Set(['GET /ready']));
      // WHEN the path answers 200
      status = 200;
      const readyAt = Date.now();
      const result = await run.done;
      // THEN it returns 0 within about a second
      expect(result.code).toBe(0);
      expect(result.exitedAt - readyAt).toBeLessThan(1_500);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  /** A raw Deployment whose sidecars' readiness probes name their ports, as the Kubernetes API allows. */
  function namedPorts(version: string, proxyProbe: any, cacheProbe: any = { tcpSocket: { port: 'redis' } }) {
    const { chart, ordered } = app({ kubernetesVersion: version });
    ordered.add(rawDeployment(chart, 'api', [
      { name: 'app', image: 'shop/api:1', ports: [{ containerPort: 8080 }] },
      { name: 'proxy', image: 'envoy:1.31', ports: [{ name: 'http', containerPort: 15001 }, { name: 'admin', containerPort: 15021 }], readinessProbe: proxyProbe },
      { name: 'cache', image: 'redis:7', ports: [{ name: 'redis', containerPort: 6379 }], readinessProbe: cacheProbe },
    ]), { sidecars: ['proxy', 'cache'] });
    return chart;
  }

  test('before 1.29 a probe that names its port is held on the number of the container\'s port of that name', () => {
    // GIVEN sidecars whose readiness probes say httpGet.port: admin and tcpSocket.port: redis
    const chart = namedPorts('1.27', { httpGet: { path: '/ready', port: 'admin' } });
    // WHEN synthesized for 1.27, where sidecars hold the next container with postStart
    const [proxy, cache] = podSpec(manifest(synth(chart), 'Deployment')).containers;
    // THEN the holds connect to the ports' numbers, which the shell can dial, not to their names
    expect(proxy.lifecycle.postStart.exec.command).toEqual(hold('http', '127.0.0.1', '15021', '/ready'));
    expect(cache.lifecycle.postStart.exec.command).toEqual(hold('tcp', '6379'));
  });

  test('before 1.29 an HTTPS or gRPC probe is held on its own port, by name or number, not on the first port', () => {
    const https = podSpec(manifest(synth(namedPorts('1.28', { httpGet: { path: '/ready', port: 'admin', scheme: 'HTTPS' } })), 'Deployment'));
    expect(https.containers[0].lifecycle.postStart.exec.command).toEqual(hold('tcp', '15021'));
    const grpc = podSpec(manifest(synth(namedPorts('1.28', { grpc: { port: 15021 } })), 'Deployment'));
    expect(grpc.containers[0].lifecycle.postStart.exec.command).toEqual(hold('tcp', '15021'));
  });

  test('before 1.29 the hold on a probe that names its port runs for real and returns once that port answers', async () => {
    // GIVEN a sidecar whose HTTP readiness probe names its port 'admin', served on a free port
    const port = await freePort();
    const server = http.createServer((_req, res) => res.end('ok\n'));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const { chart, ordered } = app({ kubernetesVersion: '1.27' });
      ordered.add(new ApiObject(chart, 'api', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api' },
        spec: {
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: {
              containers: [
                { name: 'app', image: 'shop/api:1' },
                { name: 'proxy', image: 'envoy:1.31', ports: [{ name: 'admin', containerPort: port }], readinessProbe: { httpGet: { path: '/ready', port: 'admin' } } },
              ],
            },
          },
        },
      }), { sidecars: ['proxy'] });
      const command = podSpec(manifest(synth(chart), 'Deployment')).containers[0].lifecycle.postStart.exec.command;
      // WHEN the hook runs under busybox sh
      const result = await runHook(command).done;
      // THEN it returns 0, as the sidecar answers on the port of that name
      expect(result.code).toBe(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 10_000);

  test('on 1.29+ a native sidecar\'s startup probe keeps the port name, which the kubelet resolves in that container', () => {
    const [proxy, cache] = podSpec(manifest(synth(namedPorts('1.29', { httpGet: { path: '/ready', port: 'admin' } })), 'Deployment')).initContainers;
    expect(proxy.startupProbe.httpGet.port).toBe('admin');
    expect(proxy.ports.map((p: any) => p.name)).toEqual(['http', 'admin']);
    expect(cache.startupProbe.tcpSocket.port).toBe('redis');
  });

  test.each(['1.27', '1.29'])('fails on %s when a sidecar\'s probe names a port the container does not have', (version) => {
    // GIVEN a proxy whose readiness probe names a port 'metrics' it does not declare
    const chart = namedPorts(version, { httpGet: { path: '/ready', port: 'metrics' } });
    // WHEN synthesized THEN the error names the construct path, the container, the bad value and the fix
    expect(() => synth(chart)).toThrow("shop/api: sidecar 'proxy' readinessProbe.httpGet.port is \"metrics\", which names none of the container's ports "
      + '(it has: http=15001, admin=15021), so the sidecar would never be ready and the app containers never start; give the port number '
      + 'or the name of one of its ports, or add a port of that name to the container');
  });

  test('fails when a sidecar\'s probe port is a number that is no TCP port', () => {
    const outOfRange = namedPorts('1.27', { httpGet: { path: '/ready', port: 'admin' } }, { tcpSocket: { port: 70000 } });
    expect(() => synth(outOfRange)).toThrow("shop/api: sidecar 'cache' readinessProbe.tcpSocket.port is 70000, which is not a TCP port; "
      + "give a number from 1 to 65535 or the name of one of the container's ports (it has: redis=6379)");
  });

  test('fails when a sidecar name is not a container', () => {
    const { chart, ordered } = app();
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ name: 'app', image: 'a:1' }] }), { sidecars: ['proxy'] });
    expect(() => synth(chart)).toThrow(/sidecars names container 'proxy', which the pod does not have/);
  });
});

describe('synthesized YAML', () => {
  test.each(['1.27', '1.28', '1.29', '1.30'])('on %s drained pods with sidecars and a shutdown hold are written without YAML anchors or aliases', (version) => {
    // GIVEN two drained components with several app containers and HTTP-probed sidecars, one of them outliving the other
    const build = (a: App) => {
      const chart = new Chart(a, 'shop', { namespace: 'shop' });
      const ordered = new OrderedApp(chart, 'ordered', { kubernetesVersion: version, drain: Duration.seconds(5), orderedShutdown: Duration.seconds(30) });
      const pod = (name: string, port: number) => [
        { name: 'app', image: `shop/${name}:1`, portNumber: port },
        { name: 'worker', image: `shop/${name}-worker:1` },
        { name: 'proxy', image: 'envoy:1.31', portNumber: 15001, readiness: kplus.Probe.fromHttpGet('/ready', { port: 15021 }) },
        { name: 'cache', image: 'memcached:1.6', portNumber: 11211 },
      ];
      const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: pod('db', 5432) }), { sidecars: ['proxy', 'cache'] });
      ordered.add(new kplus.Deployment(chart, 'api', { containers: pod('api', 8080) }), { sidecars: ['proxy', 'cache'] }).dependsOn(db);
      return chart;
    };
    // WHEN it is written as cdk8s writes it
    const { files, manifests } = synthExample(build);
    // THEN the pods do have several preStop hooks (and native sidecars on 1.29+ a startup probe from their readiness probe)
    const api = podSpec(manifest(manifests, 'Deployment'));
    expect(api.containers.filter((c: any) => c.lifecycle?.preStop).length).toBeGreaterThanOrEqual(2);
    // AND no object is written as an anchor and aliases: every container has its own
    for (const [file, text] of Object.entries(files)) {
      expect({ file, aliases: text.match(/[&*]a\d+/g) }).toEqual({ file, aliases: null });
    }
  });
});

describe('kubernetesVersion', () => {
  test('fails when the version is not one we write for', () => {
    const chart = Testing.chart();
    expect(() => new OrderedApp(chart, 'a', { kubernetesVersion: '1.26' }))
      .toThrow("test/a: kubernetesVersion \"1.26\" is not a version we write for: major.minor from 1.27 to 1.34; give '1.27' to '1.34'");
    expect(() => new OrderedApp(chart, 'b', { kubernetesVersion: 'v1.30' })).toThrow('test/b: kubernetesVersion "v1.30" is not a version we write for');
  });

  test('fails when the version has a patch or a leading zero', () => {
    const chart = Testing.chart();
    expect(() => new OrderedApp(chart, 'a', { kubernetesVersion: '1.30.2' })).toThrow('test/a: kubernetesVersion "1.30.2" is not a version we write for');
    expect(() => new OrderedApp(chart, 'b', { kubernetesVersion: '1.030' })).toThrow('test/b: kubernetesVersion "1.030" is not a version we write for');
  });
});
