import { ApiObject, Duration } from 'cdk8s';
import { IConstruct, Node } from 'constructs';
import { DEPENDENCIES_ANNOTATION, VERSIONED_ANNOTATION } from './contract';
import { LifecycleAction } from './lifecycle';
import { checkSilenced } from './lint/lint';
import { checkContainerName, checkContainerNames, checkOneOf, checkWholeSeconds, invalid } from './validation';
import { checkCheck, WaitFor } from './wait-for';
import { findWorkloadObject } from './workload';

/**
 * What a waiter does when its timeout runs out.
 */
export enum TimeoutPolicy {
  /**
   * The waiter exits non-zero: the pod does not start and Kubernetes retries
   * the init container with back-off. The log says what was not ready.
   */
  FAIL = 'fail',
  /**
   * The waiter logs a warning and exits 0: the pod starts without the
   * dependency (compose's `required: false`).
   */
  PROCEED = 'proceed',
}

/**
 * Options for `Component.waitFor`, and the base of `DependencyOptions`.
 */
export interface WaitOptions {
  /**
   * How long to wait before applying `onTimeout`.
   *
   * @default - wait without limit, logging progress every 5 seconds
   */
  readonly timeout?: Duration;

  /**
   * What to do when `timeout` runs out.
   *
   * @default TimeoutPolicy.FAIL
   */
  readonly onTimeout?: TimeoutPolicy;
}

/**
 * Options for `Component.dependsOn`.
 */
export interface DependencyOptions extends WaitOptions {
  /**
   * How to decide that the target is ready.
   *
   * @default - the target's `readiness`; else "Job completed" for a Job, "a
   * TCP connection to each port of its Service succeeds" for a workload with
   * a Service, and "its pods are Ready" for anything else
   */
  readonly check?: WaitFor;

  /**
   * Roll this component's pods whenever the target's pod template changes
   * (compose's `restart: true`).
   *
   * Writes a hash of the target's pod template into this component's pod
   * template annotations (`ordered.cdk8s.io/spec-of-<target>`), so a new
   * image or command on the target changes this pod template too.
   *
   * @default false
   */
  readonly restartOnChange?: boolean;

  /**
   * Before the check, wait for the target's rollout: its controller has seen
   * its latest spec, no pod of an older revision is left, and a pod of the
   * current one is available. So on an upgrade of both, this component's new
   * pods are not answered by the target's previous version (a Service routes
   * to old and new pods alike while a rollout runs). A change of replicas
   * alone never holds them; a target scaled to zero does.
   *
   * For a Deployment, StatefulSet (with `partition`: the pods above it; with
   * `OnDelete`, only its observed generation and an available pod) or
   * DaemonSet, whose check is the default or a network check. The waiter
   * reads the target's current state from the API, so a change to the
   * target alone does not roll this component. It runs in `kubectlImage`
   * with a token of its own: a Role that may `list` and `watch` that one
   * workload (`resourceNames`). Turn it off for a dependency whose clients
   * work with either version: the waiter is then a network check with no
   * API access, as before.
   *
   * @default - the OrderedApp's `upgradeChecks` (true)
   */
  readonly upgradeCheck?: boolean;

  /**
   * Also gate this component's readiness on the target, for as long as the
   * pod runs: the pod is Ready only while the target is.
   *
   * Adds a readiness gate (`ordered.cdk8s.io/<target>`) and a small
   * gate-keeper container that runs the same check every few seconds (or
   * watches, for object checks) and sets the pod's condition, writing to the
   * API only when the value changes. When the target goes away, this
   * component's pods leave their Services' endpoints instead of failing
   * requests or restarting, and a rolling update does not proceed.
   *
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-readiness-gate
   * @default false
   */
  readonly gateReadiness?: boolean;
}

/**
 * Options for `Component.gateReadiness`, and the base of `GateOnOptions`.
 */
export interface GateOptions {
  /**
   * How often a polled check runs (object checks watch instead).
   *
   * @default Duration.seconds(5)
   */
  readonly period?: Duration;
}

/**
 * Options for `Component.gateReadinessOn`.
 */
export interface GateOnOptions extends GateOptions {
  /**
   * How to decide that the target is ready (for `gateReadinessOn`).
   *
   * @default - as `dependsOn` would check it
   */
  readonly check?: WaitFor;
}

/**
 * Options for `Component.addPostStart`.
 */
export interface PostStartOptions {
  /**
   * The container that runs the hook.
   *
   * @default - the workload's first container
   */
  readonly container?: string;
}

/**
 * One edge of the startup graph, as declared.
 */
export interface Dependency {
  /** The component waited for; undefined for a `waitFor` precondition. */
  readonly target?: Component;
  /**
   * The check the waiter runs, as declared.
   *
   * @default - the target's `readiness`, else its default check, decided at synth
   */
  readonly check?: WaitFor;
  /** The options it was declared with. */
  readonly options: DependencyOptions;
}

/**
 * Options for `OrderedApp.add`.
 */
export interface ComponentOptions {
  /**
   * How dependents decide that this component is ready, unless an edge says
   * otherwise with `check`.
   *
   * @default - "Job completed" for a Job; a TCP connection to each port of
   * `service` (or the StatefulSet's governing Service, or a Service that
   * selects its pods) for a workload with a Service; "pods Ready" otherwise
   */
  readonly readiness?: WaitFor;

  /**
   * The Service that routes to this component: any construct that is or holds
   * one Service (a cdk8s-plus Service, a `KubeService`, an `ApiObject`).
   *
   * @default - the StatefulSet's governing Service, else the first (by name)
   * of the Services in its namespace whose selector matches its pods, found at
   * synth
   */
  readonly service?: IConstruct;

  /**
   * For a Job: give it a name that carries a hash of its spec, so that a new
   * image or command creates a new Job (Job templates are immutable), and the
   * dependents of this version wait for this version's Job.
   *
   * Pods of the previous version keep waiting for (and finding) the previous
   * Job, so a versioned Job must not be deleted by a TTL: a Job with
   * `ttlAfterFinished` is an error. Delete old Jobs once no ReplicaSet needs
   * them.
   *
   * @default false
   */
  readonly versioned?: boolean;

  /**
   * Pause this long in each app container's preStop before it gets SIGTERM,
   * so that endpoints are removed first; the grace period grows to match.
   * Uses the native `sleep` action on Kubernetes 1.30+, else runs `sleep` in
   * the container (the image needs a `sleep` binary).
   *
   * @default - the app's `drain`, if any
   */
  readonly drain?: Duration;

  /**
   * Containers (by name, in order) that must start, and be ready, before the
   * workload's other containers: a proxy, a local cache. On Kubernetes 1.29+
   * they become native sidecars (init containers with `restartPolicy:
   * Always` and a startup probe, which also stop last); on older versions
   * they go first, each holding the next container with a postStart hook
   * until it is ready (the image needs `sh`, and `nc` for a port check).
   *
   * @default - containers start together, as Kubernetes does
   */
  readonly sidecars?: string[];

  /**
   * Lint warnings (rule ids such as `ORD001`) not to print for this
   * component's objects when the app is synthesized. Errors cannot be
   * silenced.
   *
   * @default - every warning is printed
   */
  readonly silence?: string[];
}

/**
 * What a component records into the graph its OrderedApp owns.
 *
 * @internal
 */
export interface GraphOwner {
  /** The app's construct node (its path names it in messages). */
  readonly node: Node;
  _owns(c: Component): boolean;
  _recordWait(from: Component, target: Component | undefined, check: WaitFor | undefined, options: DependencyOptions): void;
  _recordGate(from: Component, target: Component | undefined, check: WaitFor | undefined, period: number): void;
  _dependenciesOf(c: Component): Dependency[];
  _synthesizedName(c: Component): string;
}

/** A postStart hook, as declared. @internal */
export interface PostStart {
  readonly action: LifecycleAction;
  readonly container?: string;
}

/**
 * A workload in an `OrderedApp`: something that can wait and be waited for.
 *
 * Create it with `OrderedApp.add`. Its methods check their arguments and
 * record what you declare; what Kubernetes gets is decided once, when the app
 * is synthesized, from the manifests as they are then.
 */
export class Component {
  /** Annotation on a workload listing its waiters (a JSON list), read by the command line. */
  public static readonly DEPENDENCIES_ANNOTATION = DEPENDENCIES_ANNOTATION;
  /** Annotation on a versioned Job. */
  public static readonly VERSIONED_ANNOTATION = VERSIONED_ANNOTATION;

  /** @internal */
  public static _create(owner: GraphOwner, workload: IConstruct, options: ComponentOptions, where: string): Component {
    return new Component(owner, workload, options, where);
  }

  /** The construct that was added (a cdk8s-plus workload, or an `ApiObject`). */
  public readonly workload: IConstruct;
  /** The workload's manifest object (for cdk8s-plus workloads, their `Resource`). */
  public readonly apiObject: ApiObject;
  /** The workload's Kubernetes name, as written (see `synthesizedName`). */
  public readonly name: string;
  /** Construct path of the workload, used in messages. */
  public readonly path: string;
  /** The Kubernetes kind of the workload. */
  public readonly kind: string;

  /** The options it was added with. @internal */
  public readonly _options: ComponentOptions;
  /** postStart hooks, in declaration order. @internal */
  public readonly _postStarts: PostStart[] = [];

  /**
   * `where`: who adds it, for the message when `workload` holds no workload.
   * Its options are checked from the highest module down: the check, the
   * silenced rules, the workload, then the plain values.
   */
  private constructor(private readonly owner: GraphOwner, workload: IConstruct, options: ComponentOptions, where: string) {
    const path = workload.node.path;
    if (options.readiness !== undefined) checkCheck(path, 'readiness', options.readiness);
    if (options.silence) checkSilenced(path, options.silence);
    const apiObject = findWorkloadObject(workload, where);
    this.workload = workload;
    this.apiObject = apiObject;
    this.name = apiObject.name;
    this.path = path;
    this.kind = apiObject.kind;
    if (options.drain !== undefined) checkWholeSeconds(path, 'drain', options.drain);
    if (options.sidecars !== undefined) checkContainerNames(path, 'sidecars', options.sidecars);
    if (options.versioned && this.kind !== 'Job') {
      throw new Error(`'${path}': only a Job can be versioned (it is a ${this.kind}); remove versioned: true`);
    }
    this._options = { ...options, sidecars: options.sidecars ? [...options.sidecars] : undefined };
  }

  /**
   * The workload's name as synthesized: `name`, plus a hash of the spec for a
   * versioned Job.
   */
  public get synthesizedName(): string {
    return this.owner._synthesizedName(this);
  }

  /**
   * The dependencies and preconditions of this component, in the order they
   * were declared.
   */
  public get dependencies(): Dependency[] {
    return this.owner._dependenciesOf(this);
  }

  /**
   * The components this one waits for, in declaration order.
   */
  public get dependsOnComponents(): Component[] {
    return this.dependencies.filter((d) => d.target).map((d) => d.target!);
  }

  /**
   * Waits for `target` before this component's containers start.
   *
   * Adds an init container `wait-for-<target>` that runs first in every pod
   * of this workload and exits once `target` is ready (see
   * `DependencyOptions.check` for what "ready" means by default). `target`
   * also comes first in the synthesized YAML. Declaring the same dependency
   * twice is a no-op.
   *
   * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
   * @example api.dependsOn(db, { timeout: Duration.minutes(5) })
   */
  public dependsOn(target: Component, options: DependencyOptions = {}): void {
    if (!(target instanceof Component)) {
      throw new Error(`dependsOn: '${this.path}' can only depend on a Component; register the workload with OrderedApp.add() and pass what it returns`);
    }
    if (target === this) {
      throw new Error(`dependsOn: '${this.path}' cannot depend on itself`);
    }
    this.checkOwned('dependsOn', target);
    validateOptions(this.path, options);
    this.owner._recordWait(this, target, options.check, options);
  }

  /**
   * Waits for a precondition outside the app (a Secret that cert-manager
   * creates, an external database) before this component's containers start.
   *
   * Adds an init container `wait-for-<what>` that runs `check` until it
   * passes. Passing the same `WaitFor` twice is a no-op.
   *
   * @example api.waitFor(WaitFor.secret('api-tls'))
   */
  public waitFor(check: WaitFor, options: WaitOptions = {}): void {
    checkCheck(this.path, 'waitFor check', check);
    validateOptions(this.path, options);
    this.owner._recordWait(this, undefined, check, options);
  }

  /**
   * Gates this component's readiness on `target` for as long as its pods
   * run, without delaying their start: e.g. a database that must not be
   * Ready until its seed Job has completed.
   *
   * See `DependencyOptions.gateReadiness` for what Kubernetes gets. A gate
   * that the target itself waits on (the seed Job waits for the database to
   * be Ready) is a deadlock, reported at synth with how to break it.
   *
   * @example db.gateReadinessOn(seed)
   */
  public gateReadinessOn(target: Component, options: GateOnOptions = {}): void {
    if (target === this) {
      throw new Error(`gateReadinessOn: '${this.path}' cannot gate its readiness on itself`);
    }
    this.checkOwned('gateReadinessOn', target);
    if (options.check !== undefined) this.checkGateable(options.check);
    this.owner._recordGate(this, target, options.check, this.gatePeriod(options));
  }

  /**
   * Gates this component's readiness on a check, for as long as its pods
   * run: the pods are Ready only while `check` passes.
   *
   * @example api.gateReadiness(WaitFor.http('http://auth:8080/healthz'))
   */
  public gateReadiness(check: WaitFor, options: GateOptions = {}): void {
    this.checkGateable(check);
    this.owner._recordGate(this, undefined, check, this.gatePeriod(options));
  }

  /**
   * Runs `action` right after a container starts (its `postStart` hook).
   * Kubernetes starts the pod's next container only once it has returned.
   *
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   * @example api.addPostStart(LifecycleAction.httpGet('/warm', { port: 8080 }))
   */
  public addPostStart(action: LifecycleAction, options: PostStartOptions = {}): void {
    if (!(action instanceof LifecycleAction)) {
      throw invalid(this.path, 'addPostStart action', action, 'is not a LifecycleAction', 'make one with LifecycleAction.command(...) or LifecycleAction.httpGet(...)');
    }
    if (options.container !== undefined) checkContainerName(this.path, 'postStart container', options.container);
    this._postStarts.push({ action, container: options.container });
  }

  private checkOwned(method: string, target: Component) {
    if (!this.owner._owns(target)) {
      throw new Error(`${method}: '${target.path}' belongs to another OrderedApp than '${this.path}' (${this.owner.node.path}); `
        + 'add both workloads to the same OrderedApp');
    }
  }

  private checkGateable(check: WaitFor) {
    checkCheck(this.path, 'gate check', check);
    if (check._isCommand) {
      throw new Error(`'${this.path}': a readiness gate cannot run a command check; `
        + 'use a network check (WaitFor.tcp/http/dns/serviceReady) or an object check');
    }
  }

  private gatePeriod(options: GateOptions): number {
    return options.period !== undefined ? checkWholeSeconds(this.path, 'period', options.period) : 5;
  }
}

function validateOptions(path: string, options: DependencyOptions) {
  if (options.check !== undefined) checkCheck(path, 'check', options.check);
  if (options.timeout !== undefined) {
    checkWholeSeconds(path, 'timeout', options.timeout, 1,
      'give a whole number of seconds, such as Duration.minutes(5), or leave timeout out to wait without limit');
  }
  if (options.onTimeout !== undefined) {
    checkOneOf(path, 'onTimeout', options.onTimeout, Object.values(TimeoutPolicy), 'give TimeoutPolicy.FAIL or TimeoutPolicy.PROCEED');
    if (options.timeout === undefined) {
      throw invalid(path, 'onTimeout', options.onTimeout, 'has no effect without a timeout', 'add timeout: Duration.minutes(...)');
    }
  }
}
