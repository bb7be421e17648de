import { ApiObject, Chart, Testing } from 'cdk8s';
import * as p27 from 'cdk8s-plus-27';
import * as p33 from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { Component, OrderedApp, WaitFor } from '../../lib';
import { manifest, podSpec, synth } from '../support/synth';

/**
 * The same pods, built three ways: what the library writes must not depend on
 * what built them, nor on the order of the calls.
 */
interface Builder {
  /** A database StatefulSet `db` on 5432 with its governing Service `db`. */
  db(chart: Chart): IConstruct;
  /** A migration Job `migrate`. */
  job(chart: Chart): IConstruct;
  /** A Deployment `name` on `port`, not exposed. */
  deployment(chart: Chart, name: string, port: number): IConstruct;
  /** A Service `name` on `port` for the Deployment `workload`. */
  expose(chart: Chart, workload: IConstruct, name: string, port: number): void;
}

function plus(kplus: typeof p27 | typeof p33): Builder {
  const k = kplus as typeof p27; // the two versions declare the same API; one type keeps the calls checked
  return {
    db: (chart) => {
      const service = new k.Service(chart, 'db-service', { metadata: { name: 'db' }, clusterIP: 'None', ports: [{ port: 5432 }] });
      return new k.StatefulSet(chart, 'db', { metadata: { name: 'db' }, service, containers: [{ image: 'postgres:16', portNumber: 5432 }] });
    },
    job: (chart) => new k.Job(chart, 'migrate', { metadata: { name: 'migrate' }, containers: [{ image: 'shop/migrate:1' }] }),
    deployment: (chart, name, port) => new k.Deployment(chart, name, { metadata: { name }, containers: [{ image: `shop/${name}:1`, portNumber: port }] }),
    expose: (_chart, workload, name, port) => { (workload as p27.Deployment).exposeViaService({ name, ports: [{ port }] }); },
  };
}

const raw: Builder = {
  db: (chart) => {
    new ApiObject(chart, 'db-service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
    });
    return new ApiObject(chart, 'db', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'main', image: 'postgres:16', ports: [{ containerPort: 5432 }] }] } },
      },
    });
  },
  job: (chart) => new ApiObject(chart, 'migrate', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'shop/migrate:1' }] } } },
  }),
  deployment: (chart, name, port) => new ApiObject(chart, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: `shop/${name}:1`, ports: [{ containerPort: port }] }] } },
    },
  }),
  expose: (chart, _workload, name, port) => {
    new ApiObject(chart, `${name}-service`, {
      apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port }] },
    });
  },
};

const BUILDERS: Array<[string, Builder]> = [['cdk8s-plus-27', plus(p27)], ['cdk8s-plus-33', plus(p33)], ['raw ApiObjects', raw]];

/** The shop: api waits for db, the migration and the cache; the cache's Service is made after the dependsOn call. */
function shop(b: Builder, order: 'declared first' | 'exposed first', upgradeChecks = true) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks });
  const db = ordered.add(b.db(chart));
  const migrate = ordered.add(b.job(chart));
  const cacheWorkload = b.deployment(chart, 'cache', 6379);
  const cache = ordered.add(cacheWorkload);
  const api = ordered.add(b.deployment(chart, 'api', 8080));
  const declare = (a: Component) => {
    a.dependsOn(db);
    a.dependsOn(migrate);
    a.dependsOn(cache);
    a.waitFor(WaitFor.secret('api-tls'));
  };
  if (order === 'declared first') {
    declare(api);
    migrate.dependsOn(db);
    b.expose(chart, cacheWorkload, 'cache', 6379);
  } else {
    b.expose(chart, cacheWorkload, 'cache', 6379);
    migrate.dependsOn(db);
    declare(api);
  }
  return synth(chart);
}

/** What the library wrote: the waiters, the RBAC and the order of the objects. */
function written(out: any[]) {
  return {
    waiters: out.filter((m) => ['Deployment', 'Job', 'StatefulSet'].includes(m.kind))
      .map((m) => [m.metadata.name, podSpec(m).initContainers ?? [], m.metadata.annotations?.[Component.DEPENDENCIES_ANNOTATION]]),
    rbac: out.filter((m) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(m.kind)),
    order: out.map((m) => `${m.kind}/${m.metadata.name}`),
  };
}

describe('any workload, whatever built it', () => {
  test.each(BUILDERS)('%s: a Service exposed after dependsOn is checked over the network, with no API access', (_name, b) => {
    // (without upgrade checks: the network check alone)
    const out = shop(b, 'declared first', false);
    const api = manifest(out, 'Deployment', 'api');
    const waiters = podSpec(api).initContainers;
    // the network checks of db and cache share one waiter, where db's was
    expect(waiters.map((c: any) => c.name)).toEqual(['wait-for-db-cache', 'wait-for-migrate', 'wait-for-secret-api-tls']);
    const tcp = waiters[0];
    expect(tcp.image).toBe(OrderedApp.DEFAULT_WAITER_IMAGE);
    expect(tcp.env.find((e: any) => e.name === 'WAIT_CHECKS').value).toBe('tcp db db:5432\ntcp cache cache:6379');
    // only the scripts, no token
    expect(tcp.volumeMounts).toStrictEqual([{ name: 'ordered-scripts', mountPath: '/ordered', readOnly: true }]);
    // the Role names only the Job and the Secret: the cache needs none
    expect(manifest(out, 'Role').rules.map((r: any) => r.resources[0])).toEqual(['secrets', 'jobs']);
  });

  test('the same graph gives the same waiters, RBAC and order, whatever built it and whatever the call order', () => {
    const results = BUILDERS.flatMap(([name, b]) => (['declared first', 'exposed first'] as const)
      .map((order) => ({ what: `${name}, ${order}`, out: written(shop(b, order)) })));
    for (const r of results.slice(1)) {
      expect({ what: r.what, ...r.out }).toStrictEqual({ what: r.what, ...results[0].out });
    }
    expect(results[0].out.order).toEqual([
      'ConfigMap/shop-ordered-' + results[0].out.order[0].split('-').pop(),
      // the migration waits for db's rollout: it watches the StatefulSet, with RBAC of its own
      'Service/db', 'StatefulSet/db', 'ServiceAccount/migrate-waiter', 'Role/migrate-wait-for', 'RoleBinding/migrate-wait-for', 'Job/migrate',
      'Deployment/cache', 'Service/cache',
      'ServiceAccount/api-waiter', 'Role/api-wait-for', 'RoleBinding/api-wait-for', 'Deployment/api',
    ]);
  });

  test('a port given to the Service after dependsOn is checked', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered', { upgradeChecks: false });
    const web = new p33.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1', portNumber: 80 }] });
    const service = new p33.Service(chart, 'web-service', { metadata: { name: 'web' } });
    const api = ordered.add(new p33.Deployment(chart, 'api', { containers: [{ image: 'api:1', portNumber: 8080 }] }));
    api.dependsOn(ordered.add(web, { service }));
    // WHEN the Service gets its selector and port only now
    service.select(web);
    service.bind(80);
    const [waiter] = podSpec(manifest(synth(chart), 'Deployment', 'shop-api')).initContainers;
    expect(waiter.env.find((e: any) => e.name === 'WAIT_ADDRESSES').value).toBe('web:80');
  });

  test('a workload whose render was replaced before it was added keeps that render, and gets its waiters on it', () => {
    // GIVEN a Deployment whose own toJson adds a label, replaced before it is added
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new p33.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }), { silence: ['ORD001'] });
    const api = new p33.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1' }] });
    const obj = ApiObject.of(api);
    const builders = obj.toJson;
    obj.toJson = function (this: ApiObject) {
      const m = builders.call(this);
      m.metadata.labels = { ...m.metadata.labels, team: 'shop' };
      return m;
    };
    ordered.add(api).dependsOn(db);
    // WHEN it is synthesized
    const m = manifest(synth(chart), 'Deployment', 'test-api');
    // THEN the replaced render and the waiter are both in the output
    expect(m.metadata.labels.team).toBe('shop');
    expect(podSpec(m).initContainers.map((c: any) => c.name)).toEqual(['wait-for-db']);
  });

  test('fails when a construct holds no workload, or several', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const svc = new p33.Service(chart, 'svc', { ports: [{ port: 80 }] });
    expect(() => ordered.add(svc)).toThrow(/test\/ordered: add\(\): 'test\/svc' holds no workload \(Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod\)/);
    expect(() => ordered.add(chart)).toThrow(/'test' holds \d+ workloads|'test' holds no workload/);
  });
});
