import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DeployTool, OrderedApp, WaitFor } from '../lib';
import { jobsShop, manifest, synth } from './support/synth';

function app(tools: DeployTool[]) {
  const { chart, db, migrate, api, seed } = jobsShop(tools);
  return { out: synth(chart), db, migrate, api, seed };
}
const ann = (m: any) => m.metadata.annotations ?? {};

describe('deploy tools', () => {
  test('no deploy-tool annotations unless asked for', () => {
    for (const m of app([]).out) {
      expect(Object.keys(ann(m)).filter((k) => /argocd|kapp|helm/.test(k))).toEqual([]);
    }
  });

  test('Argo CD sync waves are the depth in the graph, on every object of a component', () => {
    const { out } = app([DeployTool.ARGO_CD]);
    const wave = (kind: string, prefix: string) => ann(manifest(out, kind, prefix))['argocd.argoproj.io/sync-wave'];
    expect(wave('StatefulSet', 'shop-db')).toBe('0');
    expect(wave('Service', 'shop-db')).toBe('0');
    expect(wave('Job', 'shop-seed')).toBe('0');
    expect(wave('Job', 'shop-schema')).toBe('1');
    expect(wave('Job', 'shop-migrate')).toBe('1');
    expect(wave('Deployment', 'shop-api')).toBe('2');
    expect(wave('Role', 'shop-api')).toBe('2');
  });

  test('the scripts ConfigMap comes before every wave (Argo CD -1), and is a Helm hook of weight -1 only when a hook Job mounts it', () => {
    // Argo CD: wave -1, before the components of wave 0 that mount it
    const argo = app([DeployTool.ARGO_CD]).out.find((m) => m.kind === 'ConfigMap');
    expect(ann(argo)['argocd.argoproj.io/sync-wave']).toBe('-1');
    // Helm: the schema Job waits for the seed Job, so it is a pre-install hook, and so is the ConfigMap it mounts
    const helm = app([DeployTool.HELM]).out;
    expect(ann(manifest(helm, 'Job', 'shop-schema'))['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(ann(helm.find((m) => m.kind === 'ConfigMap'))).toStrictEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-1', 'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    // without a hook Job among its pods, it is a plain resource
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered', { deployTools: [DeployTool.HELM] });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] })).dependsOn(db);
    expect(ann(synth(chart).find((m) => m.kind === 'ConfigMap'))).toStrictEqual({});
  });

  test('a Service gets the annotations of its component however it was given: service option, governing, or selecting', () => {
    // GIVEN a Service passed with `service:`, a StatefulSet's own, and a raw one that selects a Deployment's pods
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered', { deployTools: [DeployTool.ARGO_CD] });
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const cacheWorkload = new kplus.Deployment(chart, 'cache', { containers: [{ image: 'redis:7', portNumber: 6379 }] });
    const given = new kplus.Service(chart, 'given', { ports: [{ port: 6379 }] });
    given.select(cacheWorkload);
    const cache = ordered.add(cacheWorkload, { service: given });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web:1', portNumber: 80 }] });
    const api = ordered.add(web);
    const selecting = new kplus.Service(chart, 'web-svc', { ports: [{ port: 80 }] });
    selecting.select(web);
    cache.dependsOn(db);
    api.dependsOn(cache);
    // WHEN synthesized
    const out = synth(chart);
    const wave = (name: string) => ann(out.find((m) => m.kind === 'Service' && m.metadata.name.startsWith(name)))['argocd.argoproj.io/sync-wave'];
    // THEN each Service has its component's wave
    expect([wave('shop-db'), wave('shop-given'), wave('shop-web-svc')]).toEqual(['0', '1', '2']);
  });

  test('kapp change groups and rules follow the edges both ways', () => {
    const { out, migrate, api } = app([DeployTool.KAPP]);
    const a = ann(manifest(out, 'Deployment', 'shop-api'));
    expect(a['kapp.k14s.io/change-group']).toBe(`ordered.cdk8s.io/${api.name}`);
    expect(a['kapp.k14s.io/change-rule.upsert-0']).toBe(`upsert after upserting ordered.cdk8s.io/${migrate.name}`);
    expect(a['kapp.k14s.io/change-rule.delete-0']).toBe(`delete before deleting ordered.cdk8s.io/${migrate.name}`);
    expect(Object.keys(ann(manifest(out, 'StatefulSet'))).filter((k) => k.startsWith('kapp.k14s.io/change-rule'))).toEqual([]);
  });

  test('kapp puts a component\'s waiter ServiceAccount and RBAC in a group of their own, upserted before it and deleted after it', () => {
    const { out, api } = app([DeployTool.KAPP]);
    // THEN api is upserted after its support group and the scripts group
    const a = ann(manifest(out, 'Deployment', 'shop-api'));
    expect(a['kapp.k14s.io/change-rule.upsert-support']).toBe(`upsert after upserting ordered.cdk8s.io/support/${api.name}`);
    expect(a['kapp.k14s.io/change-rule.upsert-scripts']).toBe('upsert after upserting ordered.cdk8s.io/scripts');
    // AND its ServiceAccount, Role and RoleBinding are that group, deleted after api
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) {
      expect(ann(manifest(out, kind, 'shop-api'))).toStrictEqual({
        'kapp.k14s.io/change-group': `ordered.cdk8s.io/support/${api.name}`,
        'kapp.k14s.io/change-rule.delete-0': `delete after deleting ordered.cdk8s.io/${api.name}`,
      });
    }
    // AND the scripts ConfigMap is the scripts group
    expect(ann(out.find((m) => m.kind === 'ConfigMap'))).toStrictEqual({ 'kapp.k14s.io/change-group': 'ordered.cdk8s.io/scripts' });
  });

  test('Helm hooks only for Jobs that wait for nothing but other hook Jobs', () => {
    const { out } = app([DeployTool.HELM]);
    // a hook Job's weight is 2 * depth + 1
    expect(ann(manifest(out, 'Job', 'shop-seed'))).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '1' });
    expect(ann(manifest(out, 'Job', 'shop-schema'))).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '3' });
    // schema's waiter ServiceAccount and RBAC are hooks one weight lower, so that Helm creates them first whatever their names
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) {
      expect(ann(manifest(out, kind, 'shop-schema'))).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '2' });
    }
    // migrate waits for the database, a plain resource: it cannot be a hook
    expect(ann(manifest(out, 'Job', 'shop-migrate'))['helm.sh/hook']).toBeUndefined();
    expect(ann(manifest(out, 'Deployment'))['helm.sh/hook']).toBeUndefined();
  });
});

describe('graph pictures', () => {
  test('toMermaid draws each component and each edge with its check, after the rollout where the edge is upgrade-checked', () => {
    const chart = Testing.chart();
    const ordered = new OrderedApp(chart, 'ordered');
    const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
    const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1' }] }));
    api.dependsOn(db);
    api.waitFor(WaitFor.secret('api-tls'));
    const svc = (db.workload as kplus.StatefulSet).service.name;
    const [dbName, apiName] = [db.name, api.name];
    expect(ordered.toMermaid()).toBe([
      'flowchart LR',
      `  w0["StatefulSet/${dbName}"]`,
      `  w1["Deployment/${apiName}"]`,
      '  p0(["Secret api-tls exists"])',
      `  w1 -->|"rollout, then service ${svc} ports 5432"| w0`,
      '  w1 -->|"waits for"| p0',
      '',
    ].join('\n'));
    expect(ordered.toDot()).toBe([
      'digraph startup {',
      '  rankdir=LR;',
      '  node [shape=box];',
      `  w0 [label="StatefulSet/${dbName}"];`,
      `  w1 [label="Deployment/${apiName}"];`,
      '  p0 [label="Secret api-tls exists", shape=ellipse, style=dashed];',
      `  w1 -> w0 [label="rollout, then service ${svc} ports 5432"];`,
      '  w1 -> p0 [label="waits for"];',
      '}',
      '',
    ].join('\n'));
  });
});
