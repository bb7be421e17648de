import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp } from '../../lib';
import { manifest, podSpec, synth } from '../support/synth';

describe('the waiters\' token stays in the waiters', () => {
  /** A raw Deployment (as imported Kube* classes write it) with the given pod spec fields, and a dependent of it. */
  function raw(podSpecFields: Record<string, unknown>, upgradeCheck?: boolean) {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered');
    const dbWorkload = new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] });
    dbWorkload.exposeViaService({ name: 'db' });
    const db = ordered.add(dbWorkload);
    const api = ordered.add(new ApiObject(chart, 'api', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { ...podSpecFields, containers: [{ name: 'api', image: 'api:1' }] } },
      },
    }));
    api.dependsOn(db, { upgradeCheck });
    return chart;
  }

  test('fails when a raw workload names its own service account and leaves automountServiceAccountToken unset', () => {
    expect(() => synth(raw({ serviceAccountName: 'api' }))).toThrow(
      /'shop\/api' runs as service account 'api' and leaves automountServiceAccountToken unset, so Kubernetes mounts that account's token into every container.*Set automountServiceAccountToken: false on its pod template.*dependsOn\(target, \{ upgradeCheck: false \}\)/);
  });

  test('fails when the pod shares its process namespace', () => {
    expect(() => synth(raw({ shareProcessNamespace: true, automountServiceAccountToken: false }))).toThrow(
      /'shop\/api' shares one process namespace between its containers \(shareProcessNamespace: true\), so any of them could read the token/);
  });

  test('fails when the pod mounts a token into every container', () => {
    expect(() => synth(raw({ automountServiceAccountToken: true }))).toThrow(/'shop\/api' mounts a service-account token into every container/);
  });

  test('a raw workload with its own service account and automount off gets the Role on its account and the token in its waiter only', () => {
    const out = synth(raw({ serviceAccountName: 'api', automountServiceAccountToken: false }));
    const spec = podSpec(manifest(out, 'Deployment', 'api'));
    expect(manifest(out, 'RoleBinding').subjects).toStrictEqual([{ kind: 'ServiceAccount', name: 'api' }]);
    expect(out.filter((m) => m.kind === 'ServiceAccount')).toEqual([]);
    expect(spec.containers[0].volumeMounts).toBeUndefined();
    expect(spec.initContainers[0].volumeMounts[0].name).toBe('ordered-waiter-token');
  });

  test('a raw workload naming no service account runs as the waiters\' own, which mounts no token by itself', () => {
    const out = synth(raw({}));
    const sa = manifest(out, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(podSpec(manifest(out, 'Deployment', 'api')).serviceAccountName).toBe(sa.metadata.name);
  });

  test('without API access (upgradeCheck: false) any of these pods is fine: no token at all', () => {
    for (const fields of [{ serviceAccountName: 'api' }, { shareProcessNamespace: true }, { automountServiceAccountToken: true }]) {
      const out = synth(raw(fields, false));
      expect(out.filter((m) => ['Role', 'RoleBinding', 'ServiceAccount'].includes(m.kind))).toEqual([]);
    }
  });
});
