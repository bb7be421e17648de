import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, WaitFor } from '../../lib';
import { env, manifest, podSpec, scriptOf, synth } from '../support/synth';

/** The shop, its dependencies checked over the network alone (the rollout check is covered in upgrades.test.ts). */
function shop() {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false });
  const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
  const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1' }] }));
  const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1', portNumber: 8080 }] }));
  return { chart, ordered, db, seed, api };
}

describe('readiness gates', () => {
  test('gateReadiness on an edge adds a readiness gate and a gate keeper that runs the same check', () => {
    // GIVEN
    const { chart, db, api } = shop();
    // WHEN
    api.dependsOn(db, { gateReadiness: true });
    // THEN
    const out = synth(chart);
    const spec = podSpec(manifest(out, 'Deployment'));
    expect(spec.readinessGates).toStrictEqual([{ conditionType: 'ordered.cdk8s.io/db' }]);
    const waiter = spec.initContainers[0];
    const gate = spec.containers.find((c: any) => c.name === 'gate-db');
    expect(gate.image).toBe(OrderedApp.DEFAULT_KUBECTL_IMAGE);
    expect(env(gate, 'GATE_CONDITION')).toBe('ordered.cdk8s.io/db');
    expect(env(gate, 'WAIT_ADDRESSES')).toBe(env(waiter, 'WAIT_ADDRESSES'));
    expect(env(gate, 'GATE_PERIOD')).toBe('5');
    expect(gate.env.slice(0, 2)).toStrictEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
    expect(gate.command).toEqual(['/bin/sh', '/ordered/gate-tcp.sh']);
    expect(scriptOf(out, manifest(out, 'Deployment'), gate)).toContain('--subresource=status');
    expect(gate.securityContext.runAsNonRoot).toBe(true);
  });

  test('two gated targets with the same id, from different charts, get distinct conditions and keepers', () => {
    // GIVEN two workloads called 'db' in two charts, both gating the api
    const app = Testing.app();
    const shopChart = new Chart(app, 'shop', { namespace: 'shop' });
    const cacheChart = new Chart(app, 'cache', { namespace: 'shop' });
    const ordered = new OrderedApp(shopChart, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(shopChart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const cacheDb = ordered.add(new kplus.StatefulSet(cacheChart, 'db', { containers: [{ image: 'redis:7', portNumber: 6379 }] }));
    const api = ordered.add(new kplus.Deployment(shopChart, 'api', { containers: [{ image: 'shop/api:1', portNumber: 8080 }] }));
    // WHEN
    api.dependsOn(db, { gateReadiness: true });
    api.gateReadinessOn(cacheDb);
    api.gateReadinessOn(cacheDb);
    // THEN each has its own condition, written by its own keeper
    const spec = podSpec(manifest(synth(shopChart), 'Deployment'));
    expect(spec.readinessGates).toStrictEqual([{ conditionType: 'ordered.cdk8s.io/db' }, { conditionType: 'ordered.cdk8s.io/db-2' }]);
    const keepers = spec.containers.filter((c: any) => c.name.startsWith('gate-'));
    expect(keepers.map((c: any) => [c.name, env(c, 'GATE_CONDITION')])).toStrictEqual([
      ['gate-db', 'ordered.cdk8s.io/db'], ['gate-db-2', 'ordered.cdk8s.io/db-2'],
    ]);
  });

  test('the gate keeper may get and patch pods/status, nothing more, and only it gets the token', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db, { gateReadiness: true });
    const out = synth(chart);
    expect(manifest(out, 'Role').rules).toStrictEqual([
      { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'patch'] },
    ]);
    const spec = podSpec(manifest(out, 'Deployment'));
    const withToken = [...spec.initContainers, ...spec.containers]
      .filter((c: any) => c.volumeMounts?.some((m: any) => m.name === 'ordered-waiter-token')).map((c: any) => c.name);
    expect(withToken).toEqual(['gate-db']);
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('a component can gate its own readiness on a Job without waiting to start', () => {
    const { chart, db, seed } = shop();
    db.gateReadinessOn(seed);
    const out = synth(chart);
    const spec = podSpec(manifest(out, 'StatefulSet'));
    expect(spec.initContainers).toBeUndefined();
    expect(spec.readinessGates).toStrictEqual([{ conditionType: 'ordered.cdk8s.io/seed' }]);
    const gate = spec.containers.find((c: any) => c.name === 'gate-seed');
    expect(env(gate, 'WAIT_RESOURCE')).toBe('jobs.batch');
    expect(gate.command).toEqual(['/bin/sh', '/ordered/gate-job.sh']);
    expect(scriptOf(out, manifest(out, 'StatefulSet'), gate)).toContain('--watch');
    expect(manifest(out, 'Role').rules).toStrictEqual([
      { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'patch'] },
      { apiGroups: ['batch'], resources: ['jobs'], resourceNames: [manifest(out, 'Job').metadata.name], verbs: ['list', 'watch'] },
    ]);
  });

  test('gateReadiness with a check, at a chosen period', () => {
    const { chart, api } = shop();
    api.gateReadiness(WaitFor.http('http://auth:8080/healthz'), { period: Duration.seconds(2) });
    const gate = podSpec(manifest(synth(chart), 'Deployment')).containers.find((c: any) => c.name.startsWith('gate-'));
    expect(gate.name).toBe('gate-auth-8080');
    expect(env(gate, 'GATE_PERIOD')).toBe('2');
    expect(env(gate, 'WAIT_PATH')).toBe('/healthz');
  });

  test('a gate declared again is one gate: on a target through dependsOn and gateReadinessOn, on a check twice', () => {
    // GIVEN the same gates declared twice each
    const { chart, db, api } = shop();
    api.dependsOn(db, { gateReadiness: true });
    api.gateReadinessOn(db);
    api.gateReadiness(WaitFor.tcp('auth', 8080));
    api.gateReadiness(WaitFor.tcp('auth', 8080));
    // THEN the pod has one gate and one keeper for each
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.readinessGates.map((g: any) => g.conditionType)).toEqual(['ordered.cdk8s.io/db', 'ordered.cdk8s.io/auth-8080']);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['main', 'gate-db', 'gate-auth-8080']);
  });

  test('cdk8s-plus\'s own rendering of the pod is kept', () => {
    const { chart, db, api } = shop();
    api.dependsOn(db, { gateReadiness: true });
    const spec = podSpec(manifest(synth(chart), 'Deployment'));
    expect(spec.containers[0]).toMatchObject({ name: 'main', image: 'shop/api:1', ports: [{ containerPort: 8080 }] });
    expect(spec.securityContext).toStrictEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true });
  });

  test('fails at synth with a readiness deadlock and how to break it', () => {
    // GIVEN the database is Ready only once the seed Job completed, and the seed Job waits for the database
    const app = new App();
    const chart = new Chart(app, 'shop');
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1' }] }));
    db.gateReadinessOn(seed);
    seed.dependsOn(db);
    // THEN
    expect(() => app.synth()).toThrow(/readiness deadlock: shop\/db => shop\/seed => shop\/db: 'shop\/db' is Ready only once 'shop\/seed' is, and 'shop\/seed' waits for 'shop\/db' to be Ready first\. Break it: let 'shop\/seed' reach 'shop\/db' without its readiness/);
  });

  test('a gate the opener does not wait for is no deadlock', () => {
    const app = new App();
    const chart = new Chart(app, 'shop');
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'seed:1' }] }));
    db.gateReadinessOn(seed);
    seed.waitFor(WaitFor.tcp('shop-db-0.shop-db', 5432));
    // synthYaml validates as synth() does, without writing dist/ into the working directory
    expect(app.synthYaml()).toMatch(/readinessGates:/);
  });

  test('fails when a gate would run a command check', () => {
    const { api } = shop();
    expect(() => api.gateReadiness(WaitFor.command('pg:16', ['pg_isready']))).toThrow(/a readiness gate cannot run a command check/);
  });

  test('fails when a component gates on itself', () => {
    const { api } = shop();
    expect(() => api.gateReadinessOn(api)).toThrow("gateReadinessOn: 'shop/api' cannot gate its readiness on itself");
  });
});
