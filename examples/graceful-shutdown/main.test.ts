import { build } from './main';
import { committedFiles, RESYNTH_HINT, synthExample } from '../../test/support/examples';
import { env, manifest, podSpec } from '../../test/support/synth';

describe('example graceful-shutdown', () => {
  const { files, manifests } = synthExample(build);
  const workload = (kind: string, id: string) => manifest(manifests, kind, `jobs-${id}-`);

  test('re-synthesizing gives the committed dist/ byte for byte', () => {
    expect({ files, hint: RESYNTH_HINT }).toStrictEqual({ files: committedFiles(__dirname), hint: RESYNTH_HINT });
  });

  test('dependents drain with the native sleep action', () => {
    const api = podSpec(workload('Deployment', 'api'));
    expect(api.containers[0].lifecycle).toStrictEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(api.terminationGracePeriodSeconds).toBe(35);
  });

  test('the database outlives the api and the worker; the queue outlives both of its users', () => {
    const keeper = (id: string) => podSpec(workload('StatefulSet', id)).containers.find((c: any) => c.name === 'ordered-shutdown');
    const sel = (id: string) => Object.entries(workload('Deployment', id).spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    expect(env(keeper('db'), 'SHUTDOWN_SELECTORS')).toBe(`${sel('api')} ${sel('worker')}`);
    expect(env(keeper('queue'), 'SHUTDOWN_SELECTORS')).toBe(`${sel('api')} ${sel('worker')}`);
    expect(podSpec(workload('StatefulSet', 'db')).terminationGracePeriodSeconds).toBe(90);
  });

  test('the database holds SIGTERM in preStop: the hold script inline, released by the flag, within 60 s, for at least the 5 s drain', () => {
    const [sh, flag, text, ...args] = podSpec(workload('StatefulSet', 'db')).containers[0].lifecycle.preStop.exec.command;
    expect([sh, flag, args]).toStrictEqual(['/bin/sh', '-c', ['hold-shutdown', '/run/ordered-shutdown/released', '60', '5']]);
    expect(text).toMatch(/^i=0\nwhile .*; do sleep 1; i=\$\(\(i\+1\)\); done\n$/);
  });
});
