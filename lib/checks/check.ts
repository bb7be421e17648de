import type { IConstruct } from 'constructs';
import type { ServiceFacts } from '../workload';

/**
 * What every check is made of, and what a network check's folder provides
 * (`lib/checks/<kind>/`; an API check's, `lib/checks/<judge>/`, has its
 * `render.ts` and its `judge.sh`). Here rather than in `wait-for.ts` or
 * `waiters.ts`, which both import the checks' folders: a check imports only
 * this.
 *
 * @internal
 */

/** Which check a network waiter runs: the name of its folder, `lib/checks/<kind>/`. @internal */
export enum NetworkCheck {
  TCP = 'tcp',
  HTTP = 'http',
  DNS = 'dns',
  COMMAND = 'command',
}

/** How an API waiter judges what it watches: the name of its folder, `lib/checks/<judge>/`. @internal */
export enum ApiJudge {
  EXISTS = 'exists',
  CONDITION = 'condition',
  JOB = 'job',
  PODS = 'pods',
  ROLLOUT = 'rollout',
}

/**
 * Where a check runs and what it needs. @internal
 */
export enum CheckMode {
  /** A network probe from a small image; no API access. */
  NETWORK = 'network',
  /** A watch on the Kubernetes API; needs RBAC and a token. */
  API = 'api',
  /** A user command in a user image. */
  COMMAND = 'command',
}

/** A permission an API check needs. @internal */
export interface ApiPermission {
  readonly apiGroup: string;
  readonly resource: string;
  /** Undefined: the waiting workload's own namespace. */
  readonly namespace?: string;
  /** Undefined when the check selects by labels, not by name. */
  readonly resourceName?: string;
  /** @default ['list', 'watch'] */
  readonly verbs?: string[];
  /** The object is a versioned Job: its name changes with each version. */
  readonly versioned?: boolean;
}

/** What rendering a check produced. @internal */
export interface RenderedCheck {
  /** Short DNS-1123-ish words for container names: `db`, `secret-api-tls`. */
  readonly slug: string;
  /** Human description for logs: `tcp db:5432`. */
  readonly description: string;
  readonly mode: CheckMode;
  readonly network?: NetworkCheck;
  readonly judge?: ApiJudge;
  /** Check parameters, as environment variables (ordered). */
  readonly env: Array<[string, string]>;
  readonly permission?: ApiPermission;
  /** For COMMAND checks. */
  readonly image?: string;
  readonly args?: string[];
}

/** What a check needs to know about where it runs. @internal */
export interface CheckContext {
  /** Namespace of the waiting workload; undefined when the chart has none. */
  readonly namespace?: string;
  /** Construct path of the waiting component, for errors. */
  readonly path: string;
  /** The Service that `construct` is or holds, as rendered at synth. */
  service(construct: IConstruct): ServiceFacts;
}

/**
 * A check as a value, before it is rendered: what `WaitFor` wraps. Its
 * factory has checked its arguments already. @internal
 */
export interface CheckSpec {
  /** What the check is: two checks with equal keys are the same check. Its first word is the check's kind. */
  readonly key: unknown[];
  /** The check's environment, slug and description where it runs. */
  render(ctx: CheckContext): RenderedCheck;
}

/**
 * A host a network check connects to, as found in its environment: the
 * variable and the value (one word of it) that name it, for messages.
 * @internal
 */
export interface CheckHost {
  readonly host: string;
  readonly variable: string;
  readonly value: string;
}

/**
 * How a network check is one line of `WAIT_CHECKS`, in a waiter shared by
 * several (`KIND NAME PARAMETERS...`): its parameters as words, and back.
 * `take_<kind>` in the folder's `take.sh` is the shell's `decode`.
 * @internal
 */
export interface CheckLine {
  /** The line's parameter words, from the check's environment (empty values left out). */
  encode(env: (name: string) => string): string[];
  /** The check's environment from a line's parameter words: what `take_<kind>` sets. */
  decode(words: string[]): Array<[string, string]>;
}

/**
 * A network check kind: what its folder `lib/checks/<kind>/` provides beside
 * its factories. @internal
 */
export interface NetworkCheckKind {
  readonly kind: NetworkCheck;
  /**
   * Its shell, file names in its folder, in order: they define
   * `probe_<kind>`, `verdict_<kind>` and `probing_<kind>`, and the names the
   * loops call (`probe`...). A script of this check alone is made of them.
   */
  readonly shell: readonly string[];
  /**
   * How it shares a waiter with other checks: its `WAIT_CHECKS` line, and the
   * shell file (in its folder) that defines `take_<kind>`. Absent: each
   * check of this kind has a waiter of its own.
   */
  readonly shared?: CheckLine & { readonly take: string };
  /** The hosts it connects to, from its environment (the ones it reads), for ORD005. */
  hosts?(env: (name: string) => string | undefined): CheckHost[];
}
