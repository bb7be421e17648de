import { build } from './main';
import { committedFiles, RESYNTH_HINT, synthExample } from '../../test/support/examples';
import { env, initNames, manifest, podSpec } from '../../test/support/synth';

describe('example db-api', () => {
  const { files, manifests } = synthExample(build);

  test('re-synthesizing gives the committed dist/ byte for byte', () => {
    expect({ files, hint: RESYNTH_HINT }).toStrictEqual({ files: committedFiles(__dirname), hint: RESYNTH_HINT });
  });

  test('migrate waits for the database; api waits for the database, the migration and its TLS Secret', () => {
    expect(initNames(manifest(manifests, 'Job'))).toEqual(['wait-for-db']);
    expect(initNames(manifest(manifests, 'Deployment'))).toEqual(['wait-for-db', 'wait-for-migrate', 'wait-for-secret-api-tls']);
  });

  test('the database is awaited by its rollout, then over TCP on its governing Service; the Job and Secret through the API', () => {
    const svc = manifest(manifests, 'Service');
    const [db, migrate, secret] = podSpec(manifest(manifests, 'Deployment')).initContainers;
    expect(env(db, 'WAIT_ROLLOUTS')).toBe(`statefulsets.apps shop ${manifest(manifests, 'StatefulSet').metadata.name} db`);
    expect(env(db, 'WAIT_CHECKS')).toBe(`tcp db ${svc.metadata.name}:5432`);
    expect(env(migrate, 'WAIT_SELECTOR')).toBe(`metadata.name=${manifest(manifests, 'Job').metadata.name}`);
    expect(env(secret, 'WAIT_TIMEOUT')).toBe('600');
  });

  test('objects are applied dependencies first', () => {
    const order = manifests.map((m) => m.kind);
    expect(order.indexOf('StatefulSet')).toBeLessThan(order.indexOf('Job'));
    expect(order.indexOf('Job')).toBeLessThan(order.indexOf('Deployment'));
    expect(order.indexOf('Role')).toBeLessThan(order.indexOf('Deployment'));
  });
});
