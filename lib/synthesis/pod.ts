import { Component } from '../component';
import { DEPENDENCIES_ANNOTATION, DependencyEntry, podSpecOf, SHUTDOWN_CONTAINER } from '../contract';
import { DecidedPod } from './decide';
import { AppIntent } from './intent';
import { Reading } from './read';
import { PodContext, TOKEN_VOLUME, tokenVolume } from '../pod/containers';
import { applyPostStart, applySidecarOrder } from '../pod/in-pod-order';
import { applyGates, gatePermissions } from '../pod/readiness-gates';
import { applyScriptFiles, PodScripts, SCRIPTS_VOLUME } from '../pod/scripts';
import { planShutdown, SHUTDOWN_VOLUME, shutdownContainer } from '../pod/shutdown';
import { applyRestartOnChange, applyVersion } from '../pod/versioning';
import { applyWaiters, waiterPermissions } from '../pod/waiters';
import { planRbac } from '../rbac';
import { checkWholeSeconds } from '../validation';
import { ApiPermission } from '../wait-for';
import { WorkloadFacts } from '../workload';

/**
 * Applying the pod features: the one stage that edits a workload's manifest.
 * Each feature (`pod/*`) applies what was decided for it; the permissions
 * they need flow up to one place that writes the RBAC.
 *
 * @internal
 */

/** What a component's pod and chart get. */
export interface AppliedPod {
  /** The final manifest of the workload (the plan hands it to the workload's render, and lets go of it). */
  readonly manifest: any;
  /** Generated objects (ServiceAccount, Roles, RoleBindings), in its chart. */
  readonly objects: any[];
  /** The dependencies annotation's entries it wrote (none without waits). */
  readonly entries: DependencyEntry[];
  /** The scripts its containers run, for its chart's scripts ConfigMap. */
  readonly scripts?: PodScripts;
}

/** Applies what was decided for `c` to the manifest that was read of it. */
export function applyPod(app: AppIntent, reading: Reading, c: Component, decided: DecidedPod): AppliedPod {
  const r = reading.of(c);
  const pod: PodContext = {
    path: c.path,
    minor: app.minor,
    waiterImage: app.waiterImage,
    kubectlImage: app.kubectlImage,
    automountsToken: r.facts.automountsToken,
  };
  const { waits, gates, dependents } = decided;
  checkReservedNames(c.path, r.manifest);
  const drain = c._options.drain ?? app.drain;
  const drainSeconds = drain ? checkWholeSeconds(c.path, 'drain', drain) : 0;
  const holdSeconds = dependents.length > 0 ? checkWholeSeconds(c.path, 'orderedShutdown', app.orderedShutdown!) : 0;
  const shutdown = planShutdown(pod, dependents, holdSeconds, drainSeconds, c._options.sidecars ?? []);

  // Permissions flow up from each feature to one place that writes the RBAC.
  const permissions: ApiPermission[] = [...waiterPermissions(waits), ...gatePermissions(gates), ...shutdown.permissions];
  if (permissions.length > 0) checkTokenStaysOurs(c.path, r.facts);
  const subject = { baseName: r.facts.name, namespace: r.facts.namespace, serviceAccountName: r.facts.serviceAccountName, path: c.path };
  const rbac = planRbac(subject, permissions);

  // The one step that edits the manifest: each pod feature applies what was decided for it.
  const manifest = r.manifest;
  if (r.versioned) applyVersion(manifest, r.finalName);
  const spec = podSpecOf(manifest);
  shutdown.apply(spec);
  for (const p of c._postStarts) applyPostStart(spec, p.container ?? spec.containers[0].name, p.action, c.path);
  const taken = new Set<string>([...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((x: any) => x.name));
  const { added, entries } = applyWaiters(pod, waits, manifest, spec, taken);
  const sidecars = c._options.sidecars ?? [];
  if (sidecars.length > 0) applySidecarOrder(spec, sidecars, added, app.minor, c.path);
  applyGates(pod, gates, spec, taken);
  if (dependents.length > 0) spec.containers.push(shutdownContainer(pod, dependents, holdSeconds));
  if ([...spec.initContainers ?? [], ...spec.containers].some((x: any) => x.volumeMounts?.some((m: any) => m.name === TOKEN_VOLUME))) {
    (spec.volumes ??= []).push(tokenVolume());
  }
  if (rbac.serviceAccountName) spec.serviceAccountName = rbac.serviceAccountName;
  const scripts = applyScriptFiles(spec);
  // The dependencies annotation is last among ours, after the waiters (as before the redesign).
  reorderLast(manifest.metadata.annotations, DEPENDENCIES_ANNOTATION);
  applyRestartOnChange(manifest, (app.waitsFrom.get(c) ?? []).filter((w) => w.target && w.options.restartOnChange)
    .map((w) => ({ id: w.target!.workload.node.id, hash: reading.of(w.target!).templateHash! })));
  return { manifest, objects: rbac.objects, entries, scripts };
}

/**
 * Whether the token the library's containers need (a Role bound to the pod's
 * service account) would reach a container the library did not write: then
 * an error that says how to keep it ours, or to do without it.
 */
function checkTokenStaysOurs(path: string, f: WorkloadFacts) {
  const without = 'or do without API access: dependsOn(target, { upgradeCheck: false }) (or OrderedApp upgradeChecks: false) '
    + 'for the network-only check, and no object checks, readiness gates or ordered shutdown on it';
  if (f.sharesProcesses) {
    throw new Error(`'${path}' shares one process namespace between its containers (shareProcessNamespace: true), so any of them `
      + 'could read the token of the waiters\' service account through /proc/<pid>/root. Set shareProcessNamespace: false, ' + without);
  }
  if (f.automountsToken) {
    // The waiters' Role is bound to the pod's service account: with the token in every container, the app containers
    // would hold it too.
    throw new Error(`'${path}' mounts a service-account token into every container (automountServiceAccountToken: true), `
      + 'so the permissions its waiters need (a Role bound to its service account) would reach its app containers too. '
      + 'Set automountServiceAccountToken: false: the waiters then get a token of their own, mounted into them only; ' + without);
  }
  if (f.serviceAccountName !== undefined && f.automountUnset) {
    throw new Error(`'${path}' runs as service account '${f.serviceAccountName}' and leaves automountServiceAccountToken unset, so `
      + 'Kubernetes mounts that account\'s token into every container (unless the account itself says no), and the Role its waiters '
      + 'need, bound to that account, would reach its app containers too. Set automountServiceAccountToken: false on its pod '
      + 'template: the waiters then get a token of their own, mounted into them only; ' + without);
  }
}

/**
 * The names of what the library adds to a pod, which the user's containers
 * and volumes must not take (waiters and gate keepers pick free names
 * themselves).
 */
function checkReservedNames(path: string, manifest: any) {
  const spec = podSpecOf(manifest) ?? {};
  const clash = (kind: string, names: string[], reserved: string[]) => {
    for (const n of names) {
      if (reserved.includes(n)) {
        throw new Error(`'${path}': ${kind} '${n}' has a name cdk8s-ordered gives to its own (${reserved.join(', ')}); rename it`);
      }
    }
  };
  clash('container', [...spec.containers ?? [], ...spec.initContainers ?? []].map((x: any) => x.name), [SHUTDOWN_CONTAINER]);
  clash('volume', (spec.volumes ?? []).map((v: any) => v.name), [TOKEN_VOLUME, SHUTDOWN_VOLUME, SCRIPTS_VOLUME]);
}

/** Moves `k` to the end of `obj`'s keys, if present. */
function reorderLast(obj: Record<string, any> | undefined, k: string) {
  if (!obj || !(k in obj)) return;
  const keys = Object.keys(obj);
  if (keys[keys.length - 1] === k) return;
  const v = obj[k];
  delete obj[k];
  obj[k] = v;
}
