import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DependencyOptions, OrderedApp } from '../lib';
import { BUSYBOX_IMAGE, play, podContainers, podmanUnavailable, sleep, until, usePodmanNetwork, when } from './podman';
import { networkArgs, podYaml } from './shim';

/**
 * Synthesized YAML, run for real: podman plays each workload as the library
 * wrote it (images pointed at a local busybox through the library's options),
 * and the assertions read podman's own records.
 */

const NETWORK = 'ordered-e2e';
/** The app containers use the local image (cdk8s-plus defaults to Always, which would try a registry). */
const LOCAL = kplus.ImagePullPolicy.IF_NOT_PRESENT;
const unavailable = podmanUnavailable();
const describeIfPodman = unavailable ? describe.skip : describe;
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING the podman end-to-end suite: ${unavailable}`);
}

/**
 * An app: a database that listens only after `delay` seconds (or never), and
 * an API that depends on it. Pods, not Deployments: podman 4.3 restarts a
 * Deployment's init containers forever under its `restartPolicy: Always`, so
 * the workloads are Pods with `restartPolicy` `OnFailure` (or `Never`), which
 * podman plays as Kubernetes would run them.
 */
function shop(delay: number | undefined, edge: DependencyOptions = {}, restartPolicy = kplus.RestartPolicy.ON_FAILURE) {
  const app = new App();
  const chart = new Chart(app, 'e2e');
  // podman runs no API server and no controllers: the checks go over the network alone (no upgrade checks)
  const ordered = new OrderedApp(chart, 'ordered', { waiterImage: BUSYBOX_IMAGE, upgradeChecks: false });
  const listen = delay === undefined
    ? 'echo "never listening"; exec sleep 3600'
    : `sleep ${delay}; echo listening; exec nc -ll -p 5432 -e echo hello`;
  const dbPod = new kplus.Pod(chart, 'db', {
    restartPolicy: kplus.RestartPolicy.ON_FAILURE,
    containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: LOCAL, command: ['sh', '-c', listen], portNumber: 5432, securityContext: { user: 65534, group: 65534 } }],
  });
  const service = new kplus.Service(chart, 'db-service', { ports: [{ port: 5432 }] });
  service.select(dbPod);
  const db = ordered.add(dbPod, { service });
  const api = ordered.add(new kplus.Pod(chart, 'api', {
    restartPolicy,
    containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: LOCAL, command: ['sh', '-c', 'echo started; exec sleep 3600'], securityContext: { user: 65534, group: 65534 } }],
  }));
  api.dependsOn(db, edge);
  const manifests = chart.toJson();
  const yamlOf = (name: string) => podYaml(manifests, name);
  return {
    // podman kube play names a Pod's containers <pod>-<container>
    api: { pod: api.name, yaml: yamlOf(api.name) },
    db: { pod: db.name, yaml: yamlOf(db.name) },
    serviceName: service.name,
  };
}

describeIfPodman('podman end to end', () => {
  usePodmanNetwork(NETWORK);

  test('the dependent\'s app container starts only after its dependency listens, and nothing restarts', async () => {
    // GIVEN the API played first, and the database that listens 7 s after it starts
    const app = shop(7);
    const apiPlay = play(app.api.yaml, networkArgs(NETWORK));
    await sleep(1_000);
    const dbPlay = play(app.db.yaml, networkArgs(NETWORK, [app.serviceName]));
    await dbPlay.done;

    // WHEN the API's pod has started
    const apiResult = await apiPlay.done;
    expect(`${apiResult.code}: ${apiResult.output}`).toMatch(/^0: /);
    await until('both app containers wrote their first line', () =>
      apiPlay.log().some((l) => l.text === 'started') && dbPlay.log().some((l) => l.text === 'listening'), 30_000);

    // THEN the API's app container started after the database was listening
    expect(when(apiPlay.log(), 'started')).toBeGreaterThan(when(dbPlay.log(), 'listening'));
    // AND the waiter waited, saying for what and how long, before the app container's first line
    const log = apiPlay.log().map((l) => l.text);
    expect(log[0]).toBe(`wait-for: waiting for service ${app.serviceName} ports 5432 (no timeout)`);
    expect(log.join('\n')).toMatch(new RegExp(`wait-for: still waiting for service ${app.serviceName} ports 5432 after \\d+s`));
    const ready = log.findIndex((l) => new RegExp(`^wait-for: service ${app.serviceName} ports 5432 is ready after \\d+s$`).test(l));
    expect(ready).toBeGreaterThan(0);
    expect(log.indexOf('started')).toBeGreaterThan(ready);
    // AND no container of either pod restarted
    const containers = [...podContainers(app.api.pod), ...podContainers(app.db.pod)];
    expect(containers.map((c) => c.name).sort()).toEqual([`${app.api.pod}-main`, `${app.db.pod}-main`].sort());
    for (const c of containers) {
      expect({ name: c.name, restarts: c.restartCount, status: c.status }).toEqual({ name: c.name, restarts: 0, status: 'running' });
    }
  });

  test('a dependency that never comes up fails the waiter after its timeout, and the app container never starts', async () => {
    const app = shop(undefined, { timeout: Duration.seconds(5) }, kplus.RestartPolicy.NEVER);
    await play(app.db.yaml, networkArgs(NETWORK, [app.serviceName])).done;
    const started = Date.now();
    const apiPlay = play(app.api.yaml, networkArgs(NETWORK));
    const result = await apiPlay.done;
    expect(Date.now() - started).toBeGreaterThan(4_000);
    expect(result.code).not.toBe(0);
    const log = apiPlay.log().map((l) => l.text);
    expect(log[log.length - 1]).toMatch(new RegExp(`^wait-for: ERROR: timed out after [56]s waiting for service ${app.serviceName} ports 5432: `));
    expect(log).not.toContain('started');
    const main = podContainers(app.api.pod).find((c) => c.name === `${app.api.pod}-main`);
    expect(main?.status).not.toBe('running');
  });

  test('without a timeout the dependent keeps waiting, without crash-looping', async () => {
    const app = shop(undefined);
    await play(app.db.yaml, networkArgs(NETWORK, [app.serviceName])).done;
    const apiPlay = play(app.api.yaml, networkArgs(NETWORK));
    await sleep(8_000);
    apiPlay.child.kill('SIGKILL');
    // one start line (a restart would write another), progress, no readiness, no app start
    const log = apiPlay.log().map((l) => l.text);
    expect(log.filter((l) => l.startsWith('wait-for: waiting for')).length).toBe(1);
    expect(log.join('\n')).toMatch(/still waiting for .* after [5-9]s/);
    expect(log.join('\n')).not.toContain('is ready');
    expect(log).not.toContain('started');
  });
});
