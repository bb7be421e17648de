/**
 * What the library writes and the command line reads: one definition of the
 * annotations, the dependency entries, the pod template's place in each
 * workload kind, and the names and environment of the containers the library
 * adds. Not part of the jsii API (not exported from index.ts).
 *
 * @internal
 */

/** Prefix of every name the library writes: annotations, pod conditions (readiness gates), kapp change groups. */
export const CONDITION_PREFIX = 'ordered.cdk8s.io/';
/** Annotation on a workload that waits: a JSON list of `DependencyEntry`. */
export const DEPENDENCIES_ANNOTATION = `${CONDITION_PREFIX}dependencies`;
/** Annotation on a versioned Job. */
export const VERSIONED_ANNOTATION = `${CONDITION_PREFIX}versioned`;

/** Name prefix of waiter init containers. */
export const WAITER_PREFIX = 'wait-for-';
/** Name prefix of readiness-gate keeper containers. */
export const GATE_PREFIX = 'gate-';
/** Name of the container that orders shutdown. */
export const SHUTDOWN_CONTAINER = 'ordered-shutdown';

/**
 * Environment a waiter is configured by: what the library writes into a
 * waiter container and its shell reads, `sh/*.sh` and each check's
 * `checks/<kind>/*.sh` (`test/contract.test.ts` holds the scripts to
 * exactly these names).
 */
export const WAITER_ENV = {
  /** A human description of what is waited for, in every log line. */
  FOR: 'WAIT_FOR',
  /** Seconds before giving up. */
  TIMEOUT: 'WAIT_TIMEOUT',
  /** `fail` or `proceed`. */
  ON_TIMEOUT: 'WAIT_ON_TIMEOUT',
  /** TCP: `host:port` words. */
  ADDRESSES: 'WAIT_ADDRESSES',
  /** HTTP and DNS: the host. */
  HOST: 'WAIT_HOST',
  /** HTTP: the port. */
  PORT: 'WAIT_PORT',
  /** HTTP: the path (and query). */
  PATH: 'WAIT_PATH',
  /** HTTP: the status codes or ranges that count as ready; a condition check: the status that counts as met. */
  STATUS: 'WAIT_STATUS',
  /** DNS: the server to ask, if not the pod's own. */
  DNS_SERVER: 'WAIT_DNS_SERVER',
  /** An API check: the resource kubectl watches (`jobs.batch`). */
  RESOURCE: 'WAIT_RESOURCE',
  /** An API check: the namespace it watches in. */
  NAMESPACE: 'WAIT_NAMESPACE',
  /** An API check: `--field-selector` or `-l`. */
  SELECTOR_FLAG: 'WAIT_SELECTOR_FLAG',
  /** An API check: the selector. */
  SELECTOR: 'WAIT_SELECTOR',
  /** Pods Ready: how many. */
  MIN_READY: 'WAIT_MIN_READY',
  /** A condition check: the condition type. */
  CONDITION: 'WAIT_CONDITION',
  /** A waiter shared by several network checks: one `KIND NAME PARAMETERS...` line per check. */
  CHECKS: 'WAIT_CHECKS',
  /**
   * An upgrade-checked waiter: one `RESOURCE NAMESPACE NAME DEPENDENCY` line
   * per rollout it waits for before its checks (NAMESPACE `-`: the pod's own).
   */
  ROLLOUTS: 'WAIT_ROLLOUTS',
  /** Where the reason goes when it gives up (default the container's terminationMessagePath); tests set it. */
  TERMINATION_LOG: 'WAIT_TERMINATION_LOG',
  /** Seconds between progress lines (default 5); tests set it. */
  PROGRESS: 'WAIT_PROGRESS',
  /** Seconds a watch round lasts at most (default 600); tests set it. */
  WATCH_SECONDS: 'WAIT_WATCH_SECONDS',
} as const;

/** Environment a readiness-gate keeper is configured by, on top of its check's (`WAITER_ENV`). */
export const GATE_ENV = {
  /** The pod condition it sets. */
  CONDITION: 'GATE_CONDITION',
  /** Seconds between polled checks. */
  PERIOD: 'GATE_PERIOD',
} as const;

/** Environment of the ordered-shutdown container. */
export const SHUTDOWN_ENV = {
  /** The dependents' names, for its log. */
  DEPENDENTS: 'SHUTDOWN_DEPENDENTS',
  /** Their pods' label selectors (`namespace:selector` for another namespace), space separated. */
  SELECTORS: 'SHUTDOWN_SELECTORS',
  /** Seconds it holds at most. */
  TIMEOUT: 'SHUTDOWN_TIMEOUT',
  /** The file whose existence releases the app containers' preStop hold. */
  FLAG: 'SHUTDOWN_FLAG',
} as const;

/** Workload kinds that roll out (their dependents can wait for the rollout: an upgrade check). */
export const ROLLOUT_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Kinds whose pods can wait, and be waited for. */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

/** One entry of the dependencies annotation: one waiter of the workload. */
export interface DependencyEntry {
  /** The init container that waits. */
  readonly waiter: string;
  /** `network`, `api` or `command`. */
  readonly mode: string;
  /** What it waits for, as its log says. */
  readonly check: string;
  /** `Kind/name` of the workload waited for; undefined for a precondition. */
  readonly target?: string;
  /** Seconds before `onTimeout` applies. */
  readonly timeout?: number;
  /** `fail` or `proceed`; only with a timeout. */
  readonly onTimeout?: string;
  /**
   * The waiter first waits for the rollout of `target` (a Deployment,
   * StatefulSet or DaemonSet) to be observed and to leave no pod of an older
   * revision, before its check: an upgrade-checked dependency. Absent: no
   * rollout check.
   */
  readonly upgrade?: boolean;
}

/** The annotation's text for `entries` (keys in a fixed order, absent fields left out). */
export function encodeEntries(entries: readonly DependencyEntry[]): string {
  return JSON.stringify(entries.map((e) => ({
    waiter: e.waiter,
    mode: e.mode,
    check: e.check,
    target: e.target,
    timeout: e.timeout,
    onTimeout: e.onTimeout,
    upgrade: e.upgrade || undefined,
  })));
}

/** A dependencies annotation as it was written: its text, and the entries it encodes. */
export interface WrittenEntries {
  readonly text: string;
  readonly entries: readonly DependencyEntry[];
}

/** The entries of a dependencies annotation, or why it cannot be read. */
export function parseEntries(text: unknown): DependencyEntry[] | string {
  if (typeof text !== 'string') return `annotation ${DEPENDENCIES_ANNOTATION} is ${describeValue(text)}, not a JSON string`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const excerpt = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    return `annotation ${DEPENDENCIES_ANNOTATION} is not JSON: ${excerpt}`;
  }
  if (!Array.isArray(value)) return `annotation ${DEPENDENCIES_ANNOTATION} is ${describeValue(value)}, not a JSON array`;
  const entries: DependencyEntry[] = [];
  for (let i = 0; i < value.length; i++) {
    const e = value[i];
    const bad = (what: string) => `annotation ${DEPENDENCIES_ANNOTATION}: entry ${i + 1} ${what}`;
    if (!isObject(e)) return bad(`is ${describeValue(e)}, not an object`);
    for (const key of ['waiter', 'mode', 'check']) {
      if (typeof e[key] !== 'string' || e[key] === '') return bad(`has no "${key}" string`);
    }
    if (e.target !== undefined && (typeof e.target !== 'string' || !/^[^/]+\/[^/]+$/.test(e.target))) {
      return bad('has a "target" that is not "Kind/name"');
    }
    if (e.timeout !== undefined && typeof e.timeout !== 'number') return bad('has a "timeout" that is not a number of seconds');
    if (e.onTimeout !== undefined && typeof e.onTimeout !== 'string') return bad('has an "onTimeout" that is not a string');
    if (e.upgrade !== undefined && typeof e.upgrade !== 'boolean') return bad('has an "upgrade" that is not true or false');
    if (e.upgrade === true && e.target === undefined) return bad('has "upgrade" without a "target"');
    entries.push({
      waiter: e.waiter, mode: e.mode, check: e.check, target: e.target, timeout: e.timeout, onTimeout: e.onTimeout, upgrade: e.upgrade,
    });
  }
  return entries;
}

/** The pod template of a workload manifest (`{ metadata, spec }`; a Pod is its own), if it has one. */
export function podTemplateOf(manifest: any): { metadata?: any; spec?: any } | undefined {
  switch (manifest?.kind) {
    case 'Pod': return manifest;
    case 'CronJob': return manifest.spec?.jobTemplate?.spec?.template;
    default: return WORKLOAD_KINDS.includes(manifest?.kind) ? manifest.spec?.template : undefined;
  }
}

/** The pod spec of a workload manifest, if it has one. */
export function podSpecOf(manifest: any): any {
  return podTemplateOf(manifest)?.spec;
}

/**
 * What an entry waits for, as `graph` and `plan` show it: its check, after
 * the target's rollout when the edge is upgrade-checked (an entry whose
 * check is the rollout itself, mode `api`, says so already).
 */
export function entryCheck(e: DependencyEntry): string {
  return e.upgrade === true && e.mode !== 'api' ? `rollout, then ${e.check}` : e.check;
}

/** `timeout 600s, then fail`, or undefined without a timeout. */
export function timeoutText(e: DependencyEntry): string | undefined {
  return e.timeout === undefined ? undefined : `timeout ${e.timeout}s, then ${e.onTimeout ?? 'fail'}`;
}

/** Whether `x` is a plain object (not null, not a list). */
export function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `a list`, `an object`, `a number`...: what a value is, for messages. */
export function describeValue(x: unknown): string {
  if (x === null || x === undefined) return 'empty';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}
