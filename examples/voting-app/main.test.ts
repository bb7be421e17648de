import { build } from './main';
import { committedFiles, RESYNTH_HINT, synthExample } from '../../test/support/examples';
import { env, initNames, manifest, podSpec } from '../../test/support/synth';

describe('example voting-app', () => {
  const { files, manifests } = synthExample(build);
  const deployment = (id: string) => manifest(manifests, 'Deployment', `voting-${id}-`);

  test('re-synthesizing gives the committed dist/ byte for byte', () => {
    expect({ files, hint: RESYNTH_HINT }).toStrictEqual({ files: committedFiles(__dirname), hint: RESYNTH_HINT });
  });

  test('each service waits for what compose\'s depends_on names', () => {
    expect(initNames(deployment('vote'))).toEqual(['wait-for-redis']);
    // one waiter checks both of the worker's TCP dependencies (a pod starts about a second later per init container)
    expect(initNames(deployment('worker'))).toEqual(['wait-for-redis-db']);
    expect(initNames(deployment('result'))).toEqual(['wait-for-db']);
    expect(initNames(deployment('redis'))).toEqual([]);
  });

  test('service_healthy is the rollout of the service, then a TCP connection through its Service', () => {
    const [both] = podSpec(deployment('worker')).initContainers;
    expect(env(both, 'WAIT_ROLLOUTS')).toBe(`deployments.apps voting ${deployment('redis').metadata.name} redis\n`
      + `statefulsets.apps voting ${manifest(manifests, 'StatefulSet').metadata.name} db`);
    expect(env(both, 'WAIT_CHECKS')).toMatch(/^tcp redis redis:6379\ntcp db voting-db-service-[a-z0-9]+:5432$/);
    expect(env(both, 'WAIT_FOR')).toBe('redis and db');
    // each waiting service may list and watch the workloads it waits for, by name, nothing else
    const worker = manifests.find((m) => m.kind === 'Role' && m.metadata.name.startsWith('voting-worker'));
    expect(worker.rules.map((r: any) => [r.resources[0], r.resourceNames, r.verbs])).toEqual([
      ['deployments', [deployment('redis').metadata.name], ['list', 'watch']],
      ['statefulsets', [manifest(manifests, 'StatefulSet').metadata.name], ['list', 'watch']],
    ]);
  });
});
