import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { DependencyOptions, OrderedApp, WaitFor } from '../../lib';
import { env, manifest, podSpec, synth } from '../support/synth';

/** The shop at a given migration image: a versioned migration Job, an API that waits for it. */
function shop(migrateImage: string, apiImage = 'shop/api:1', restartOnChange = false) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered');
  const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
  const migrate = ordered.add(new kplus.Job(chart, 'migrate', { containers: [{ image: migrateImage }] }), { versioned: true });
  const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: apiImage, portNumber: 8080 }] }));
  migrate.dependsOn(db);
  api.dependsOn(migrate, { restartOnChange });
  api.dependsOn(db);
  return { chart, migrate, api, out: synth(chart) };
}

describe('versioned migrations', () => {
  test('a versioned Job\'s name carries a hash of its spec, and its dependents wait for that name', () => {
    const { out, migrate } = shop('shop/migrate:1');
    const job = manifest(out, 'Job');
    expect(job.metadata.name).toMatch(new RegExp(`^${migrate.name}-[0-9a-f]{8}$`));
    expect(job.metadata.annotations['ordered.cdk8s.io/versioned']).toBe('true');
    const waiter = podSpec(manifest(out, 'Deployment')).initContainers.find((c: any) => c.name === 'wait-for-migrate');
    expect(env(waiter, 'WAIT_SELECTOR')).toBe(`metadata.name=${job.metadata.name}`);
    expect(manifest(out, 'Role', 'shop-api').rules.find((r: any) => r.resources[0] === 'jobs').resourceNames).toEqual([job.metadata.name]);
    expect(migrate.synthesizedName).toBe(job.metadata.name);
  });

  test('upgrading the migration image creates a new Job that the new API pods wait for; nothing else changes name', () => {
    // GIVEN version 1 and version 2 with a new migration image
    const v1 = shop('shop/migrate:1').out;
    const v2 = shop('shop/migrate:2').out;
    const names = (out: any[]) => Object.fromEntries(out.map((m) => [`${m.kind}/${m.metadata.name.split('-')[1]}`, m.metadata.name]));
    const [n1, n2] = [names(v1), names(v2)];
    // THEN only the Job's name changed, and the name of the API's Role (and binding) that names it
    const changed = Object.keys(n1).filter((k) => n1[k] !== n2[k]);
    expect(changed).toEqual(['Job/migrate', 'Role/api', 'RoleBinding/api']);
    // AND each version's Role names its own Job, under a name of its own, so applying version 2 leaves version 1's
    // Role in place for version 1's pods that restart while the new migration runs (same service account)
    for (const [out, n] of [[v1, n1], [v2, n2]] as const) {
      const role = manifest(out, 'Role', 'shop-api');
      expect(role.metadata.name).toMatch(/^shop-api-[0-9a-f]{8}-wait-for-[0-9a-f]{8}$/);
      expect(role.rules.find((r: any) => r.resources[0] === 'jobs').resourceNames).toEqual([n['Job/migrate']]);
      const binding = manifest(out, 'RoleBinding', 'shop-api');
      expect(binding.metadata.name).toBe(role.metadata.name);
      expect(binding.roleRef.name).toBe(role.metadata.name);
      expect(binding.subjects).toEqual(manifest(v1, 'RoleBinding', 'shop-api').subjects);
    }
    // AND the API's pod template now names the new Job, so the Deployment rolls and its new pods wait for it
    const selector = (out: any[]) => env(podSpec(manifest(out, 'Deployment')).initContainers[0], 'WAIT_SELECTOR');
    expect(selector(v1)).toBe(`metadata.name=${n1['Job/migrate']}`);
    expect(selector(v2)).toBe(`metadata.name=${n2['Job/migrate']}`);
    // AND the database's waiter in the Job is unchanged
    expect(podSpec(manifest(v1, 'Job')).initContainers).toStrictEqual(podSpec(manifest(v2, 'Job')).initContainers);
  });

  test('an unchanged Job keeps its name across syntheses', () => {
    expect(manifest(shop('shop/migrate:1').out, 'Job').metadata.name).toBe(manifest(shop('shop/migrate:1').out, 'Job').metadata.name);
  });

  test('fails when a versioned Job has a TTL', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const job = new kplus.Job(chart, 'migrate', { containers: [{ image: 'm:1' }], ttlAfterFinished: Duration.minutes(10) });
    ordered.add(job, { versioned: true });
    expect(() => synth(chart)).toThrow(/'test\/migrate': a versioned Job must not have ttlSecondsAfterFinished \(600s\).*Remove ttlAfterFinished/);
  });

  test('fails when something other than a Job is versioned', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const d = new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] });
    expect(() => ordered.add(d, { versioned: true })).toThrow("'test/api': only a Job can be versioned (it is a Deployment)");
  });
});

describe('restartOnChange', () => {
  test('writes a hash of the target\'s pod template into the dependent\'s pod template', () => {
    const a = shop('shop/migrate:1', 'shop/api:1', true).out;
    const b = shop('shop/migrate:2', 'shop/api:1', true).out;
    const hash = (out: any[]) => manifest(out, 'Deployment').spec.template.metadata.annotations['ordered.cdk8s.io/spec-of-migrate'];
    expect(hash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(b)).not.toBe(hash(a));
    expect(hash(shop('shop/migrate:1', 'shop/api:1', true).out)).toBe(hash(a));
  });

  test('is off by default', () => {
    const out = shop('shop/migrate:1').out;
    expect(manifest(out, 'Deployment').spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('dependencies annotation', () => {
  test('lists each waiter with its check and target, for the CLI', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] }));
    api.dependsOn(db, { timeout: Duration.seconds(30) });
    const out = synth(chart);
    const sts = manifest(out, 'StatefulSet');
    const svc = manifest(out, 'Service');
    expect(JSON.parse(manifest(out, 'Deployment').metadata.annotations['ordered.cdk8s.io/dependencies'])).toStrictEqual([
      { waiter: 'wait-for-db', mode: 'network', check: `service ${svc.metadata.name} ports 5432`, target: `StatefulSet/${sts.metadata.name}`, timeout: 30, onTimeout: 'fail', upgrade: true },
    ]);
  });
});

describe('ordered upgrades (upgrade checks, on by default)', () => {
  /** db (a Deployment behind a Service) and api, which depends on it; `dbImage` is db's version. */
  function app(dbImage = 'db:1', options: { upgradeChecks?: boolean; dbReplicas?: number; edge?: DependencyOptions } = {}) {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: options.upgradeChecks });
    const dbWorkload = new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, replicas: options.dbReplicas, containers: [{ image: dbImage, portNumber: 5432 }] });
    dbWorkload.exposeViaService({ name: 'db' });
    const db = ordered.add(dbWorkload);
    const api = ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1', portNumber: 8080 }] }));
    api.dependsOn(db, options.edge);
    return { chart, ordered, out: synth(chart) };
  }

  test('a dependency on a Deployment waits for its rollout, then its Service, in one waiter with a Role on that Deployment alone', () => {
    const { out } = app();
    const api = manifest(out, 'Deployment', 'api');
    const spec = podSpec(api);
    // THEN one waiter, in the kubectl image: the rollout of db, then a TCP connection through its Service
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db']);
    const [waiter] = spec.initContainers;
    expect(waiter.image).toBe(OrderedApp.DEFAULT_KUBECTL_IMAGE);
    expect(waiter.command).toEqual(['/bin/sh', '/ordered/wait-upgrade.sh']);
    expect(env(waiter, 'WAIT_FOR')).toBe('the rollout of db, then service db ports 5432');
    expect(env(waiter, 'WAIT_ROLLOUTS')).toBe('deployments.apps shop db db');
    expect(env(waiter, 'WAIT_CHECKS')).toBe('tcp db db:5432');
    // AND the token is mounted into the waiter only
    expect(waiter.volumeMounts.map((m: any) => m.name)).toEqual(['ordered-waiter-token', 'ordered-scripts']);
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const c of spec.containers) expect(c.volumeMounts).toBeUndefined();
    // AND its Role may list and watch that one Deployment, nothing else
    expect(manifest(out, 'Role').rules).toStrictEqual([
      { apiGroups: ['apps'], resourceNames: ['db'], resources: ['deployments'], verbs: ['list', 'watch'] },
    ]);
    expect(spec.serviceAccountName).toBe(manifest(out, 'ServiceAccount').metadata.name);
    // AND the annotation says the edge is upgrade-checked, for the command line
    expect(JSON.parse(api.metadata.annotations['ordered.cdk8s.io/dependencies'])).toStrictEqual([
      { waiter: 'wait-for-db', mode: 'network', check: 'service db ports 5432', target: 'Deployment/db', upgrade: true },
    ]);
  });

  test('a change to the dependency alone does not roll the dependent: nothing of db is pinned in api', () => {
    // GIVEN db at v1 and at v2, and db scaled from 1 to 5 replicas
    const v1 = app('db:1').out;
    const v2 = app('db:2').out;
    const scaled = app('db:1', { dbReplicas: 5 }).out;
    // THEN db changed, and api, its waiter's RBAC and the scripts did not
    expect(manifest(v2, 'Deployment', 'db')).not.toStrictEqual(manifest(v1, 'Deployment', 'db'));
    const notDb = (out: any[]) => out.filter((m) => !(m.kind === 'Deployment' && m.metadata.name === 'db'));
    expect(notDb(v2)).toStrictEqual(notDb(v1));
    expect(notDb(scaled)).toStrictEqual(notDb(v1));
  });

  test('upgradeCheck: false on the edge, and upgradeChecks: false on the app, give the network check alone with no API access', () => {
    const off = app('db:1', { upgradeChecks: false }).out;
    expect(app('db:1', { edge: { upgradeCheck: false } }).out).toStrictEqual(off);
    const [waiter] = podSpec(manifest(off, 'Deployment', 'api')).initContainers;
    expect(waiter.image).toBe(OrderedApp.DEFAULT_WAITER_IMAGE);
    expect(waiter.command).toEqual(['/bin/sh', '/ordered/wait-tcp.sh']);
    expect(off.filter((m) => ['Role', 'RoleBinding', 'ServiceAccount'].includes(m.kind))).toEqual([]);
    // AND an edge may turn it back on in an app that has it off
    expect(app('db:1', { upgradeChecks: false, edge: { upgradeCheck: true } }).out).toStrictEqual(app('db:1').out);
  });

  test('several dependencies share one waiter: a pod waits in no more init containers than without the check', () => {
    const build = (upgradeChecks: boolean) => {
      const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks });
      const db = ordered.add(new kplus.StatefulSet(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] }));
      // cache has a port and no Service: without the check, its pods being Ready (an API waiter of its own)
      const cache = ordered.add(new kplus.Deployment(chart, 'cache', { metadata: { name: 'cache' }, containers: [{ image: 'redis:7', portNumber: 6379 }] }));
      const agent = ordered.add(new kplus.DaemonSet(chart, 'agent', { metadata: { name: 'agent' }, containers: [{ image: 'agent:1', portNumber: 9100 }] }));
      const api = ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1' }] }));
      api.dependsOn(db);
      api.dependsOn(cache);
      api.dependsOn(agent);
      return synth(chart);
    };
    const on = build(true);
    const off = build(false);
    const inits = (out: any[]) => podSpec(manifest(out, 'Deployment', 'api')).initContainers;
    expect(inits(off).map((c: any) => c.name)).toEqual(['wait-for-db', 'wait-for-cache', 'wait-for-agent']);
    expect(inits(on).map((c: any) => c.name)).toEqual(['wait-for-db-cache-agent']);
    const [waiter] = inits(on);
    expect(env(waiter, 'WAIT_ROLLOUTS')).toBe('statefulsets.apps shop db db\ndeployments.apps shop cache cache\ndaemonsets.apps shop agent agent');
    // the StatefulSet's governing Service is checked after the rollouts; cache's and agent's rollouts are their whole wait
    expect(env(waiter, 'WAIT_CHECKS')).toMatch(/^tcp db shop-db-service-c8[0-9a-f]+:5432$/);
    expect(manifest(on, 'Role').rules).toStrictEqual([
      { apiGroups: ['apps'], resourceNames: ['agent'], resources: ['daemonsets'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resourceNames: ['cache'], resources: ['deployments'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resourceNames: ['db'], resources: ['statefulsets'], verbs: ['list', 'watch'] },
    ]);
    const entries = JSON.parse(manifest(on, 'Deployment', 'api').metadata.annotations['ordered.cdk8s.io/dependencies']);
    expect(entries.map((e: any) => [e.check, e.mode, e.upgrade])).toEqual([
      [expect.stringMatching(/^service shop-db-service-c8[0-9a-f]+ ports 5432$/), 'network', true],
      ['rollout of deployment cache', 'api', true],
      ['rollout of daemonset agent', 'api', true],
    ]);
  });

  test('a dependency in another namespace is watched there, with a Role in that namespace', () => {
    const app2 = Testing.app();
    const data = new Chart(app2, 'data', { namespace: 'data' });
    const shopChart = new Chart(app2, 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(shopChart, 'ordered');
    const dbWorkload = new kplus.Deployment(data, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] });
    dbWorkload.exposeViaService({ name: 'db' });
    const api = ordered.add(new kplus.Deployment(shopChart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1' }] }));
    api.dependsOn(ordered.add(dbWorkload));
    const out = synth(shopChart);
    const [waiter] = podSpec(manifest(out, 'Deployment', 'api')).initContainers;
    expect(env(waiter, 'WAIT_ROLLOUTS')).toBe('deployments.apps data db db');
    expect(env(waiter, 'WAIT_CHECKS')).toBe('tcp db db.data:5432');
    const role = manifest(out, 'Role');
    expect(role.metadata.namespace).toBe('data');
    expect(role.rules).toStrictEqual([{ apiGroups: ['apps'], resourceNames: ['db'], resources: ['deployments'], verbs: ['list', 'watch'] }]);
    expect(manifest(out, 'RoleBinding').subjects).toStrictEqual([{ kind: 'ServiceAccount', name: 'api-waiter', namespace: 'shop' }]);
  });

  test('a chart without a namespace watches the rollout in the pod\'s own namespace', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1' }] }));
    api.dependsOn(db);
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment', 'api')).initContainers;
    expect(env(waiter, 'WAIT_ROLLOUTS')).toBe('deployments.apps - db db');
    expect(waiter.env[0]).toStrictEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
  });

  test('a Job is not rolled out: a dependency on it waits for it to complete, as before; a Job waits for a rollout like any pod', () => {
    const { out } = shop('shop/migrate:1');
    const job = manifest(out, 'Job');
    const api = podSpec(manifest(out, 'Deployment'));
    expect(api.initContainers.map((c: any) => c.name)).toEqual(['wait-for-migrate', 'wait-for-db']);
    expect(api.initContainers[0].command).toEqual(['/bin/sh', '/ordered/wait-job.sh']);
    expect(env(podSpec(job).initContainers[0], 'WAIT_ROLLOUTS')).toMatch(/^statefulsets\.apps shop shop-db-c8[0-9a-f]+ db$/);
  });

  test('an object check or a command check given on the edge says itself what ready means: no rollout check by default', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api:1' }] }));
    api.dependsOn(db, { check: WaitFor.command('postgres:16', ['pg_isready', '-h', 'db']) });
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment', 'api')).initContainers;
    expect(waiter.image).toBe('postgres:16');
    expect(waiter.env.map((e: any) => e.name)).not.toContain('WAIT_ROLLOUTS');
  });

  test('fails when upgradeCheck is asked for on a Job, or with a command check, naming both components and the fix', () => {
    const asked = (target: (chart: Chart) => IConstruct, options: DependencyOptions) => {
      const chart = Testing.chart();
      const ordered = new OrderedApp(chart, 'ordered');
      const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'api:1' }] }));
      api.dependsOn(ordered.add(target(chart)), { upgradeCheck: true, ...options });
      return () => synth(chart);
    };
    expect(asked((c) => new kplus.Job(c, 'migrate', { containers: [{ image: 'm:1' }] }), {})).toThrow(
      /dependsOn: 'test\/api' asks for upgradeCheck on 'test\/migrate', but a Job has no rollout \(a new version of a Job is ordered by making it versioned: OrderedApp.add\(job, \{ versioned: true \}\)\); remove upgradeCheck from this dependsOn/);
    expect(asked((c) => new kplus.Deployment(c, 'db', { containers: [{ image: 'db:1', portNumber: 5432 }] }), { check: WaitFor.command('postgres:16', ['pg_isready']) }))
      .toThrow(/dependsOn: 'test\/api' asks for upgradeCheck on 'test\/db', but its check \(command pg_isready\) runs in a container of its own/);
  });

  test('fails when declaring the same dependency again with another upgradeCheck', () => {
    const { chart } = app();
    const ordered = chart.node.findChild('ordered') as OrderedApp;
    const [db, api] = ordered.components.filter((c) => c.kind === 'Deployment');
    expect(() => api.dependsOn(db, { upgradeCheck: false })).toThrow("dependsOn: 'shop/api' already depends on 'shop/db' with other options");
  });
});
