import { checkLine, isShared } from '../checks';
import { DEPENDENCIES_ANNOTATION, DependencyEntry, encodeEntries, WAITER_ENV, WAITER_PREFIX } from '../contract';
import { dnsLabel, slugify, uniqueLabel } from '../names';
import { escapeForKubelet } from '../validation';
import { ApiPermission, CheckMode, RenderedCheck } from '../wait-for';
import { apiScript, networkScript, severalScript, upgradeScript } from '../waiters';
import { PodContext, podEnv, resources, securityContext, tokenMounts } from './containers';
import { scriptCommand } from './scripts';

/**
 * Waiters: the init containers that hold a pod's start until what it depends
 * on is ready, and the annotation that lists them for the command line.
 *
 * @internal
 */

/** One wait of a pod, its check rendered. */
export interface PlannedWait {
  /** The words of its container name: `db`, `secret-api-tls`. */
  readonly slug: string;
  readonly check: RenderedCheck;
  /** Seconds before giving up; undefined waits without limit. */
  readonly timeout?: number;
  /** `fail` or `proceed`, with a timeout. */
  readonly onTimeout?: string;
  /** `Kind/name` of the component waited for; undefined for a precondition. */
  readonly target?: string;
  /**
   * The target's rollout, waited for before the check (an upgrade check);
   * when `check` is the rollout itself (`check.network` undefined, mode
   * API), it is all the waiter waits for.
   */
  readonly rollout?: PlannedRollout;
}

/** A rollout a waiter waits for: the workload, watched by name. */
export interface PlannedRollout {
  /** `deployments.apps`, `statefulsets.apps` or `daemonsets.apps`. */
  readonly resource: string;
  /** The workload's namespace; undefined: the waiting pod's own. */
  readonly namespace?: string;
  readonly name: string;
  /** What the waiter needs to watch it. */
  readonly permission: ApiPermission;
}

/** The API access the waiters need. */
export function waiterPermissions(waits: PlannedWait[]): ApiPermission[] {
  const out: ApiPermission[] = [];
  for (const w of waits) {
    if (w.rollout) out.push(w.rollout.permission);
    if (w.check.permission) out.push(w.check.permission);
  }
  return out;
}

/** What `applyWaiters` did: how many waiters it added, and the annotation's entries it wrote (none without waits). */
export interface AppliedWaiters {
  readonly added: number;
  readonly entries: DependencyEntry[];
}

/**
 * Puts the waiters first among the pod's init containers (named after their
 * slugs, unique among the pod's containers in `taken`), and lists them in the
 * dependencies annotation.
 */
export function applyWaiters(ctx: PodContext, waits: PlannedWait[], manifest: any, spec: any, taken: Set<string>): AppliedWaiters {
  if (waits.length === 0) return { added: 0, entries: [] };
  const groups = waiterGroups(waits);
  const containers = groups.map((g) => waiterContainer(ctx, g, uniqueLabel(dnsLabel(WAITER_PREFIX, g.map((w) => w.slug).join('-')), taken)));
  spec.initContainers = [...containers, ...(spec.initContainers ?? [])];
  const entries: DependencyEntry[] = groups.flatMap((g, i) => g.map((w) => ({
    waiter: containers[i].name,
    mode: w.check.mode,
    check: w.check.description,
    target: w.target,
    timeout: w.timeout,
    onTimeout: w.onTimeout,
    upgrade: w.rollout ? true : undefined,
  })));
  (manifest.metadata.annotations ??= {})[DEPENDENCIES_ANNOTATION] = encodeEntries(entries);
  return { added: containers.length, entries };
}

/**
 * The pod's waits, one group per waiter container: every network check that
 * can share a waiter (TCP, HTTP and DNS: `lib/checks/index.ts` says which) and
 * every rollout with the same timeout share one container (a pod starts about
 * a second later per init container), whose checks run one after another
 * (`sh/check-several.sh`); API and command checks have one each. Groups are
 * in the order of their first wait.
 */
function waiterGroups(waits: PlannedWait[]): PlannedWait[][] {
  const groups: PlannedWait[][] = [];
  const shared = new Map<string, PlannedWait[]>();
  for (const w of waits) {
    if (!w.rollout && (w.check.mode !== CheckMode.NETWORK || !isShared(w.check.network))) {
      groups.push([w]);
      continue;
    }
    const k = `${w.timeout ?? ''}/${w.onTimeout ?? ''}`;
    const g = shared.get(k);
    if (g) {
      g.push(w);
    } else {
      const fresh = [w];
      shared.set(k, fresh);
      groups.push(fresh);
    }
  }
  return groups;
}

/**
 * What a group waits for, for its log lines: the check of a single wait, or
 * the names of several (`db, cache and queue`; each reason names the
 * dependency, and the dependencies annotation holds every check).
 */
function groupDescription(g: PlannedWait[]): string {
  if (g.length === 1) return g[0].rollout && g[0].check.network ? `the rollout of ${slugify(g[0].slug)}, then ${g[0].check.description}` : g[0].check.description;
  const names = g.map((w) => slugify(w.slug));
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function waiterContainer(ctx: PodContext, g: PlannedWait[], name: string): any {
  const w = g[0];
  const upgrade = g.some((x) => x.rollout);
  const r = upgrade ? rollouts(g) : g.length === 1 ? w.check : several(g);
  const api = r.mode === CheckMode.API;
  const env: any[] = [];
  const ownNamespace = r.env.some(([, v]) => v.includes('$(POD_NAMESPACE)')) || g.some((x) => x.rollout && x.rollout.namespace === undefined);
  if (api && ownNamespace) env.push(podEnv('POD_NAMESPACE'));
  env.push({ name: WAITER_ENV.FOR, value: escapeForKubelet(groupDescription(g)) });
  if (w.timeout !== undefined) {
    env.push({ name: WAITER_ENV.TIMEOUT, value: String(w.timeout) });
    env.push({ name: WAITER_ENV.ON_TIMEOUT, value: w.onTimeout });
  }
  for (const [k, v] of r.env) env.push({ name: k, value: literal(v) });
  const container: any = {
    name,
    image: r.image ?? (api ? ctx.kubectlImage : ctx.waiterImage),
    command: scriptCommand(upgrade ? upgradeScript() : api ? apiScript(r.judge!) : g.length > 1 ? severalScript() : networkScript(r.network!)),
  };
  // A command check's command: the script's arguments (`checks/command/check.sh`).
  if (r.args) container.args = r.args.map(escapeForKubelet);
  container.env = env;
  container.resources = resources(api);
  container.securityContext = securityContext();
  const mounts = api ? tokenMounts(ctx.automountsToken) : undefined;
  if (mounts) container.volumeMounts = mounts;
  return container;
}

/**
 * The group's checks as one: `WAIT_CHECKS`, a line per check
 * (`KIND NAME PARAMETERS...`, as `sh/check-several.sh` reads them).
 */
function several(g: PlannedWait[]): RenderedCheck {
  return { ...g[0].check, env: [[WAITER_ENV.CHECKS, checkLines(g)]] };
}

/**
 * The lines of `WAIT_CHECKS` for the network checks of a group, each in its
 * kind's encoding (`lib/checks/<kind>/`, as its `take_<kind>` reads it).
 */
function checkLines(g: PlannedWait[]): string {
  return g.filter((w) => isShared(w.check.network)).map((w) => checkLine(w.check, slugify(w.slug))).join('\n');
}

/**
 * An upgrade-checked group as one check: `WAIT_ROLLOUTS`, a line per rollout
 * (`RESOURCE NAMESPACE NAME DEPENDENCY`, as `sh/rollout-loop.sh` reads them,
 * `-` for the pod's own namespace), then its network checks in `WAIT_CHECKS`.
 * It watches the API: an API check, in the kubectl image.
 */
function rollouts(g: PlannedWait[]): RenderedCheck {
  const lines = g.filter((w) => w.rollout).map((w) => {
    const r = w.rollout!;
    return [r.resource, r.namespace ?? '-', r.name, slugify(w.slug)].join(' ');
  });
  const env: Array<[string, string]> = [[WAITER_ENV.ROLLOUTS, lines.join('\n')]];
  const checks = checkLines(g);
  if (checks) env.push([WAITER_ENV.CHECKS, checks]);
  return { slug: g[0].slug, description: groupDescription(g), mode: CheckMode.API, env };
}

/** A value as the kubelet must pass it on: escaped from `$(VAR)` expansion, but for our own reference to the pod's namespace. */
function literal(v: string): string {
  return v === '$(POD_NAMESPACE)' ? v : escapeForKubelet(v);
}
