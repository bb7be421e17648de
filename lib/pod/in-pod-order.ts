import { NATIVE_SIDECARS, supports } from '../kubernetes-version';
import { LifecycleAction } from '../lifecycle';
import { fresh } from '../names';
import { Hold, holdScript } from '../waiters';
import { hookCommand } from './scripts';

/**
 * The order of containers inside one pod: sidecars that start (and are ready)
 * before the app containers, and postStart hooks.
 *
 * @internal
 */

/** Adds `action` as the postStart hook of `container`. */
export function applyPostStart(spec: any, container: string, action: LifecycleAction, path: string): void {
  const c = findContainer(spec, container, path, 'postStart');
  const lifecycle = (c.lifecycle ??= {});
  if (lifecycle.postStart) {
    throw new Error(`${path}: container '${container}' already has a postStart hook; give it one only`);
  }
  lifecycle.postStart = action._render();
}

/**
 * Starts `sidecars` (container names, in order) before the other app
 * containers, each only once it is ready:
 *
 * - 1.29+: native sidecars. They move to `initContainers` (after the waiters,
 *   before the workload's own init containers) with `restartPolicy: Always`
 *   and a startupProbe (their readiness probe, else their startup probe, else
 *   TCP on their first port).
 *   They also stop after the app containers.
 * - older: they move to the front of `containers`, each with a postStart hook
 *   that returns once the sidecar is ready; the kubelet does not start the
 *   next container before that. The sidecar image needs `sh` (and `nc` when
 *   readiness is a port).
 */
export function applySidecarOrder(spec: any, sidecars: string[], waiterCount: number, minor: number, path: string): void {
  const moved = sidecars.map((name) => findContainer(spec, name, path, 'sidecars'));
  if (moved.length === spec.containers.length) {
    throw new Error(`${path}: sidecars names every container (${sidecars.join(', ')}); leave at least one app container out`);
  }
  spec.containers = spec.containers.filter((c: any) => !moved.includes(c));
  for (const c of moved) checkProbePorts(c, path);
  if (supports(minor, NATIVE_SIDECARS)) {
    const init: any[] = spec.initContainers ?? [];
    const native = moved.map((c) => ({ ...fresh(c), restartPolicy: 'Always', startupProbe: startupProbeFor(c, path) }));
    spec.initContainers = [...init.slice(0, waiterCount), ...native, ...init.slice(waiterCount)];
    return;
  }
  for (const c of moved) {
    const lifecycle = (c.lifecycle ??= {});
    if (lifecycle.postStart) {
      throw new Error(`${path}: sidecar '${c.name}' already has a postStart hook, which Kubernetes ${'<'} 1.29 needs to hold the next container; `
        + 'remove it, or target kubernetesVersion 1.29+ for native sidecars');
    }
    lifecycle.postStart = { exec: { command: holdUntilReady(c, path) } };
  }
  spec.containers = [...moved, ...spec.containers];
}

/**
 * A native sidecar's startup probe decides when the next container starts:
 * its readiness probe if it has one (what "ready" means to the app), else its
 * own startup probe, else TCP on its first port. A copy of the readiness probe
 * (shared objects become YAML aliases) without its `successThreshold`, which
 * a startup probe must leave at 1.
 */
function startupProbeFor(c: any, path: string): any {
  if (c.readinessProbe) {
    const probe = fresh(c.readinessProbe);
    delete probe.successThreshold;
    return { ...probe, periodSeconds: 1, failureThreshold: 300 };
  }
  if (c.startupProbe) return fresh(c.startupProbe);
  const port = c.ports?.[0]?.containerPort;
  if (port === undefined) {
    throw new Error(`${path}: sidecar '${c.name}' has no readiness probe and no port, so nothing tells when it is ready; `
      + 'give it a readiness probe or a port');
  }
  return { tcpSocket: { port }, periodSeconds: 1, failureThreshold: 300 };
}

/**
 * The command of a hook that returns once the container is ready, from its
 * readiness probe or first port (`sh/hold-*.sh`, inline, the values as
 * arguments). An exec readiness probe's command is run until it succeeds. An
 * HTTP one is checked as the kubelet does (a GET of its path, answered
 * 200-399); an HTTPS one (no TLS over `nc`), a TCP one and a gRPC one only by
 * connecting to the port. A port given by name is the number of the
 * container's port of that name.
 */
function holdUntilReady(c: any, path: string): string[] {
  const probe = c.readinessProbe;
  if (probe?.exec) return hookCommand(holdScript(Hold.COMMAND), probe.exec.command);
  if (probe?.httpGet && (probe.httpGet.scheme ?? 'HTTP').toUpperCase() === 'HTTP') {
    const get = probe.httpGet;
    const port = portNumber(c, get.port, 'readinessProbe.httpGet.port', path);
    return hookCommand(holdScript(Hold.HTTP), [get.host ?? '127.0.0.1', String(port), get.path ?? '/']);
  }
  // TCP, HTTPS (no TLS over nc) and gRPC probes: a connection to their port.
  const [field, named] = probe?.tcpSocket ? ['tcpSocket', probe.tcpSocket.port]
    : probe?.httpGet ? ['httpGet', probe.httpGet.port]
      : probe?.grpc ? ['grpc', probe.grpc.port]
        : ['', undefined];
  const port = named !== undefined ? portNumber(c, named, `readinessProbe.${field}.port`, path) : c.ports?.[0]?.containerPort;
  if (port === undefined) {
    throw new Error(`${path}: sidecar '${c.name}' has no readiness probe and no port, so nothing tells when it is ready; `
      + 'give it a readiness probe or a port');
  }
  return hookCommand(holdScript(Hold.TCP), [String(port)]);
}

/**
 * Checks every port the sidecar's probes name: a number must be a TCP port,
 * a name one of the container's own ports (what the kubelet resolves it
 * against). A probe on a port the container does not have is never ready,
 * and the pod would never start its app containers.
 */
function checkProbePorts(c: any, path: string): void {
  for (const probeField of ['readinessProbe', 'startupProbe']) {
    const probe = c[probeField];
    for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
      const port = probe?.[action]?.port;
      if (port !== undefined) portNumber(c, port, `${probeField}.${action}.port`, path);
    }
  }
}

/**
 * The number of a probe's `port`: a number as it is, a name resolved from the
 * container's `ports` (`containerPort` by `name`), as the kubelet does.
 */
function portNumber(c: any, port: unknown, field: string, path: string): number {
  const ports: any[] = c.ports ?? [];
  const have = ports.length > 0
    ? `it has: ${ports.map((p) => (p.name !== undefined ? `${p.name}=${p.containerPort}` : String(p.containerPort))).join(', ')}`
    : 'it has none';
  if (typeof port === 'number') {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
    throw new Error(`${path}: sidecar '${c.name}' ${field} is ${port}, which is not a TCP port; give a number from 1 to 65535 `
      + `or the name of one of the container's ports (${have})`);
  }
  const found = ports.find((p) => p.name === port);
  if (typeof port === 'string' && typeof found?.containerPort === 'number') return found.containerPort;
  throw new Error(`${path}: sidecar '${c.name}' ${field} is ${JSON.stringify(port)}, which names none of the container's ports (${have}), `
    + 'so the sidecar would never be ready and the app containers never start; give the port number or the name of one of '
    + 'its ports, or add a port of that name to the container');
}

function findContainer(spec: any, name: string, path: string, option: string): any {
  const c = (spec.containers ?? []).find((x: any) => x.name === name);
  if (!c) {
    const names = (spec.containers ?? []).map((x: any) => x.name).join(', ');
    throw new Error(`${path}: ${option} names container '${name}', which the pod does not have (it has: ${names})`);
  }
  return c;
}

