import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp } from '../lib';
import { env, manifest, podSpec, synth } from './support/synth';

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
    expect(manifest(out, 'Role').rules[0].resourceNames).toEqual([job.metadata.name]);
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
      const role = manifest(out, 'Role');
      expect(role.metadata.name).toMatch(/^shop-api-[0-9a-f]{8}-wait-for-[0-9a-f]{8}$/);
      expect(role.rules.find((r: any) => r.resources[0] === 'jobs').resourceNames).toEqual([n['Job/migrate']]);
      const binding = manifest(out, 'RoleBinding');
      expect(binding.metadata.name).toBe(role.metadata.name);
      expect(binding.roleRef.name).toBe(role.metadata.name);
      expect(binding.subjects).toEqual(manifest(v1, 'RoleBinding').subjects);
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
      { waiter: 'wait-for-db', mode: 'network', check: `service ${svc.metadata.name} ports 5432`, target: `StatefulSet/${sts.metadata.name}`, timeout: 30, onTimeout: 'fail' },
    ]);
  });
});
