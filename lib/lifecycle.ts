import { Duration } from 'cdk8s';
import { NATIVE_SIDECARS, SLEEP_ACTION, supports } from './kubernetes-version';
import { fresh } from './names';
import { httpCheckFor, shellQuote } from './waiters';

/**
 * Options for `LifecycleAction.httpGet`.
 */
export interface HttpGetActionOptions {
  /** The container port to call. */
  readonly port: number;
}

/**
 * Something a container does right after it starts (`postStart`).
 *
 * Kubernetes runs a `postStart` hook right after creating the container and
 * does not start the pod's next container until the hook has returned, so a
 * hook can also hold the next container back.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class LifecycleAction {
  /**
   * Run `command` in the container (no shell unless you call one).
   *
   * @example LifecycleAction.command(['/app/warm-cache'])
   */
  public static command(command: string[]): LifecycleAction {
    if (command.length === 0) {
      throw new Error('LifecycleAction.command: command is empty; give the program to run, e.g. [\'/app/warm-cache\']');
    }
    return new LifecycleAction({ exec: { command: [...command] } });
  }

  /**
   * Call `path` on the container's own `port` with an HTTP GET.
   *
   * @example LifecycleAction.httpGet('/warm', { port: 8080 })
   */
  public static httpGet(path: string, options: HttpGetActionOptions): LifecycleAction {
    if (!path.startsWith('/')) {
      throw new Error(`LifecycleAction.httpGet: path '${path}' must start with '/'`);
    }
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new Error(`LifecycleAction.httpGet: port ${options.port} is not a TCP port (1-65535)`);
    }
    return new LifecycleAction({ httpGet: { path, port: options.port } });
  }

  private constructor(private readonly handler: any) {}

  /** @internal */
  public _render(): any {
    return fresh(this.handler);
  }
}

/** The folder the shutdown-order container and the app containers share. @internal */
export const SHUTDOWN_FOLDER = '/run/ordered-shutdown';
/** The volume behind `SHUTDOWN_FOLDER`. @internal */
export const SHUTDOWN_VOLUME = 'ordered-shutdown';

/**
 * A preStop pause of `seconds` on every app container, so that the pod's
 * endpoints are removed before its processes get SIGTERM: the native `sleep`
 * action where the target has it (1.30+), else `sleep` run in the container
 * (the image needs a `sleep` binary). The grace period grows by the pause.
 *
 * Native sidecars (`sidecars` on 1.29+) get no pause: the kubelet stops them
 * only once the app containers have exited, so they serve through the app's
 * pause anyway, and a pause of their own would only spend grace period. Older
 * targets stop all containers at once, so there the sidecars pause too (a proxy
 * or cache that stopped at once would fail the requests the app still serves).
 *
 * @internal
 */
export function applyDrain(spec: any, seconds: number, minor: number, path: string, sidecars: string[] = []): void {
  for (const c of spec.containers) {
    if (!drains(c, sidecars, minor)) continue;
    // A fresh handler per container: a shared object would be written as a YAML anchor and alias.
    setPreStop(c, supports(minor, SLEEP_ACTION) ? { sleep: { seconds } } : { exec: { command: ['sleep', String(seconds)] } }, path);
  }
  extendGrace(spec, seconds);
}

/**
 * Holds each app container's SIGTERM until the shutdown-order container has
 * seen the dependents go (it creates `released` in the shared folder), or
 * `seconds` have passed. The image needs `sh` and `sleep`.
 *
 * With `drain` too (its pause in seconds, the target minor version and the
 * component's sidecars), the hold also lasts at least the drain pause, on the
 * containers `applyDrain` would pause: both count from the moment the pod is
 * told to stop, which is also when its endpoints start being removed, so
 * SIGTERM comes once the dependents are gone (or the bound ran out) *and* the
 * drain pause has passed. The grace period grows by the longer of the two.
 *
 * @internal
 */
export function applyShutdownHold(spec: any, seconds: number, path: string, drain?: { seconds: number; minor: number; sidecars: string[] }): void {
  const held = `[ ! -e ${SHUTDOWN_FOLDER}/released ] && [ "$i" -lt ${seconds} ]`;
  const pause = drain?.seconds ?? 0;
  for (const c of spec.containers) {
    if (c.name === SHUTDOWN_CONTAINER) continue;
    const until = pause > 0 && drains(c, drain!.sidecars, drain!.minor) ? `{ ${held}; } || [ "$i" -lt ${pause} ]` : held;
    setPreStop(c, { exec: { command: ['/bin/sh', '-c', `i=0; while ${until}; do sleep 1; i=$((i+1)); done`] } }, path);
    (c.volumeMounts ??= []).push({ name: SHUTDOWN_VOLUME, mountPath: SHUTDOWN_FOLDER, readOnly: true });
  }
  (spec.volumes ??= []).push({ name: SHUTDOWN_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
  extendGrace(spec, Math.max(seconds, pause));
}

/** Whether container `c` gets the drain pause: not a native sidecar (see `applyDrain`). */
function drains(c: any, sidecars: string[], minor: number): boolean {
  return !(supports(minor, NATIVE_SIDECARS) && sidecars.includes(c.name));
}

/** Name of the container that orders shutdown. @internal */
export const SHUTDOWN_CONTAINER = 'ordered-shutdown';

/** Adds `action` as the postStart hook of `container`. @internal */
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
 *
 * @internal
 */
export function applySidecarOrder(spec: any, sidecars: string[], waiterCount: number, minor: number, path: string): void {
  const moved = sidecars.map((name) => findContainer(spec, name, path, 'sidecars'));
  if (moved.length === spec.containers.length) {
    throw new Error(`${path}: sidecars names every container (${sidecars.join(', ')}); leave at least one app container out`);
  }
  spec.containers = spec.containers.filter((c: any) => !moved.includes(c));
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
    lifecycle.postStart = { exec: { command: ['/bin/sh', '-c', holdUntilReady(c, path)] } };
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
 * Shell that returns once the container is ready, from its readiness probe or
 * first port. An HTTP readiness probe is checked as the kubelet does (a GET of
 * its path, answered 200-399) with the HTTP waiter's check; an HTTPS one (no
 * TLS over `nc`) and a TCP one only by connecting to the port.
 */
function holdUntilReady(c: any, path: string): string {
  const probe = c.readinessProbe;
  let test: string;
  if (probe?.exec) {
    test = probe.exec.command.map(shellQuote).join(' ');
  } else if (probe?.httpGet && (probe.httpGet.scheme ?? 'HTTP').toUpperCase() === 'HTTP') {
    const get = probe.httpGet;
    return `${httpCheckFor(get.host ?? '127.0.0.1', get.port, get.path ?? '/')}until check; do sleep 1; done`;
  } else {
    const port = probe?.tcpSocket?.port ?? probe?.httpGet?.port ?? c.ports?.[0]?.containerPort;
    if (port === undefined) {
      throw new Error(`${path}: sidecar '${c.name}' has no readiness probe and no port, so nothing tells when it is ready; `
        + 'give it a readiness probe or a port');
    }
    test = `nc -w 1 127.0.0.1 ${port} </dev/null >/dev/null 2>&1`;
  }
  return `until ${test}; do sleep 1; done`;
}


function findContainer(spec: any, name: string, path: string, option: string): any {
  const c = (spec.containers ?? []).find((x: any) => x.name === name);
  if (!c) {
    const names = (spec.containers ?? []).map((x: any) => x.name).join(', ');
    throw new Error(`${path}: ${option} names container '${name}', which the pod does not have (it has: ${names})`);
  }
  return c;
}

function setPreStop(c: any, handler: any, path: string) {
  const lifecycle = (c.lifecycle ??= {});
  if (lifecycle.preStop) {
    throw new Error(`${path}: container '${c.name}' already has a preStop hook; drain and ordered shutdown add their own. `
      + 'Remove it, or turn drain/orderedShutdown off for this component');
  }
  lifecycle.preStop = handler;
}

function extendGrace(spec: any, seconds: number) {
  spec.terminationGracePeriodSeconds = (spec.terminationGracePeriodSeconds ?? 30) + seconds;
}

/** Whole seconds of a Duration, at least 1. @internal */
export function wholeSeconds(path: string, what: string, d: Duration): number {
  const s = d.toSeconds();
  if (!Number.isInteger(s) || s < 1) {
    throw new Error(`${path}: ${what} ${s}s must be a whole number of seconds, at least 1`);
  }
  return s;
}
