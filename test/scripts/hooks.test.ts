import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp } from '../../lib';
import { freePort, killScripts, listen, runHook, sleep } from '../support/run-script';
import { manifest, podSpec, rawDeployment, synth } from '../support/synth';

/**
 * The hold hooks, run for real: the exec command a synthesized pod carries
 * (`/bin/sh -c TEXT hold-NAME ARGS...`), run as written under busybox sh with
 * only busybox applets on the PATH, against real listeners that appear (or
 * answer 200, or a command that starts to succeed) after a delay.
 */

jest.setTimeout(30_000);
afterEach(killScripts);

/** Readiness is noticed "within about a second" (the holds try every second), with room for a loaded machine. */
const NOTICE_MS = 1_600;
/** How long a hold is watched not returning before what it waits for appears. */
const HELD_MS = 2_500;

/** The postStart hook command of the sidecar `proxy` (with `ports` and `readinessProbe`), as written for Kubernetes 1.28. */
function sidecarHold(proxy: { ports?: any[]; readinessProbe?: any }): string[] {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered', { kubernetesVersion: '1.28' });
  ordered.add(rawDeployment(chart, 'api', [{ name: 'app', image: 'shop/api:1' }, { name: 'proxy', image: 'envoy:1.31', ...proxy }]),
    { sidecars: ['proxy'] });
  const spec = podSpec(manifest(synth(chart), 'Deployment'));
  expect(spec.containers.map((c: any) => c.name)).toEqual(['proxy', 'app']);
  return spec.containers[0].lifecycle.postStart.exec.command;
}

describe('postStart hold of a sidecar', () => {
  test('on a port returns only once a listener appears on it', async () => {
    // GIVEN the hold of a sidecar with a port and no readiness probe, nothing listening there yet
    const port = await freePort();
    const command = sidecarHold({ ports: [{ containerPort: port }] });
    expect(command.slice(3)).toEqual(['hold-tcp', String(port)]);
    // WHEN it runs
    const run = runHook(command);
    await sleep(HELD_MS);
    // THEN it holds while the port refuses connections
    expect(run.exited()).toBe(false);
    // WHEN a listener appears
    const server = await listen(port);
    const readyAt = Date.now();
    try {
      const result = await run.done;
      // THEN it returns 0 within about a second
      expect(result.code).toBe(0);
      expect(result.exitedAt - readyAt).toBeLessThan(NOTICE_MS);
    } finally {
      server.close();
    }
  });

  test('on an HTTP probe returns only once its path answers 200, and asks for the path as written', async () => {
    // GIVEN the hold of a sidecar whose readiness probe GETs a path holding a quote and a $(...)
    const port = await freePort();
    const path = "/ready?who=it's&x=$(id)";
    const command = sidecarHold({ ports: [{ name: 'admin', containerPort: port }], readinessProbe: { httpGet: { path, port: 'admin' } } });
    expect(command.slice(3)).toEqual(['hold-http', '127.0.0.1', String(port), path]);
    // WHEN it runs while nothing listens yet
    const run = runHook(command);
    await sleep(HELD_MS);
    // THEN it holds
    expect(run.exited()).toBe(false);
    // WHEN a server answers 503, then 200
    let status = 503;
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(status);
      res.end();
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      await sleep(HELD_MS);
      // THEN it holds while the answer is 503, asking for the path exactly as the probe gives it
      expect(run.exited()).toBe(false);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(new Set(seen)).toEqual(new Set([`GET ${path}`]));
      status = 200;
      const readyAt = Date.now();
      const result = await run.done;
      // AND returns 0 within about a second of the 200
      expect(result.code).toBe(0);
      expect(result.exitedAt - readyAt).toBeLessThan(NOTICE_MS);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('on an exec probe returns only once its command succeeds, each word reaching it as written', async () => {
    // GIVEN the hold of a sidecar whose readiness probe tests for a file whose name the shell would otherwise read
    const dir = mkdtempSync(join(tmpdir(), 'ordered-hold-'));
    const file = join(dir, "it's $(ready) *");
    try {
      const command = sidecarHold({ ports: [{ containerPort: 8080 }], readinessProbe: { exec: { command: ['test', '-e', file] } } });
      expect(command.slice(3)).toEqual(['hold-command', 'test', '-e', file]);
      // WHEN it runs while the file is missing
      const run = runHook(command);
      await sleep(HELD_MS);
      // THEN it holds
      expect(run.exited()).toBe(false);
      // WHEN the file appears
      writeFileSync(file, '');
      const readyAt = Date.now();
      const result = await run.done;
      // THEN it returns 0 within about a second
      expect(result.code).toBe(0);
      expect(result.exitedAt - readyAt).toBeLessThan(NOTICE_MS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('preStop hold of ordered shutdown', () => {
  /** The preStop hook command of a dependency that outlives its dependent for at most `seconds`, its shared folder moved to `dir`. */
  function shutdownHold(seconds: number, dir: string): string[] {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered', { orderedShutdown: Duration.seconds(seconds) });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] })).dependsOn(db);
    const command: string[] = podSpec(manifest(synth(chart), 'StatefulSet')).containers[0].lifecycle.preStop.exec.command;
    expect(command.slice(3)).toEqual(['hold-shutdown', '/run/ordered-shutdown/released', String(seconds), '0']);
    return command.map((w) => w.replace('/run/ordered-shutdown', dir));
  }

  test('returns only once released, and at the bound if that comes first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordered-hold-'));
    try {
      // GIVEN the hold, bound to 30 s, not released
      const run = runHook(shutdownHold(30, dir));
      await sleep(HELD_MS);
      // THEN it holds
      expect(run.exited()).toBe(false);
      // WHEN the shutdown-order container releases it
      writeFileSync(join(dir, 'released'), '');
      const releasedAt = Date.now();
      const result = await run.done;
      // THEN it returns within about a second
      expect(result.code).toBe(0);
      expect(result.exitedAt - releasedAt).toBeLessThan(NOTICE_MS);
      // AND bound to 2 s and never released, it returns after about 2 s
      rmSync(join(dir, 'released'));
      const bounded = await runHook(shutdownHold(2, dir)).done;
      expect(bounded.code).toBe(0);
      expect(bounded.exitedAt - bounded.startedAt).toBeGreaterThanOrEqual(1_900);
      expect(bounded.exitedAt - bounded.startedAt).toBeLessThan(2_000 + NOTICE_MS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
