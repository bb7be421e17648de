import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import {
  applyDrain, applyPostStart, applyShutdownHold, applySidecarOrder, LifecycleAction,
  SHUTDOWN_CONTAINER, SHUTDOWN_FOLDER, SHUTDOWN_VOLUME, wholeSeconds,
} from './lifecycle';
import { dnsLabel, fresh, shortHash, stableJson, uniqueLabel } from './names';
import { onRender, podMetadataOf, podSpecOf } from './pod-template';
import { WaiterRbac } from './rbac';
import { ApiPermission, CheckContext, CheckMode, RenderedCheck, WaitFor } from './wait-for';
import { apiScript, gatePollScript, gateWatchScript, networkScript, shutdownScript } from './waiters';

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
  /** The check the waiter runs. */
  readonly check: WaitFor;
  /** The options it was declared with. */
  readonly options: DependencyOptions;
}

/** What an OrderedApp tells its components. @internal */
export interface ComponentHost {
  readonly waiterImage: string;
  readonly kubectlImage: string;
  /** Target Kubernetes minor version (27 for 1.27). */
  readonly minor: number;
  /** App-wide preStop pause. */
  readonly drain?: Duration;
  /** App-wide bound on ordered shutdown; undefined: off. */
  readonly orderedShutdown?: Duration;
  /** Construct path of the app, for messages. */
  readonly path: string;
  /** Registers an edge in the app's graph. */
  _addEdge(from: Component, to: Component): void;
  /** Registers a readiness-gate edge (for deadlock detection). */
  _addGateEdge(from: Component, to: Component): void;
  /** The components that depend on `c`. */
  _dependentsOf(c: Component): Component[];
  /** Whether `c` belongs to this app. */
  _owns(c: Component): boolean;
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
   * `service` (or the StatefulSet's governing Service, or one made by
   * `exposeViaService`) for a workload with a Service; "pods Ready" otherwise
   */
  readonly readiness?: WaitFor;

  /**
   * The Service that routes to this component.
   *
   * @default - the StatefulSet's governing Service, or a Service created by
   * `exposeViaService`, if any
   */
  readonly service?: kplus.Service;

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
}

interface Gate {
  readonly check: WaitFor;
  readonly slug: string;
  readonly period: number;
  /** The component whose readiness opens the gate, if it is one. */
  readonly target?: Component;
}

interface Waiter {
  readonly check: WaitFor;
  readonly slug: string;
  readonly options: DependencyOptions;
  readonly target?: Component;
}

/** Annotation on a workload listing its waiters, read by the CLI. */
export const DEPENDENCIES_ANNOTATION = 'ordered.cdk8s.io/dependencies';
/** Annotation on a versioned Job. */
export const VERSIONED_ANNOTATION = 'ordered.cdk8s.io/versioned';

/**
 * A workload in an `OrderedApp`: something that can wait and be waited for.
 *
 * Create it with `OrderedApp.add`.
 */
export class Component {
  /** @internal */
  public static _create(host: ComponentHost, workload: kplus.AbstractPod, options: ComponentOptions): Component {
    return new Component(host, workload, options);
  }

  /** The cdk8s-plus workload. */
  public readonly workload: kplus.AbstractPod;
  /** The workload's Kubernetes name. */
  public readonly name: string;
  /** Construct path of the workload, used in messages. */
  public readonly path: string;

  private readonly _dependencies: Dependency[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly readiness?: WaitFor;
  private readonly service?: kplus.Service;
  private rbac?: WaiterRbac;
  private readonly versioned: boolean;
  private readonly gates: Gate[] = [];
  private readonly postStarts: Array<{ action: LifecycleAction; container?: string }> = [];
  private readonly drain?: Duration;
  private readonly sidecars: string[];

  private constructor(private readonly host: ComponentHost, workload: kplus.AbstractPod, options: ComponentOptions) {
    this.workload = workload;
    this.name = workload.name;
    this.path = workload.node.path;
    this.readiness = options.readiness;
    this.service = options.service;
    this.versioned = options.versioned ?? false;
    this.drain = options.drain ?? host.drain;
    if (this.drain) wholeSeconds(this.path, 'drain', this.drain);
    this.sidecars = [...(options.sidecars ?? [])];
    if (this.versioned) this.makeVersioned();
    onRender(workload, (manifest) => this.renderPod(manifest));
  }

  /** The objects of the Service given with `service`, if any (for ordering). @internal */
  public _serviceObjects(): IConstruct[] {
    return this.service ? this.service.node.findAll() : [];
  }

  /**
   * The Kubernetes kind of the workload.
   */
  public get kind(): string {
    return ApiObject.of(this.workload).kind;
  }

  /**
   * The workload's name as synthesized: `name`, plus a hash of the spec for a
   * versioned Job. Known only once the app is complete.
   */
  public get synthesizedName(): string {
    return this.versioned ? ApiObject.of(this.workload).toJson().metadata.name : this.name;
  }

  /**
   * The dependencies and preconditions of this component, in the order they
   * were declared.
   */
  public get dependencies(): Dependency[] {
    return [...this._dependencies];
  }

  /**
   * The components this one waits for, in declaration order.
   */
  public get dependsOnComponents(): Component[] {
    return this._dependencies.filter((d) => d.target).map((d) => d.target!);
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
    if (!this.host._owns(target)) {
      throw new Error(`dependsOn: '${target.path}' belongs to another OrderedApp than '${this.path}' (${this.host.path}); `
        + 'add both workloads to the same OrderedApp');
    }
    validateOptions(this.path, options);
    const existing = this._dependencies.find((d) => d.target === target);
    if (existing) {
      if (!sameOptions(existing.options, options, this.context())) {
        throw new Error(`dependsOn: '${this.path}' already depends on '${target.path}' with other options; `
          + 'declare each dependency once, with all its options');
      }
      return;
    }
    const check = options.check ?? target.readiness ?? target.defaultCheck();
    this._dependencies.push({ target, check, options });
    this.addWaiter({ check, slug: target.workload.node.id, options, target });
    this.host._addEdge(this, target);
    if (options.gateReadiness && !this.gates.some((g) => g.target === target)) {
      this.addGate({ check, slug: target.workload.node.id, period: 5, target });
      this.host._addGateEdge(this, target);
    }
    if (this.host.orderedShutdown && !isJob(target.workload)) {
      target.ensureRbac().coverNamespace(undefined, target.path);
    }
    if (options.restartOnChange) {
      onRender(this.workload, (manifest) => {
        const annotations = (podMetadataOf(manifest).annotations ??= {});
        annotations[`ordered.cdk8s.io/${dnsLabel('spec-of-', target.workload.node.id)}`] = target._podTemplateHash();
      });
    }
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
    validateOptions(this.path, options);
    const existing = this._dependencies.find((d) => d.target === undefined && sameCheck(d.check, check, this.context()));
    if (existing) {
      if (!sameOptions(existing.options, options, this.context())) {
        throw new Error(`waitFor: '${this.path}' already waits for this check with other options; declare it once`);
      }
      return;
    }
    this._dependencies.push({ check, options });
    this.addWaiter({ check, slug: check._render(this.context()).slug, options });
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
    if (!this.host._owns(target)) {
      throw new Error(`gateReadinessOn: '${target.path}' belongs to another OrderedApp than '${this.path}'; add both workloads to the same OrderedApp`);
    }
    if (this.gates.some((g) => g.target === target)) return;
    const check = options.check ?? target.readiness ?? target.defaultCheck();
    this.addGate({ check, slug: target.workload.node.id, period: this.gatePeriod(options), target });
    this.host._addGateEdge(this, target);
  }

  /**
   * Gates this component's readiness on a check, for as long as its pods
   * run: the pods are Ready only while `check` passes.
   *
   * @example api.gateReadiness(WaitFor.http('http://auth:8080/healthz'))
   */
  public gateReadiness(check: WaitFor, options: GateOptions = {}): void {
    this.addGate({ check, slug: check._render(this.context()).slug, period: this.gatePeriod(options) });
  }

  /**
   * Runs `action` right after a container starts (its `postStart` hook).
   * Kubernetes starts the pod's next container only once it has returned.
   *
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   * @example api.addPostStart(LifecycleAction.httpGet('/warm', { port: 8080 }))
   */
  public addPostStart(action: LifecycleAction, options: PostStartOptions = {}): void {
    this.postStarts.push({ action, container: options.container });
  }

  private gatePeriod(options: GateOptions): number {
    return options.period ? wholeSeconds(this.path, 'period', options.period) : 5;
  }

  private addGate(gate: Gate) {
    const rendered = gate.check._render(this.context());
    if (rendered.mode === CheckMode.COMMAND) {
      throw new Error(`'${this.path}': a readiness gate cannot run a command check (${rendered.description}); `
        + 'use a network check (WaitFor.tcp/http/dns/serviceReady) or an object check');
    }
    const rbac = this.ensureRbac();
    rbac.coverNamespace(undefined, this.path);
    if (rendered.mode === CheckMode.API) rbac.coverNamespace(rendered.permission!.namespace, this.path);
    // Each gate its own condition type: two targets with the same id (from
    // different charts) get `db` and `db-2`, never one condition written by two keepers.
    const slug = uniqueLabel(gate.slug, new Set(this.gates.map((g) => g.slug)));
    this.gates.push({ ...gate, slug });
  }

  /**
   * How dependents check this component when they don't say otherwise.
   */
  private defaultCheck(): WaitFor {
    const w = this.workload;
    if (w instanceof kplus.Job) {
      return WaitFor._jobComplete(() => this.synthesizedName, { namespace: w.metadata.namespace }, this.versioned);
    }
    const service = this.service ?? (w instanceof kplus.StatefulSet ? w.service : undefined) ?? ownService(w);
    if (service) {
      return WaitFor.serviceReady(service);
    }
    const probed = w.containers.some((c) => c.ports.length > 0 || hasReadiness(c));
    if (!probed) {
      throw new Error(`dependsOn: '${this.path}' has no Service, no container port and no readiness probe, so its dependents `
        + 'cannot tell when it is ready. Add a readiness probe to its container, expose it with a Service '
        + '(OrderedApp.add(workload, { service })), or pass check: WaitFor.tcp(...) / WaitFor.http(...) to dependsOn');
    }
    const labels = podLabels(w);
    if (Object.keys(labels).length === 0) {
      throw new Error(`dependsOn: '${this.path}' selects its pods by expressions only, so its dependents cannot find them; `
        + 'give it a matchLabels selector, or pass check: WaitFor.podsReady({ labels }) to dependsOn');
    }
    return WaitFor.podsReady({ labels, namespace: w.metadata.namespace });
  }

  private addWaiter(waiter: Waiter) {
    // Render once now: the kind of check decides the RBAC to create. The
    // final environment is rendered at synth (Service ports may grow, a
    // versioned Job's name is known only then).
    const rendered = waiter.check._render(this.context());
    if (rendered.mode === CheckMode.API) {
      this.ensureRbac().coverNamespace(rendered.permission!.namespace, this.path);
    }
    this.waiters.push(waiter);
  }

  /** Everything the waiters, gate keepers and shutdown container need. */
  private permissions(): ApiPermission[] {
    const checks = [...this.waiters, ...this.gates].map((w) => w.check._render(this.context()));
    const perms = checks.filter((r) => r.mode === CheckMode.API).map((r) => r.permission!);
    if (this.gates.length > 0) {
      perms.push({ apiGroup: '', resource: 'pods/status', verbs: ['get', 'patch'] });
    }
    if (this.shutdownDependents().length > 0) {
      perms.push({ apiGroup: '', resource: 'pods', verbs: ['list'] });
    }
    return perms;
  }

  private ensureRbac(): WaiterRbac {
    if (!this.rbac) {
      if (this.workload.automountServiceAccountToken) {
        // The waiters' Role is bound to the pod's service account: with the
        // token in every container, the app containers would hold it too.
        throw new Error(`'${this.path}' mounts a service-account token into every container (automountServiceAccountToken: true), `
          + 'so the permissions its waiters need (a Role bound to its service account) would reach its app containers too. '
          + 'Set automountServiceAccountToken: false: the waiters then get a token of their own, mounted into them only');
      }
      this.rbac = new WaiterRbac(this.workload, this.name, () => this.permissions());
    }
    return this.rbac;
  }

  /** A versioned Job's name carries a hash of its spec as cdk8s-plus rendered it. */
  private makeVersioned() {
    const w = this.workload;
    if (!(w instanceof kplus.Job)) {
      throw new Error(`'${this.path}': only a Job can be versioned (it is a ${this.kind}); remove versioned: true`);
    }
    if (w.ttlAfterFinished !== undefined) {
      throw new Error(`'${this.path}': a versioned Job must not have ttlAfterFinished (${w.ttlAfterFinished.toSeconds()}s): `
        + 'once it is deleted, pods that restart later would wait for it forever. Remove ttlAfterFinished, and delete '
        + 'old Jobs once no ReplicaSet needs them');
    }
    // Registered before any waiter, so the hash covers the spec as written,
    // not what this library adds (a library upgrade does not rerun a migration).
    onRender(w, (manifest) => {
      const hash = shortHash(stableJson(manifest.spec), 8);
      manifest.metadata.name = `${this.name.slice(0, 63 - hash.length - 1).replace(/-+$/, '')}-${hash}`;
      (manifest.metadata.annotations ??= {})[VERSIONED_ANNOTATION] = 'true';
    });
  }

  /** A hash of the pod template as synthesized. @internal */
  public _podTemplateHash(): string {
    const manifest = ApiObject.of(this.workload).toJson();
    const template = manifest.kind === 'Pod' ? manifest.spec
      : manifest.kind === 'CronJob' ? manifest.spec.jobTemplate.spec.template : manifest.spec.template;
    return shortHash(stableJson(template), 16);
  }

  private context() {
    return { namespace: this.workload.metadata.namespace ?? Chart.of(this.workload).namespace, path: this.path };
  }

  /**
   * Edits the rendered pod: lifecycle hooks on the app containers, waiters
   * first among the init containers, sidecar order, gate keepers and the
   * shutdown-order container, and the annotation listing the waiters.
   */
  private renderPod(manifest: any) {
    const spec = podSpecOf(manifest);
    const dependents = this.shutdownDependents();
    const drain = this.drain ? wholeSeconds(this.path, 'drain', this.drain) : 0;
    if (dependents.length > 0) {
      applyShutdownHold(spec, wholeSeconds(this.path, 'orderedShutdown', this.host.orderedShutdown!), this.path,
        { seconds: drain, minor: this.host.minor, sidecars: this.sidecars });
    } else if (drain > 0) {
      applyDrain(spec, drain, this.host.minor, this.path, this.sidecars);
    }
    for (const p of this.postStarts) {
      applyPostStart(spec, p.container ?? spec.containers[0].name, p.action, this.path);
    }

    const existing: any[] = spec.initContainers ?? [];
    const taken = new Set<string>([...existing, ...(spec.containers ?? [])].map((c: any) => c.name));
    const rendered = this.waiters.map((w) => ({ w, r: w.check._render(this.context()) }));
    const waiters = rendered.map(({ w, r }) => this.renderWaiter(w, r, taken));
    if (waiters.length > 0) spec.initContainers = [...waiters, ...existing];
    if (this.sidecars.length > 0) {
      applySidecarOrder(spec, this.sidecars, waiters.length, this.host.minor, this.path);
    }
    for (const g of this.gates) {
      spec.containers.push(this.renderGate(g, taken));
      (spec.readinessGates ??= []).push({ conditionType: gateCondition(g.slug) });
    }
    if (dependents.length > 0) {
      spec.containers.push(this.renderShutdownContainer(dependents));
    }
    if ([...spec.initContainers ?? [], ...spec.containers].some((c: any) => c.volumeMounts?.some((m: any) => m.name === TOKEN_VOLUME))) {
      (spec.volumes ??= []).push(tokenVolume());
    }
    if (this.rbac?.createdServiceAccount) {
      spec.serviceAccountName = this.rbac.serviceAccountName;
    }
    if (waiters.length > 0) {
      const entries = rendered.map(({ w, r }, i) => ({
        waiter: waiters[i].name,
        mode: r.mode,
        check: r.description,
        target: w.target ? `${w.target.kind}/${w.target.synthesizedName}` : undefined,
        timeout: w.options.timeout?.toSeconds(),
        onTimeout: w.options.timeout ? (w.options.onTimeout ?? TimeoutPolicy.FAIL) : undefined,
      }));
      (manifest.metadata.annotations ??= {})[DEPENDENCIES_ANNOTATION] = JSON.stringify(entries);
    }
  }

  /** Dependents to outlive, when the app orders shutdown (not for Jobs). */
  private shutdownDependents(): Component[] {
    if (!this.host.orderedShutdown || isJob(this.workload)) return [];
    return this.host._dependentsOf(this).filter((d) => !isJob(d.workload));
  }

  private renderGate(g: Gate, taken: Set<string>): any {
    const r = g.check._render(this.context());
    const api = r.mode === CheckMode.API;
    const env: any[] = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'WAIT_FOR', value: r.description },
      { name: 'GATE_CONDITION', value: gateCondition(g.slug) },
    ];
    if (!api) env.push({ name: 'GATE_PERIOD', value: String(g.period) });
    for (const [k, v] of r.env) env.push({ name: k, value: v });
    return {
      name: uniqueLabel(dnsLabel('gate-', g.slug), taken),
      image: this.host.kubectlImage,
      command: ['/bin/sh', '-c', api ? gateWatchScript(r.judge!) : gatePollScript(r.network!)],
      env,
      resources: fresh(KUBECTL_RESOURCES),
      securityContext: fresh(WAITER_SECURITY_CONTEXT),
      volumeMounts: this.tokenMounts(),
    };
  }

  private renderShutdownContainer(dependents: Component[]): any {
    return {
      name: SHUTDOWN_CONTAINER,
      image: this.host.kubectlImage,
      command: ['/bin/sh', '-c', shutdownScript()],
      env: [
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'SHUTDOWN_DEPENDENTS', value: dependents.map((d) => d.name).join(', ') },
        { name: 'SHUTDOWN_SELECTORS', value: dependents.map((d) => labelSelector(podLabels(d.workload))).join(' ') },
        { name: 'SHUTDOWN_TIMEOUT', value: String(wholeSeconds(this.path, 'orderedShutdown', this.host.orderedShutdown!)) },
        { name: 'SHUTDOWN_FLAG', value: `${SHUTDOWN_FOLDER}/released` },
      ],
      resources: fresh(KUBECTL_RESOURCES),
      securityContext: fresh(WAITER_SECURITY_CONTEXT),
      volumeMounts: [
        { name: SHUTDOWN_VOLUME, mountPath: SHUTDOWN_FOLDER },
        ...(this.tokenMounts() ?? []),
      ],
    };
  }

  /** The token mount for a container that talks to the API (none when the pod automounts one). */
  private tokenMounts(): any[] | undefined {
    if (this.workload.automountServiceAccountToken) return undefined;
    return [{ name: TOKEN_VOLUME, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }];
  }

  private renderWaiter(w: Waiter, r: RenderedCheck, taken: Set<string>): any {
    const name = uniqueLabel(dnsLabel('wait-for-', w.slug), taken);
    const env: any[] = [];
    const api = r.mode === CheckMode.API;
    if (api && r.env.some(([, v]) => v.includes('$(POD_NAMESPACE)'))) {
      env.push({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    }
    env.push({ name: 'WAIT_FOR', value: r.description });
    if (w.options.timeout) {
      env.push({ name: 'WAIT_TIMEOUT', value: String(w.options.timeout.toSeconds()) });
      env.push({ name: 'WAIT_ON_TIMEOUT', value: w.options.onTimeout ?? TimeoutPolicy.FAIL });
    }
    for (const [k, v] of r.env) env.push({ name: k, value: v });

    const script = api ? apiScript(r.judge!) : networkScript(r.network!);
    const container: any = {
      name,
      image: r.image ?? (api ? this.host.kubectlImage : this.host.waiterImage),
      command: ['/bin/sh', '-c', script],
      args: r.args ? ['wait-for', ...r.args] : undefined,
      env,
      resources: fresh(api ? KUBECTL_RESOURCES : BUSYBOX_RESOURCES),
      securityContext: fresh(WAITER_SECURITY_CONTEXT),
    };
    if (r.args === undefined) delete container.args;
    if (api) {
      const mounts = this.tokenMounts();
      if (mounts) container.volumeMounts = mounts;
    }
    return container;
  }
}

/**
 * Pod Security "restricted": non-root (nobody), no privilege escalation, no
 * capabilities, RuntimeDefault seccomp, read-only root filesystem.
 */
const WAITER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsGroup: 65534,
  runAsNonRoot: true,
  runAsUser: 65534,
  seccompProfile: { type: 'RuntimeDefault' },
};

const TOKEN_VOLUME = 'ordered-waiter-token';

/** kubectl is a Go binary: it needs tens of megabytes. */
const KUBECTL_RESOURCES = { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '10m', memory: '32Mi' } };
const BUSYBOX_RESOURCES = { limits: { cpu: '50m', memory: '16Mi' }, requests: { cpu: '5m', memory: '8Mi' } };

/** The pod condition a readiness gate waits for. */
function gateCondition(slug: string): string {
  return `ordered.cdk8s.io/${dnsLabel('', slug)}`;
}

function isJob(w: kplus.AbstractPod): boolean {
  return w instanceof kplus.Job || w instanceof kplus.CronJob;
}

function labelSelector(labels: { [key: string]: string }): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/**
 * The service-account token, CA and namespace that Kubernetes would mount
 * into every container, as a projected volume mounted into API waiters only.
 */
function tokenVolume(): any {
  return {
    name: TOKEN_VOLUME,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

function ownService(w: kplus.AbstractPod): kplus.Service | undefined {
  return w.node.children.find((c): c is kplus.Service => c instanceof kplus.Service);
}

/** cdk8s-plus-27 keeps a container's readiness probe private. */
function hasReadiness(c: kplus.Container): boolean {
  return (c as any)._readiness !== undefined;
}

/** The labels that select a workload's pods. */
function podLabels(w: kplus.AbstractPod): { [key: string]: string } {
  if (w instanceof kplus.Workload) return w.matchLabels;
  const address = w.metadata.getLabel(kplus.Pod.ADDRESS_LABEL);
  return address ? { [kplus.Pod.ADDRESS_LABEL]: address } : {};
}

function validateOptions(path: string, options: WaitOptions) {
  if (options.timeout !== undefined) {
    const s = options.timeout.toSeconds();
    if (!(s > 0)) {
      throw new Error(`'${path}': timeout ${s}s is not positive; give a positive Duration such as Duration.minutes(5), or leave it out to wait without limit`);
    }
  }
  if (options.onTimeout !== undefined && options.timeout === undefined) {
    throw new Error(`'${path}': onTimeout '${options.onTimeout}' has no effect without a timeout; add timeout: Duration.minutes(...)`);
  }
}

/**
 * Whether declaring a dependency again with `b` agrees with the first
 * declaration `a`. A bare repeat (no options) always agrees: it restates the
 * edge. Otherwise every option must match, checks by what they render.
 */
function sameOptions(a: DependencyOptions, b: DependencyOptions, ctx: CheckContext): boolean {
  const fields = (o: DependencyOptions) => [o.timeout, o.onTimeout, o.check, o.gateReadiness, o.restartOnChange];
  if (fields(b).every((x) => x === undefined)) return true;
  const key = (o: DependencyOptions) => stableJson([
    o.timeout?.toSeconds() ?? null, o.onTimeout ?? null, o.check?._render(ctx) ?? null, o.gateReadiness ?? false, o.restartOnChange ?? false,
  ]);
  return key(a) === key(b);
}

/** Whether two checks are the same check (the same object, or rendering alike). */
function sameCheck(a: WaitFor, b: WaitFor, ctx: CheckContext): boolean {
  return a === b || stableJson(a._render(ctx)) === stableJson(b._render(ctx));
}
