import { build } from './main';
import { committedFiles, RESYNTH_HINT, synthExample } from '../../test/support/examples';
import { env, manifest, podSpec } from '../../test/support/synth';

describe('example readiness-gate', () => {
  const { files, manifests } = synthExample(build);

  test('re-synthesizing gives the committed dist/ byte for byte', () => {
    expect({ files, hint: RESYNTH_HINT }).toStrictEqual({ files: committedFiles(__dirname), hint: RESYNTH_HINT });
  });

  test('the API starts after the database and is gated on it', () => {
    const spec = podSpec(manifest(manifests, 'Deployment'));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db']);
    expect(spec.readinessGates).toStrictEqual([{ conditionType: 'ordered.cdk8s.io/db' }]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['main', 'gate-db']);
  });

  test('the database is gated on its seed Job, which reaches it without waiting for its readiness', () => {
    const db = podSpec(manifest(manifests, 'StatefulSet'));
    expect(db.readinessGates).toStrictEqual([{ conditionType: 'ordered.cdk8s.io/seed' }]);
    const gate = db.containers.find((c: any) => c.name === 'gate-seed');
    expect(env(gate, 'WAIT_SELECTOR')).toBe(`metadata.name=${manifest(manifests, 'Job').metadata.name}`);
    const seedService = manifests.find((m) => m.kind === 'Service' && m.spec.publishNotReadyAddresses);
    const [waiter] = podSpec(manifest(manifests, 'Job')).initContainers;
    expect(env(waiter, 'WAIT_ADDRESSES')).toBe(`${seedService.metadata.name}:5432`);
  });
});
