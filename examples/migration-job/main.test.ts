import { build } from './main';
import { committedFiles, RESYNTH_HINT, synthExample } from '../../test/support/examples';
import { env, initNames, manifest, podSpec } from '../../test/support/synth';

describe('example migration-job', () => {
  const { files, manifests } = synthExample(build);

  test('re-synthesizing gives the committed dist/ byte for byte', () => {
    expect({ files, hint: RESYNTH_HINT }).toStrictEqual({ files: committedFiles(__dirname), hint: RESYNTH_HINT });
  });

  test('the migration waits for postgres with pg_isready in the postgres image, for at most 5 minutes', () => {
    const [waiter] = podSpec(manifest(manifests, 'Job')).initContainers;
    expect(waiter.name).toBe('wait-for-postgres');
    expect(waiter.image).toBe('postgres:16.4');
    expect(waiter.command).toEqual(['/bin/sh', '/ordered/wait-command.sh']);
    expect(waiter.args).toEqual(['pg_isready', '-h', 'billing-postgres', '-U', 'postgres']);
    expect(env(waiter, 'WAIT_TIMEOUT')).toBe('300');
    expect(env(waiter, 'WAIT_ON_TIMEOUT')).toBe('fail');
  });

  test('the API waits for the migration, then gives the optional cache 30 seconds: its rollout, then its Service', () => {
    const api = manifest(manifests, 'Deployment', 'billing-api');
    expect(initNames(api)).toEqual(['wait-for-migrate', 'wait-for-cache']);
    const cache = podSpec(api).initContainers[1];
    expect(env(cache, 'WAIT_ROLLOUTS')).toBe(`deployments.apps billing ${manifest(manifests, 'Deployment', 'billing-cache').metadata.name} cache`);
    expect(env(cache, 'WAIT_CHECKS')).toBe('tcp cache billing-cache:6379');
    expect(env(cache, 'WAIT_TIMEOUT')).toBe('30');
    expect(env(cache, 'WAIT_ON_TIMEOUT')).toBe('proceed');
  });

  test('the migration Job is versioned and the API waits for that version', () => {
    const job = manifest(manifests, 'Job');
    expect(job.metadata.name).toMatch(/^billing-migrate-c8[0-9a-f]+-[0-9a-f]{8}$/);
    const [waiter] = podSpec(manifest(manifests, 'Deployment', 'billing-api')).initContainers;
    expect(env(waiter, 'WAIT_SELECTOR')).toBe(`metadata.name=${job.metadata.name}`);
    expect(manifest(manifests, 'Deployment', 'billing-api').spec.template.metadata.annotations['ordered.cdk8s.io/spec-of-migrate']).toMatch(/^[0-9a-f]{16}$/);
  });

  test('only the API gets RBAC: list and watch on the cache\'s Deployment and its migration Job', () => {
    const role = manifest(manifests, 'Role');
    expect(role.metadata.name.startsWith('billing-api')).toBe(true);
    expect(role.rules).toStrictEqual([
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: [manifest(manifests, 'Deployment', 'billing-cache').metadata.name], verbs: ['list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], resourceNames: [manifest(manifests, 'Job').metadata.name], verbs: ['list', 'watch'] },
    ]);
  });
});
