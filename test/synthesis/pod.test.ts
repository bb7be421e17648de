import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp } from '../../lib';
import { manifest, podSpec, rawDeployment, synth } from '../support/synth';

describe('the waiters\' token stays in the waiters', () => {
  /** A raw Deployment (as imported Kube* classes write it) with the given pod spec fields, and a dependent of it. */
  function raw(podSpecFields: Record<string, unknown>, upgradeCheck?: boolean) {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered');
    const dbWorkload = new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] });
    dbWorkload.exposeViaService({ name: 'db' });
    const db = ordered.add(dbWorkload);
    const api = ordered.add(rawDeployment(chart, 'api', [{ name: 'api', image: 'api:1' }], podSpecFields));
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

describe('no token the library grants reaches a container it did not write, whatever the pod says', () => {
  const accounts = [undefined, 'api'];
  const automounts = [undefined, true, false];
  const shares = [undefined, true, false];
  const cases = accounts.flatMap((serviceAccountName) => automounts.flatMap((automountServiceAccountToken) =>
    shares.flatMap((shareProcessNamespace) => [true, false].map((upgradeCheck) => ({
      serviceAccountName, automountServiceAccountToken, shareProcessNamespace, upgradeCheck,
    })))));

  test.each(cases)('%o', ({ upgradeCheck, ...pod }) => {
    // GIVEN a raw Deployment with these pod fields, waiting for db (behind a Service) and for a Secret (API access)
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ordered = new OrderedApp(chart, 'ordered');
    const dbWorkload = new kplus.Deployment(chart, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db:1', portNumber: 5432 }] });
    dbWorkload.exposeViaService({ name: 'db' });
    const fields = Object.fromEntries(Object.entries(pod).filter(([, v]) => v !== undefined));
    const api = ordered.add(rawDeployment(chart, 'api', [{ name: 'api', image: 'api:1' }], fields));
    api.dependsOn(ordered.add(dbWorkload), { upgradeCheck });
    let out: any[];
    try {
      out = synth(chart);
    } catch (e) {
      // THEN either synthesis refuses, naming the construct and the fix
      expect((e as Error).message).toMatch(/'shop\/api' .*(Set automountServiceAccountToken: false|Set shareProcessNamespace: false)/);
      // (only when the waiters need API access, and the pod would share the token)
      expect(upgradeCheck).toBe(true);
      expect(pod.shareProcessNamespace === true || pod.automountServiceAccountToken === true
        || (pod.serviceAccountName !== undefined && pod.automountServiceAccountToken === undefined)).toBe(true);
      return;
    }
    // OR no container of the user's holds a token the library's Role is bound to
    const spec = podSpec(manifest(out, 'Deployment', 'api'));
    const roleBound = out.some((m) => m.kind === 'RoleBinding');
    for (const c of spec.containers.filter((x: any) => x.name === 'api')) {
      expect((c.volumeMounts ?? []).map((m: any) => m.name)).not.toContain('ordered-waiter-token');
    }
    if (roleBound) {
      const ours = out.find((m) => m.kind === 'ServiceAccount');
      const oursSaysNo = ours !== undefined && ours.metadata.name === spec.serviceAccountName && ours.automountServiceAccountToken === false;
      const tokenInEveryContainer = spec.automountServiceAccountToken === true
        || (spec.automountServiceAccountToken === undefined && !oursSaysNo);
      expect(tokenInEveryContainer).toBe(false);
      expect(spec.shareProcessNamespace === true).toBe(false);
    }
  });
});
