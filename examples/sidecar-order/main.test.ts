import { App } from 'cdk8s';
import { build } from './main';
import { committedFiles, RESYNTH_HINT, synthExample } from '../../test/support/examples';
import { manifest, podSpec } from '../../test/support/synth';

describe('example sidecar-order', () => {
  const { files, manifests } = synthExample(build);

  test('re-synthesizing gives the committed dist/ byte for byte', () => {
    expect({ files, hint: RESYNTH_HINT }).toStrictEqual({ files: committedFiles(__dirname), hint: RESYNTH_HINT });
  });

  test('on 1.29 the proxy and cache are native sidecars, in order, and the app is the only container', () => {
    const spec = podSpec(manifest(manifests, 'Deployment'));
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['proxy', 'Always'], ['cache', 'Always']]);
    expect(spec.initContainers[0].startupProbe.httpGet).toStrictEqual({ path: '/ready', port: 9901, scheme: 'HTTP' });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
  });

  test('for 1.27 the same program writes the postStart form', () => {
    const old = synthExample((app: App) => build(app, { kubernetesVersion: '1.27' })).manifests;
    const spec = podSpec(manifest(old, 'Deployment'));
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((c: any) => c.name)).toEqual(['proxy', 'cache', 'app']);
    // the proxy's hold checks its HTTP readiness probe (GET /ready answered 200-399), as the kubelet would:
    // sh -c with the hold script's text, its name, then host, port and path as arguments
    const [sh, flag, text, ...args] = spec.containers[0].lifecycle.postStart.exec.command;
    expect([sh, flag, args]).toStrictEqual(['/bin/sh', '-c', ['hold-http', '127.0.0.1', '9901', '/ready']]);
    expect(text).toMatch(/\nuntil check "\$1" "\$2" "\$3"; do sleep 1; done\n$/);
    // the cache has a TCP port only
    expect(spec.containers[1].lifecycle.postStart.exec.command.slice(3)).toStrictEqual(['hold-tcp', String(spec.containers[1].ports[0].containerPort)]);
  });
});
