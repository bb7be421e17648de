/**
 * `cdk8s-ordered status`: what each component of a running app is waiting
 * for, read from the cluster. The workloads come from the cluster (what is
 * deployed, with the dependencies annotation cdk8s-ordered wrote on them), and
 * their pods say the rest: the waiter init containers' states, exit codes and
 * termination messages, the readiness gates' conditions, restart counts. Not
 * part of the jsii API.
 */
import { CONDITION_PREFIX, DEPENDENCIES_ANNOTATION, DependencyEntry, isObject, WORKLOAD_KINDS } from '../contract';
import { EXIT } from './exit-codes';
import { jsonLine, UsageError, visibleLine } from './input';
import { ClusterRead, readCluster } from './kubectl';
import { Model, modelOf, objectOf, planOf, Workload } from '../lint/model';

/** The options of `status`. */
export interface StatusOptions {
  readonly kubectl: string;
  readonly namespace?: string;
  readonly allNamespaces: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly watch: boolean;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly output: 'text' | 'json';
}

/** Where status writes, and its clock. */
interface StatusIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly now?: () => number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The state of a component, worst first (`running`: a Job that has not completed yet). `rolling out` comes after
 * `starting`: a workload that is starting has nothing serving yet, one that rolls out still serves (old pods, or new
 * ones) while its controller replaces them; and before `running` and `ready`, since it is not settled: a pipeline that
 * runs `status --watch` after `kubectl apply` must wait through it.
 */
export type State = 'failed' | 'absent' | 'waiting' | 'starting' | 'rolling out' | 'running' | 'ready';
const STATES: readonly State[] = ['failed', 'absent', 'waiting', 'starting', 'rolling out', 'running', 'ready'];

/**
 * Where the rollout of a Deployment, StatefulSet or DaemonSet is, read from its status with the rules its waiters
 * enforce for an upgrade-checked dependency.
 */
export interface Rollout {
  /** Pods (a DaemonSet: nodes) of the current revision. */
  readonly updated: number;
  /** How many must be of the current revision for the rollout to be done (a partitioned StatefulSet: those above it). */
  readonly wanted: number;
  /** Whether the controller has observed the latest spec (`status.observedGeneration >= metadata.generation`). */
  readonly observed: boolean;
  /** Observed, and no pod of an older revision left where the strategy replaces them. */
  readonly done: boolean;
  /** `RollingUpdate`, `Recreate` or `OnDelete`. */
  readonly strategy: string;
  /** What it means here, in a few words: `1/3 updated`. */
  readonly text: string;
}

/** A pod waiting for a dependency: in a waiter init container, or on a readiness gate. */
export interface Wait {
  readonly pod: string;
  /** The waiter init container, or the readiness gate's condition type. */
  readonly waiter: string;
  readonly gate: boolean;
  /** `Kind/name` of the workload waited for, as the graph labels it; undefined for a precondition or a gate. */
  readonly target?: string;
  /** What is waited for, as the waiter's log says it (or the gate condition's message). */
  readonly check: string;
  /** Seconds it has waited (this attempt of the waiter, or since the gate condition last changed). */
  readonly seconds?: number;
  readonly timeout?: number;
  readonly onTimeout?: string;
  /** The waiter's last reason: the termination message of its previous attempt, when it had one. */
  readonly lastReason?: string;
  /** An upgrade-checked dependency (the waiter waits for the target's rollout first). */
  readonly upgrade?: boolean;
  /** The target's rollout, when the waiter checks it and it is not done: what the waiter is held by. */
  readonly rollout?: Rollout;
}

/** A container that failed: a waiter that gave up, an app container that crashed, an image that cannot be pulled. */
export interface Failure {
  readonly pod: string;
  readonly container: string;
  readonly waiter: boolean;
  readonly exitCode?: number;
  /** Kubernetes' reason: `Error`, `CrashLoopBackOff`, `ImagePullBackOff`... */
  readonly reason?: string;
  /** The termination message (a waiter's: why it gave up), or the waiting message. */
  readonly message?: string;
  /** Seconds since it ended, when known. */
  readonly secondsAgo?: number;
  readonly restarts: number;
}

/** One component of the app and how it is doing. */
export interface ComponentStatus {
  /** `Kind/name` (with ` in <namespace>` when that name is ambiguous). */
  readonly ref: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly state: State;
  /** Ready pods (a Job: succeeded pods) and how many are wanted; undefined for a CronJob or an absent workload. */
  readonly pods?: { readonly ready: number; readonly desired: number };
  /** Restarts of every container of its current pods. */
  readonly restarts: number;
  /** What the state means here, one line each (the first is the summary). */
  readonly detail: string[];
  readonly waits: Wait[];
  readonly failures: Failure[];
  /** A Deployment's, StatefulSet's or DaemonSet's rollout, once its controller has observed it. */
  readonly rollout?: Rollout;
}

/** The whole app at one moment, and the verdict. */
export interface Snapshot {
  /** ISO time of the read. */
  readonly time: string;
  /** The namespace of every component, when they share one. */
  readonly namespace?: string;
  readonly components: ComponentStatus[];
  readonly counts: Record<State, number>;
  readonly restarts: number;
  /** Every component ready, or one failed: nothing more will change by itself. */
  readonly settled: boolean;
  readonly exitCode: number;
  readonly reason: string;
}

/** `90s`, `5m`, `1h`, `500ms`, or a number of seconds, in milliseconds. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m?.[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = m ? Number(m[1]) * unit : NaN;
  if (!(ms > 0)) throw new UsageError(`status: --${option} must be a positive duration such as 90s, 5m or 1h, not '${text}'`);
  return ms;
}

/** Runs `status`: one read, or with `watch` reads until the app settles or the timeout runs out. */
export async function status(o: StatusOptions, io: StatusIo): Promise<number> {
  const now = io.now ?? Date.now;
  const target = { ...o, env: io.env };
  const started = now();
  let lastKey: string | undefined;
  let last: Snapshot | undefined;
  let lastNote: string | undefined;
  for (;;) {
    let read: ClusterRead | undefined;
    let failure: unknown;
    try {
      read = await readCluster(target);
      lastNote = undefined;
    } catch (e) {
      // A watch rides out a failed read once it has read the cluster (the first read must work), saying so once.
      if (!o.watch || !last) throw e;
      failure = e;
      const note = `cdk8s-ordered: note: ${visibleLine((e as Error).message)}; trying again\n`;
      if (note !== lastNote) io.stderr.write(note);
      lastNote = note;
    }
    for (const w of read?.warnings ?? []) io.stderr.write(`cdk8s-ordered: kubectl: ${visibleLine(w)}\n`);
    // An empty read is what the cluster holds (the app deleted); only a failed read keeps the last snapshot.
    const snap = read ? snapshotOf(read.items, now(), scopeOf(o)) : last!;
    const elapsed = now() - started;
    const timeUp = elapsed >= o.timeoutMs;
    // Time is up on a read that failed: what is known is stale, so the verdict is the failure (exit 2), not the app's.
    if (failure !== undefined && timeUp && !snap.settled) throw failure;
    const done = !o.watch || snap.settled || timeUp;
    const final = o.watch && !snap.settled && timeUp
      ? {
        ...snap,
        reason: `still not settled when --timeout ${duration(Math.round(o.timeoutMs / 1000))} ran out: ${snap.reason}`,
        exitCode: snap.exitCode === EXIT.USAGE ? EXIT.USAGE : EXIT.NOT_SETTLED,
      }
      : snap;
    const key = changeKey(snap);
    if (o.output === 'json') {
      if (key !== lastKey || done) io.stdout.write(jsonLine({ ...final, final: done }) + '\n');
    } else if (key !== lastKey) {
      if (lastKey !== undefined) io.stdout.write('\n');
      io.stdout.write(formatText(final, o.watch ? `after ${duration(Math.round(elapsed / 1000))}` : undefined));
    } else if (done) {
      io.stdout.write(summaryLine(final) + '\n');
    }
    lastKey = key;
    last = snap;
    if (done) {
      if (final.exitCode !== EXIT.OK) io.stderr.write(`cdk8s-ordered: status: ${verdictWord(final).toLowerCase()} (exit ${final.exitCode}): ${visibleLine(final.reason)}\n`);
      return final.exitCode;
    }
    await new Promise((r) => setTimeout(r, Math.min(o.intervalMs, Math.max(0, o.timeoutMs - elapsed))));
  }
}

function scopeOf(o: StatusOptions): string {
  return o.allNamespaces ? 'any namespace' : o.namespace !== undefined ? `namespace ${o.namespace}` : 'the current namespace';
}

/** What must differ for a watch to print again: states, pods, restarts, what is waited for and what failed. */
function changeKey(s: Snapshot): string {
  return JSON.stringify(s.components.map((c) => [c.ref, c.state, c.pods, c.restarts, c.rollout?.text,
    c.waits.map((w) => [w.waiter, w.lastReason, w.rollout?.text]), c.failures.map((f) => [f.container, f.reason, f.exitCode]), c.detail.length]));
}

/**
 * The status of the app in `items` (a `kubectl get -o json` list of
 * workloads, ReplicaSets, Jobs and pods) at `now`: every workload that
 * carries the dependencies annotation, and every workload they wait for.
 */
export function snapshotOf(items: any[], now: number, scope = 'the namespace'): Snapshot {
  const key = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
  const byKey = new Map<string, any>();
  // What the API always gives (kind, metadata.name) is checked here, once: the rest of the code may rely on it.
  items = items.filter((it) => isObject(it) && typeof it.kind === 'string' && isObject(it.metadata) && typeof it.metadata.name === 'string');
  for (const it of items) byKey.set(key(it.kind, it.metadata.namespace, it.metadata.name), it);
  /** The workload an object belongs to: its controller's, followed up through ReplicaSets and Jobs. */
  const topOf = (it: any): any => {
    for (let cur = it, depth = 0; depth < 4; depth++) {
      const refs: any[] = Array.isArray(cur.metadata.ownerReferences) ? cur.metadata.ownerReferences.filter(isObject) : [];
      const owner = refs.find((r) => r.controller === true) ?? refs[0];
      const parent = owner && byKey.get(key(owner.kind, cur.metadata.namespace, owner.name));
      if (!parent) return cur;
      cur = parent;
    }
    return it;
  };
  const workloads = items.filter((it) => WORKLOAD_KINDS.includes(it.kind) && topOf(it) === it);
  const model = modelOf(['cluster'], workloads.map((w) => objectOf('cluster', w)));
  const podsOf = new Map<any, any[]>();
  for (const p of items.filter((it) => it.kind === 'Pod' && !it.metadata.deletionTimestamp)) {
    // Appended in place: a copy per pod made this quadratic in the pods of one workload.
    const top = topOf(p);
    const list = podsOf.get(top);
    if (list) list.push(p);
    else podsOf.set(top, [p]);
  }
  const incoming = new Set(model.edges.map((e) => e.to));
  const order = planOf(model)?.order ?? model.nodes.map((_, i) => i);
  // Every rollout first: a dependent's waiter may be held by its target's.
  const rollouts = model.nodes.map((n) => (n.workload ? rolloutOf(n.workload.kind, n.workload.raw) : undefined));
  const components = order
    .filter((i) => model.nodes[i].type === 'missing' || model.nodes[i].workload!.annotated || incoming.has(i))
    .map((i) => componentOf(model, i, podsOf.get(model.nodes[i].workload?.raw) ?? [], now, rollouts));

  const counts = Object.fromEntries(STATES.map((s) => [s, components.filter((c) => c.state === s).length])) as Record<State, number>;
  const restarts = components.reduce((n, c) => n + c.restarts, 0);
  const namespaces = [...new Set(components.map((c) => c.namespace))];
  const { settled, exitCode, reason } = verdict(components, counts, restarts, model, scope);
  return {
    time: new Date(now).toISOString(),
    namespace: namespaces.length === 1 ? namespaces[0] : undefined,
    components,
    counts,
    restarts,
    settled,
    exitCode,
    reason,
  };
}

function verdict(cs: ComponentStatus[], counts: Record<State, number>, restarts: number, model: Model, scope: string)
  : { settled: boolean; exitCode: number; reason: string } {
  if (cs.length === 0) {
    const n = model.workloads.length;
    return {
      settled: false,
      exitCode: EXIT.USAGE,
      reason: `no workload in ${scope} carries the cdk8s-ordered annotation ${DEPENDENCIES_ANNOTATION} `
        + `(${n} workload${n === 1 ? '' : 's'} read); is this the app's namespace? (-n NAMESPACE, or -A)`,
    };
  }
  const failed = cs.filter((c) => c.state === 'failed');
  if (failed.length > 0) {
    return { settled: true, exitCode: EXIT.FINDINGS, reason: failed.map((c) => `${c.ref} failed: ${c.detail[0]}`).join('; ') };
  }
  const unsettled = cs.filter((c) => c.state !== 'ready');
  if (unsettled.length > 0) {
    const shown = unsettled.slice(0, 3).map((c) => `${c.ref} ${c.state === 'absent' ? 'is not in the cluster'
      : c.waits[0] ? `is waiting for ${c.waits[0].gate ? `readiness gate ${c.waits[0].waiter}` : waitedFor(c.waits[0])}`
        : c.state === 'rolling out' ? `is rolling out (${c.rollout!.text})` : `is ${c.state}`}`);
    return {
      settled: false,
      exitCode: EXIT.NOT_SETTLED,
      reason: `${shown.join(', ')}${unsettled.length > 3 ? `, and ${unsettled.length - 3} more` : ''}`,
    };
  }
  if (restarts > 0) {
    const who = cs.filter((c) => c.restarts > 0).map((c) => `${c.ref} (${c.restarts})`);
    return {
      settled: true,
      exitCode: EXIT.FINDINGS,
      reason: `every component is ready, but containers restarted ${restarts} time${restarts === 1 ? '' : 's'}: ${who.join(', ')}`,
    };
  }
  return { settled: true, exitCode: EXIT.OK, reason: `all ${counts.ready} components ready, no restarts` };
}

/** Container states that mean it cannot run as it is, whatever else happens. */
const BROKEN = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CreateContainerConfigError',
  'CreateContainerError', 'RunContainerError', 'ErrImageNeverPull']);

/** What one pod is doing. */
interface PodState {
  readonly state: Exclude<State, 'absent'> | 'done';
  readonly detail: string[];
  readonly waits: Wait[];
  readonly failures: Failure[];
  readonly restarts: number;
  readonly ready: boolean;
  /** Seconds Ready, when Ready. */
  readonly readyFor?: number;
}

function componentOf(model: Model, i: number, pods: any[], now: number, rollouts: Array<Rollout | undefined>): ComponentStatus {
  const node = model.nodes[i];
  const base = { ref: node.label, kind: node.kind, name: node.name };
  if (node.type === 'missing') {
    const waiters = [...new Set(model.edges.filter((e) => e.to === i).map((e) => model.nodes[e.from].label))];
    return {
      ...base,
      state: 'absent',
      restarts: 0,
      waits: [],
      failures: [],
      detail: [`not found in the cluster; ${waiters.join(', ')} wait${waiters.length === 1 ? 's' : ''} for it`],
    };
  }
  const w = node.workload!;
  const raw = w.raw;
  const targets = new Map<DependencyEntry, Target>();
  for (const e of model.edges) if (e.from === i) targets.set(e.entry, { label: model.nodes[e.to].label, rollout: rollouts[e.to] });
  const states = pods.map((p) => podState(p, w, targets, now));
  const restarts = states.reduce((n, s) => n + s.restarts, 0);
  const waits = states.flatMap((s) => s.waits);
  const failures = states.flatMap((s) => s.failures);
  const readyPods = states.filter((s) => s.ready).length;
  const rollout = rollouts[i];
  const result = (state: State, detail: string[], pods_?: { ready: number; desired: number }): ComponentStatus =>
    ({ ...base, namespace: w.namespace, state, pods: pods_, restarts, detail, waits, failures, rollout });
  const conditions: any[] = Array.isArray(raw.status?.conditions) ? raw.status.conditions : [];
  const condition = (type: string) => conditions.find((c) => c?.type === type);
  // The worst state of the pods decides; the detail says what every pod that is not ready is doing, worst first.
  const worst = (podStates: PodState[]) => {
    const order = (['failed', 'waiting', 'starting'] as const).filter((st) => podStates.some((p) => p.state === st));
    if (order.length === 0) return undefined;
    return { state: order[0] as State, detail: order.flatMap((st) => mergeDetail(podStates.filter((p) => p.state === st))) };
  };

  if (w.kind === 'Job') {
    const completions = typeof raw.spec?.completions === 'number' ? raw.spec.completions : 1;
    const succeeded = typeof raw.status?.succeeded === 'number' ? raw.status.succeeded : states.filter((s) => s.state === 'done').length;
    const count = { ready: succeeded, desired: completions };
    const failedCondition = [condition('Failed'), condition('FailureTarget')].find((c) => c?.status === 'True');
    if (failedCondition) {
      return result('failed', [`Job failed: ${[failedCondition.reason, failedCondition.message].filter(Boolean).join(': ')}`,
        ...(worst(states)?.detail ?? [])], count);
    }
    const complete = [condition('Complete'), condition('SuccessCriteriaMet')].find((c) => c?.status === 'True');
    if (complete) {
      const at = raw.status?.completionTime ?? complete.lastTransitionTime;
      return result('ready', [`complete${at ? ` ${duration(secondsSince(at, now))} ago` : ''}`], count);
    }
    const w0 = worst(states);
    if (w0) return result(w0.state, w0.detail, count);
    const running = pods.filter((p) => p.status?.phase === 'Running');
    if (running.length > 0) {
      const since = running.reduce((m, p) => Math.max(m, p.status?.startTime ? secondsSince(p.status.startTime, now) : 0), 0);
      return result('running', [`running for ${duration(since)}${running.length > 1 ? ` (${running.length} pods)` : ''}`], count);
    }
    return result('starting', ['no pods yet'], count);
  }

  if (w.kind === 'CronJob') {
    const w0 = worst(states);
    if (w0 && w0.state !== 'starting') return result(w0.state, w0.detail);
    const active = Array.isArray(raw.status?.active) ? raw.status.active.length : 0;
    const scheduled = raw.status?.lastScheduleTime ? `, last run ${duration(secondsSince(raw.status.lastScheduleTime, now))} ago` : '';
    return result('ready', [`schedule '${raw.spec?.schedule ?? '?'}', ${active} active Job${active === 1 ? '' : 's'}${scheduled}`]);
  }

  const desired = w.kind === 'Pod' ? 1
    : w.kind === 'DaemonSet' ? (typeof raw.status?.desiredNumberScheduled === 'number' ? raw.status.desiredNumberScheduled : pods.length)
      : (typeof raw.spec?.replicas === 'number' ? raw.spec.replicas : 1);
  const count = { ready: readyPods, desired };
  if (w.kind === 'Deployment') {
    const stuck = condition('Progressing');
    const replicaFailure = condition('ReplicaFailure');
    if (replicaFailure?.status === 'True') return result('failed', [`cannot create pods: ${replicaFailure.message ?? replicaFailure.reason}`], count);
    if (stuck?.status === 'False' && stuck.reason === 'ProgressDeadlineExceeded') {
      return result('failed', [`rollout stuck: ${stuck.message ?? stuck.reason}`, ...(worst(states)?.detail ?? [])], count);
    }
  }
  const w0 = worst(states);
  // A rollout under way: never ready. Pods that failed or wait for something say more than it; pods that start
  // are what a rollout is made of.
  const rolling = rollout && !rollout.done ? [`rolling out: ${rollout.text}`] : [];
  if (w0 && (w0.state !== 'starting' || rolling.length === 0)) return result(w0.state, [...w0.detail, ...rolling], count);
  if (rolling.length > 0) return result('rolling out', [...rolling, ...(w0?.detail ?? [])], count);
  const onDelete = rollout?.strategy === 'OnDelete' && rollout.text ? [rollout.text] : [];
  if (readyPods < desired) {
    return result('starting', [`${readyPods} of ${desired} pods Ready; ${pods.length === 0 ? 'no pods yet' : `${pods.length} pods`}`, ...onDelete], count);
  }
  if (desired === 0) return result('ready', ['scaled to 0', ...onDelete], count);
  // A loop, not Math.min(...): spreading tens of thousands of pods as arguments can overflow the stack.
  const since = states.reduce((m, s) => Math.min(m, s.readyFor ?? Infinity), Infinity);
  return result('ready', [Number.isFinite(since) ? `Ready for ${duration(since)}` : 'Ready', ...onDelete,
    ...states.flatMap((s) => s.detail.slice(1))], count);
}

/** A count in a workload's status: the API leaves zero out. */
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * The rollout of a Deployment, StatefulSet or DaemonSet, by the rules its waiters enforce (and `kubectl rollout
 * status` uses); undefined for other kinds, and for a spec its controller has never observed (no
 * `observedGeneration` yet: a first start, not a rollout). A change of replicas alone is no rollout: the pods it adds
 * or removes are of the current revision, so updated keeps up with the total.
 * - Deployment: done once observed and `updatedReplicas >= replicas` (no pod of an older ReplicaSet left).
 * - StatefulSet, RollingUpdate: observed and `updatedReplicas >= replicas`; with a partition P, the pods above it:
 *   `updatedReplicas >= spec.replicas - P`. OnDelete: never rolling out by itself (pods update only when deleted).
 * - DaemonSet, RollingUpdate: observed and `updatedNumberScheduled >= currentNumberScheduled`; OnDelete as above.
 */
export function rolloutOf(kind: string, raw: any): Rollout | undefined {
  if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'DaemonSet') return undefined;
  const st = isObject(raw.status) ? raw.status : {};
  if (typeof st.observedGeneration !== 'number') return undefined;
  const generation = raw.metadata?.generation;
  const observed = typeof generation !== 'number' || st.observedGeneration >= generation;
  const spec = isObject(raw.spec) ? raw.spec : {};
  const strategyOf = (x: any, fallback: string): string => (isObject(x) && typeof x.type === 'string' ? x.type : fallback);
  const notObserved = `new spec not observed yet (generation ${generation}, observed ${st.observedGeneration})`;
  const of = (updated: number, wanted: number, done: boolean, strategy: string, more = ''): Rollout =>
    ({ updated, wanted, observed, done, strategy, text: observed ? `${updated}/${wanted} updated${more}` : notObserved });
  const specReplicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  if (kind === 'Deployment') {
    const strategy = strategyOf(spec.strategy, 'RollingUpdate');
    const updated = num(st.updatedReplicas);
    const total = num(st.replicas);
    const old = total - updated;
    return of(updated, specReplicas, observed && updated >= total, strategy,
      updated >= specReplicas && old > 0 ? `, ${old} old pod${old === 1 ? '' : 's'} left` : '');
  }
  const strategy = strategyOf(spec.updateStrategy, 'RollingUpdate');
  if (strategy === 'OnDelete') {
    const behind = kind === 'StatefulSet'
      ? typeof st.updateRevision === 'string' && typeof st.currentRevision === 'string' && st.updateRevision !== st.currentRevision
      : num(st.updatedNumberScheduled) < num(st.desiredNumberScheduled);
    const updated = kind === 'StatefulSet' ? num(st.updatedReplicas) : num(st.updatedNumberScheduled);
    const wanted = kind === 'StatefulSet' ? specReplicas : num(st.desiredNumberScheduled);
    return { updated, wanted, observed, done: true, strategy, text: behind ? 'OnDelete: pods update only when deleted' : '' };
  }
  if (kind === 'StatefulSet') {
    const updated = num(st.updatedReplicas);
    const partition = num(spec.updateStrategy?.rollingUpdate?.partition);
    if (partition > 0) {
      const wanted = Math.max(0, specReplicas - partition);
      return of(updated, wanted, observed && updated >= wanted, strategy, ` (above partition ${partition})`);
    }
    return of(updated, specReplicas, observed && updated >= num(st.replicas), strategy);
  }
  const updated = num(st.updatedNumberScheduled);
  return of(updated, num(st.desiredNumberScheduled), observed && updated >= num(st.currentNumberScheduled), strategy);
}

/** Detail lines of the pods in one state, the same lines said once with how many pods. */
function mergeDetail(states: PodState[]): string[] {
  const seen = new Map<string, number>();
  for (const s of states) {
    const first = s.detail[0];
    seen.set(first, (seen.get(first) ?? 0) + 1);
  }
  const out: string[] = [];
  const done = new Set<string>();
  for (const s of states) {
    const first = s.detail[0];
    if (done.has(first)) continue;
    done.add(first);
    const n = seen.get(first)!;
    out.push(n === 1 ? first : first.endsWith(')') ? `${first.slice(0, -1)}, ${n} pods)` : `${first} (${n} pods)`, ...s.detail.slice(1));
  }
  return out;
}

/** What a dependency's entry leads to: the target's label, and its rollout. */
interface Target {
  readonly label: string;
  readonly rollout?: Rollout;
}

/** `db's rollout (1/3 updated)` for a waiter held by its target's rollout; else the target and the check. */
function waitedFor(w: Wait): string {
  if (w.target && w.rollout) return `${w.target}'s rollout (${w.rollout.text})`;
  return w.target ?? w.check;
}

function podState(pod: any, w: Workload, targets: Map<DependencyEntry, Target>, now: number): PodState {
  const name: string = pod.metadata.name;
  const ns = pod.metadata.namespace ? `-n ${pod.metadata.namespace} ` : '';
  const logs = (c: string) => `see: kubectl logs ${ns}${name} -c ${c}${''}`;
  const st = isObject(pod.status) ? pod.status : {};
  const spec = isObject(pod.spec) ? pod.spec : {};
  const inits: any[] = Array.isArray(st.initContainerStatuses) ? st.initContainerStatuses : [];
  const mains: any[] = Array.isArray(st.containerStatuses) ? st.containerStatuses : [];
  const restarts = [...inits, ...mains].reduce((n, c) => n + (typeof c?.restartCount === 'number' ? c.restartCount : 0), 0);
  const conditions: any[] = Array.isArray(st.conditions) ? st.conditions : [];
  const readyCondition = conditions.find((c) => c?.type === 'Ready');
  const ready = readyCondition?.status === 'True';
  const base = { restarts, ready, waits: [] as Wait[], failures: [] as Failure[] };
  if (st.phase === 'Succeeded') return { ...base, state: 'done', detail: ['completed'] };

  const failure = (c: any, waiter: boolean): PodState | undefined => {
    const waiting = c?.state?.waiting;
    const terminated = c?.state?.terminated ?? (waiting?.reason === 'CrashLoopBackOff' ? c?.lastState?.terminated : undefined);
    const failedExit = terminated && terminated.exitCode !== 0 && (c?.state?.terminated || waiting?.reason === 'CrashLoopBackOff');
    if (!failedExit && !(waiting && BROKEN.has(waiting.reason))) return undefined;
    const f: Failure = {
      pod: name,
      container: c.name,
      waiter,
      exitCode: failedExit ? terminated.exitCode : undefined,
      reason: waiting?.reason ?? terminated?.reason,
      message: (failedExit ? textOf(terminated.message)?.trim() : undefined) || textOf(waiting?.message) || undefined,
      secondsAgo: failedExit && terminated.finishedAt ? secondsSince(terminated.finishedAt, now) : undefined,
      restarts: typeof c.restartCount === 'number' ? c.restartCount : 0,
    };
    const what = failedExit
      ? `${waiter ? `${c.name} gave up` : `container ${c.name} failed`} (exit ${f.exitCode}${f.secondsAgo !== undefined ? `, ${duration(f.secondsAgo)} ago` : ''})`
      : `container ${c.name}: ${waiting.reason}`;
    const detail = [f.message ? `${what}: ${oneLine(f.message)}` : what];
    if (waiting?.reason === 'CrashLoopBackOff') detail.push(`restarting (CrashLoopBackOff, ${f.restarts} restart${f.restarts === 1 ? '' : 's'})`);
    if (failedExit) detail.push(logs(c.name));
    return { ...base, failures: [f], state: 'failed', detail };
  };

  // Init containers run one after another: the first that has not completed is where the pod is.
  const initSpecs: any[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  for (const cs of initSpecs) {
    const c = inits.find((s) => s?.name === cs?.name);
    // A waiter may wait for several dependencies at once (every TCP check of the pod shares one).
    const entries = w.waits.filter((e) => e.waiter === cs?.name);
    const entry = entries[0];
    const failed = failure(c, entry !== undefined);
    if (failed) return failed;
    if (cs?.restartPolicy === 'Always') continue; // a native sidecar: it keeps running
    if (c?.state?.terminated?.exitCode === 0) continue;
    if (c?.state?.running && entry) {
      const seconds = c.state.running.startedAt ? secondsSince(c.state.running.startedAt, now) : undefined;
      const lastReason = textOf(c.lastState?.terminated?.message)?.trim() || undefined;
      const waits: Wait[] = entries.map((e) => {
        const target = targets.get(e);
        const held = e.upgrade === true && target?.rollout && !target.rollout.done ? target.rollout : undefined;
        return {
          pod: name,
          waiter: cs.name,
          gate: false,
          target: target?.label,
          check: e.check,
          seconds,
          timeout: e.timeout,
          onTimeout: e.timeout !== undefined ? e.onTimeout ?? 'fail' : undefined,
          lastReason,
          upgrade: e.upgrade === true ? true : undefined,
          rollout: held,
        };
      });
      const how = seconds === undefined ? '' : entry.timeout !== undefined ? ` ${duration(seconds)} of ${entry.timeout}s, then ${waits[0].onTimeout},`
        : ` ${duration(seconds)}`;
      const what = waits.map((x) => (x.rollout ? waitedFor(x) : x.target ? `${x.target}: ${x.check}` : x.check)).join('; ');
      const detail = [`waiting${how} for ${what} (${cs.name})`];
      detail.push(lastReason ? `last reason: ${oneLine(lastReason)}` : logs(cs.name));
      return { ...base, state: 'waiting', detail, waits };
    }
    if (c?.state?.running) return { ...base, state: 'starting', detail: [`init container ${cs.name} running`] };
    const why = c?.state?.waiting?.reason;
    return {
      ...base,
      state: 'starting',
      detail: [unscheduled(st, now) ?? `${entry ? 'waiter' : 'init container'} ${cs.name} not started yet${why ? ` (${why})` : ''}`],
    };
  }
  for (const c of mains) {
    const failed = failure(c, false);
    if (failed) return failed;
  }
  if (st.phase === 'Failed') {
    return { ...base, state: 'failed', detail: [`pod failed${st.reason ? `: ${st.reason}` : ''}${st.message ? `: ${oneLine(st.message)}` : ''}`] };
  }
  // Readiness gates the library writes: the pod is Ready only once its keeper sets them True.
  const gates: any[] = (Array.isArray(spec.readinessGates) ? spec.readinessGates : [])
    .map((g: any) => g?.conditionType).filter((t: any) => typeof t === 'string' && t.startsWith(CONDITION_PREFIX));
  const open = gates.filter((t) => conditions.find((c) => c?.type === t)?.status !== 'True');
  if (open.length > 0) {
    const waits: Wait[] = open.map((t) => {
      const c = conditions.find((x) => x?.type === t);
      return {
        pod: name,
        waiter: t,
        gate: true,
        check: c?.message ?? 'condition not set yet',
        lastReason: c?.reason,
        seconds: c?.lastTransitionTime ? secondsSince(c.lastTransitionTime, now) : undefined,
      };
    });
    const detail = waits.map((g) => `not Ready: readiness gate ${g.waiter} is ${conditions.find((x) => x?.type === g.waiter)?.status ?? 'not set'}`
      + `${g.seconds !== undefined ? ` for ${duration(g.seconds)}` : ''}${g.check ? `: ${oneLine(g.check)}` : ''}`);
    return { ...base, state: 'waiting', detail, waits };
  }
  if (ready) {
    return { ...base, state: 'ready', detail: ['Ready', ...restartLines(name, mains, now)], readyFor: readyCondition?.lastTransitionTime ? secondsSince(readyCondition.lastTransitionTime, now) : undefined };
  }
  const notReady = mains.filter((c) => !c?.ready).map((c) => c?.name);
  const since = readyCondition?.lastTransitionTime ?? st.startTime;
  return {
    ...base,
    state: 'starting',
    detail: [unscheduled(st, now) ?? (st.phase === 'Running' && w.kind !== 'Job' && notReady.length > 0
      ? `container${notReady.length === 1 ? '' : 's'} ${notReady.join(', ')} not Ready${since ? ` for ${duration(secondsSince(since, now))}` : ''}`
      : `${String(st.phase ?? 'pending').toLowerCase()}${since ? ` for ${duration(secondsSince(since, now))}` : ''}`)],
  };
}

/** A line for each container of pod `name` that restarted: how often, and how it last ended. */
function restartLines(name: string, containers: any[], now: number): string[] {
  return containers.filter((c) => typeof c?.restartCount === 'number' && c.restartCount > 0).map((c) => {
    const t = c.lastState?.terminated;
    const how = t ? `, last exit ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.finishedAt ? ` ${duration(secondsSince(t.finishedAt, now))} ago` : ''}`
      + `${t.message ? `: ${oneLine(t.message)}` : ''}` : '';
    return `container ${c.name} of pod ${name} restarted ${c.restartCount} time${c.restartCount === 1 ? '' : 's'}${how}`;
  });
}

/** Why a pod is not scheduled, if it is not. */
function unscheduled(st: any, now: number): string | undefined {
  const c = (Array.isArray(st.conditions) ? st.conditions : []).find((x: any) => x?.type === 'PodScheduled');
  if (c?.status !== 'False') return undefined;
  return `not scheduled${c.lastTransitionTime ? ` for ${duration(secondsSince(c.lastTransitionTime, now))}` : ''}`
    + `${c.message ? `: ${oneLine(c.message)}` : c.reason ? `: ${c.reason}` : ''}`;
}

function secondsSince(iso: string, now: number): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 1000)) : 0;
}

/** `42s`, `2m13s`, `1h5m`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  const m = Math.floor((seconds % 3600) / 60);
  return `${Math.floor(seconds / 3600)}h${m ? `${m}m` : ''}`;
}

/** Text the cluster wrote, on one line; what is not a string (a hostile or broken object) as JSON. */
function oneLine(s: unknown): string {
  return (textOf(s) ?? '').trim().replace(/\s*\n\s*/g, ' / ');
}

/** A field that should hold text: the text, or what it holds as JSON; undefined when absent. */
function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

/** The snapshot as a table, one row per component (detail lines under it), then the summary. */
export function formatText(s: Snapshot, when?: string): string {
  const multi = s.namespace === undefined && s.components.some((c) => c.namespace !== undefined);
  const head = multi ? ['NAMESPACE', 'COMPONENT', 'STATE', 'PODS', 'RESTARTS', 'DETAIL'] : ['COMPONENT', 'STATE', 'PODS', 'RESTARTS', 'DETAIL'];
  const rows: string[][] = [head];
  for (const c of s.components) {
    // Every cell as the terminal will show it (cluster text escaped), before the widths are measured.
    const cells = [c.ref, c.state, c.pods ? `${c.pods.ready}/${c.pods.desired}` : '-', String(c.restarts), c.detail[0] ?? ''].map(visibleLine);
    rows.push(multi ? [visibleLine(c.namespace ?? '-'), ...cells] : cells);
    for (const d of c.detail.slice(1)) rows.push([...head.slice(1).map(() => ''), visibleLine(d)]);
  }
  const widths = head.map((_, col) => rows.reduce((m, r) => Math.max(m, r[col].length), 0));
  const table = rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]))).join('  ').trimEnd());
  const title = `${s.namespace !== undefined ? `Namespace ${visibleLine(s.namespace)}` : 'Status'} at ${s.time.replace(/\.\d+Z$/, 'Z')}${when ? ` (${when})` : ''}`;
  return [title, '', ...(s.components.length > 0 ? [...table, ''] : []), summaryLine(s)].join('\n') + '\n';
}

/** `1 ready, 2 waiting; 0 restarts. <verdict>`. */
export function summaryLine(s: Snapshot): string {
  const counts = STATES.filter((st) => s.counts[st] > 0).map((st) => `${s.counts[st]} ${st}`);
  const head = counts.length > 0 ? `${counts.join(', ')}; ${s.restarts} restart${s.restarts === 1 ? '' : 's'}. ` : '';
  return `${head}${verdictWord(s)} (exit ${s.exitCode}): ${visibleLine(s.reason)}`;
}

function verdictWord(s: Snapshot): string {
  if (s.exitCode === EXIT.OK) return 'Settled';
  if (s.exitCode === EXIT.USAGE) return 'Nothing to show';
  return s.settled ? (s.counts.failed > 0 ? 'Failed' : 'Settled with restarts') : 'Not settled';
}
