import { SHUTDOWN_CONTAINER, SHUTDOWN_ENV } from '../contract';
import { NATIVE_SIDECARS, SLEEP_ACTION, supports } from '../kubernetes-version';
import { ApiPermission } from '../wait-for';
import { Hold, holdScript, shutdownScript } from '../waiters';
import { PodContext, podEnv, resources, securityContext, tokenMounts } from './containers';
import { hookCommand, scriptCommand } from './scripts';

/**
 * The end of a pod's life, in order: a drain pause before SIGTERM, and
 * ordered shutdown (a component's pods hold SIGTERM until its dependents'
 * pods are gone).
 *
 * @internal
 */

/** A dependent whose pods must be gone first. */
export interface ShutdownDependent {
  readonly name: string;
  /** Namespace of its pods (undefined: the same as this pod's). */
  readonly namespace?: string;
  /** The label selector of its pods. */
  readonly selector: string;
}

/** What ordered shutdown and drain do to one pod. */
export interface ShutdownPlan {
  readonly permissions: ApiPermission[];
  apply(spec: any): void;
}

/**
 * Plans the end of a pod's life: with dependents to outlive (ordered shutdown
 * on, not a Job), a hold of `holdSeconds` at most, combined with the drain
 * pause of `drainSeconds` (0: none); else the drain pause alone.
 */
export function planShutdown(
  ctx: PodContext, dependents: ShutdownDependent[], holdSeconds: number, drainSeconds: number, sidecars: string[],
): ShutdownPlan {
  if (dependents.length === 0) {
    return { permissions: [], apply: (spec) => { if (drainSeconds > 0) applyDrain(spec, drainSeconds, ctx.minor, ctx.path, sidecars); } };
  }
  const namespaces = [...new Set(dependents.map((d) => d.namespace))];
  return {
    permissions: namespaces.map((namespace) => ({ apiGroup: '', resource: 'pods', verbs: ['list'], namespace })),
    apply: (spec) => {
      applyShutdownHold(spec, holdSeconds, ctx.path, { seconds: drainSeconds, minor: ctx.minor, sidecars });
    },
  };
}

/** The container that watches the dependents go and releases the hold. */
export function shutdownContainer(ctx: PodContext, dependents: ShutdownDependent[], holdSeconds: number): any {
  return {
    name: SHUTDOWN_CONTAINER,
    image: ctx.kubectlImage,
    command: scriptCommand(shutdownScript()),
    env: [
      podEnv('POD_NAMESPACE'),
      { name: SHUTDOWN_ENV.DEPENDENTS, value: dependents.map((d) => d.name).join(', ') },
      { name: SHUTDOWN_ENV.SELECTORS, value: dependents.map((d) => (d.namespace ? `${d.namespace}:${d.selector}` : d.selector)).join(' ') },
      { name: SHUTDOWN_ENV.TIMEOUT, value: String(holdSeconds) },
      { name: SHUTDOWN_ENV.FLAG, value: `${SHUTDOWN_FOLDER}/released` },
    ],
    resources: resources(true),
    securityContext: securityContext(),
    volumeMounts: [
      { name: SHUTDOWN_VOLUME, mountPath: SHUTDOWN_FOLDER },
      ...(tokenMounts(ctx.automountsToken) ?? []),
    ],
  };
}

/** The folder the shutdown-order container and the app containers share. */
export const SHUTDOWN_FOLDER = '/run/ordered-shutdown';
/** The volume behind `SHUTDOWN_FOLDER`. */
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
 */
function applyDrain(spec: any, seconds: number, minor: number, path: string, sidecars: string[] = []): void {
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
 * `seconds` have passed (`sh/hold-shutdown.sh`, inline in a preStop hook).
 * The image needs `sh` and `sleep`.
 *
 * With `drain` too (its pause in seconds, the target minor version and the
 * component's sidecars), the hold also lasts at least the drain pause, on the
 * containers `applyDrain` would pause: both count from the moment the pod is
 * told to stop, which is also when its endpoints start being removed, so
 * SIGTERM comes once the dependents are gone (or the bound ran out) *and* the
 * drain pause has passed. The grace period grows by the longer of the two.
 */
function applyShutdownHold(spec: any, seconds: number, path: string, drain?: { seconds: number; minor: number; sidecars: string[] }): void {
  const flag = `${SHUTDOWN_FOLDER}/released`;
  const pause = drain?.seconds ?? 0;
  for (const c of spec.containers) {
    if (c.name === SHUTDOWN_CONTAINER) continue;
    const atLeast = pause > 0 && drains(c, drain!.sidecars, drain!.minor) ? pause : 0;
    setPreStop(c, { exec: { command: hookCommand(holdScript(Hold.SHUTDOWN), [flag, String(seconds), String(atLeast)]) } }, path);
    (c.volumeMounts ??= []).push({ name: SHUTDOWN_VOLUME, mountPath: SHUTDOWN_FOLDER, readOnly: true });
  }
  (spec.volumes ??= []).push({ name: SHUTDOWN_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
  extendGrace(spec, Math.max(seconds, pause));
}

/** Whether container `c` gets the drain pause: not a native sidecar (see `applyDrain`). */
function drains(c: any, sidecars: string[], minor: number): boolean {
  return !(supports(minor, NATIVE_SIDECARS) && sidecars.includes(c.name));
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
