import { ApiObject, Chart, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Component, DependencyOptions, TimeoutPolicy } from './component';
import { DEPENDENCIES_ANNOTATION, podSpecOf, ROLLOUT_KINDS, SHUTDOWN_CONTAINER, timeoutText, WrittenEntries } from './contract';
import { ComponentPlacement, DeployTool, deployAnnotations, scriptsAnnotations, supportAnnotations } from './deploy-tools';
import { depths, findCycles, topologicalOrder } from './graph';
import { append } from './maps';
import { stableJson, wholeSeconds } from './names';
import { PodContext, TOKEN_VOLUME, tokenVolume } from './pod/containers';
import { defaultReadiness } from './pod/default-readiness';
import { applyPostStart, applySidecarOrder } from './pod/in-pod-order';
import { applyGates, gatePermissions, PlannedGate } from './pod/readiness-gates';
import { applyScriptFiles, ScriptsGroup, SCRIPTS_VOLUME } from './pod/scripts';
import { planShutdown, SHUTDOWN_VOLUME, shutdownContainer, ShutdownDependent, ShutdownPlan } from './pod/shutdown';
import { applyRestartOnChange, applyVersion, templateHash, versionedName } from './pod/versioning';
import { applyWaiters, PlannedRollout, PlannedWait, waiterPermissions } from './pod/waiters';
import { planRbac, RbacPlan } from './rbac';
import { lendRender, renderAsWritten } from './render-hooks';
import { checkObjectName } from './validation';
import { ApiPermission, CheckContext, CheckMode, RenderedCheck, WaitFor } from './wait-for';
import { ApiJudge } from './waiters';
import { findServiceObject, labelSelector, objectsOf, selects, ServiceFacts, serviceFacts, workloadFacts, WorkloadFacts } from './workload';

/**
 * Resolve at synth: one pass that reads the manifests as their builders
 * wrote them, decides every check, and computes what each pod and chart gets.
 * Nothing here runs when `dependsOn` is called, so the same graph gives the
 * same YAML whatever the call order, and whatever built the workloads.
 *
 * @internal
 */

/** An edge of the startup graph as declared: a wait before start. */
export interface WaitIntent {
  readonly from: Component;
  readonly target?: Component;
  readonly check?: WaitFor;
  readonly options: DependencyOptions;
}

/** A readiness gate as declared. */
export interface GateIntent {
  readonly from: Component;
  readonly target?: Component;
  readonly check?: WaitFor;
  readonly period: number;
}

/** What the app declared: its settings and its graph. */
export interface AppIntent {
  readonly path: string;
  readonly waiterImage: string;
  readonly kubectlImage: string;
  readonly minor: number;
  readonly drain?: Duration;
  readonly orderedShutdown?: Duration;
  readonly deployTools: DeployTool[];
  /** Whether dependencies on workloads that roll out wait for the rollout, unless an edge says otherwise. */
  readonly upgradeChecks: boolean;
  readonly components: Component[];
  readonly waits: WaitIntent[];
  readonly gates: GateIntent[];
  /** Each component's waits and gates, in declaration order (those of `waits` and `gates`). */
  readonly waitsFrom: ReadonlyMap<Component, readonly WaitIntent[]>;
  readonly gatesFrom: ReadonlyMap<Component, readonly GateIntent[]>;
}

/** What one component's pod and chart get. */
interface ComponentPlan {
  /** The final manifest of the workload, until it is rendered. */
  manifest?: any;
  /** Generated objects (ServiceAccount, Roles, RoleBindings), in its chart. */
  readonly objects: any[];
}

/** A component as read at synth. */
interface Read {
  /** The manifest as its builder wrote it; planning edits it into the final one. */
  readonly manifest: any;
  readonly facts: WorkloadFacts;
  /** A hash of its pod template as written, when a dependent restarts on its change. */
  readonly templateHash?: string;
  readonly finalName: string;
  /** `Kind/finalName`, as its dependents' annotation entries name it. */
  readonly ref: string;
  readonly versioned: boolean;
  /** The Service that its default check connects to. */
  readonly service?: ServiceFacts;
  /** Every Service that routes to it (for ordering and deploy-tool annotations). */
  readonly services: ServiceFacts[];
}

/** What planning decided for a pod, for the step that edits its manifest. */
interface PlannedPod {
  readonly waits: PlannedWait[];
  readonly gates: PlannedGate[];
  readonly shutdown: ShutdownPlan;
  readonly dependents: ShutdownDependent[];
  readonly holdSeconds: number;
  readonly serviceAccountName?: string;
}

/** One dependency edge of the graph view: a component waits for another, or for a precondition. */
export interface ViewEdge {
  readonly from: Component;
  readonly target?: Component;
  readonly description: string;
  readonly timeout?: number;
  readonly onTimeout?: string;
}

export class Plan {
  /** Computes the plan; problems are collected in `errors`, never thrown. */
  public static compute(app: AppIntent, forSynthesis = false): Plan {
    return new Plan(app, forSynthesis);
  }

  /** Every problem found, all at once: construct path, value and fix in each. */
  public readonly errors: string[] = [];
  /** Components, dependencies first (declaration order when the graph has a cycle). */
  public readonly order: Component[];
  /** The graph's edges with their checks, for drawing (empty in a plan for synthesis). */
  public readonly view: ViewEdge[] = [];

  private readonly index = new Map<Component, number>();
  private readonly read = new Map<Component, Read>();
  private readonly plans = new Map<Component, ComponentPlan>();
  private readonly checks = new Map<Component, WaitFor>();
  /**
   * The dependencies annotation's entries, by the manifest they were written
   * into: the synth-time lint reads them from here rather than parsing back
   * the text it was just given.
   */
  public readonly entriesWritten = new Map<any, WrittenEntries>();
  /**
   * Rendered checks, by the waiting pod's namespace and the check (see
   * `renderCheck`): namespaces are few and checks many, so one table per
   * namespace rather than one per check.
   */
  private readonly rendered = new Map<string, Map<WaitFor, RenderedCheck>>();
  private readonly serviceIndex = new Map<ApiObject, ServiceFacts>();
  /** Who waits for each component, one entry per wait (with ordered shutdown only). */
  private readonly waitersOf = new Map<Component, Component[]>();
  private readonly restartTargets = new Set<Component>();
  /** The scripts group of each component whose pod runs a script. */
  private readonly podScripts = new Map<Component, ScriptsGroup>();
  /** The scripts of the pods that run any, by chart and namespace; then the ConfigMap that holds them. */
  private readonly scripts = new Map<string, { chart: Chart; namespace?: string; group: ScriptsGroup; configMap?: any }>();

  /** Services by namespace and by one of their selector's labels (`ns\nkey=value`), to find those that select a pod. */
  private readonly servicesByLabel = new Map<string, ServiceFacts[]>();

  /** `forSynthesis`: the charts are rendered next, so each Service's render here is handed on to them. */
  private constructor(private readonly app: AppIntent, private readonly forSynthesis: boolean) {
    app.components.forEach((c, i) => this.index.set(c, i));
    for (const w of app.waits) {
      // Only ordered shutdown asks who waits for a component.
      if (w.target && app.orderedShutdown) append(this.waitersOf, w.target, w.from);
      if (w.target && w.options.restartOnChange) this.restartTargets.add(w.target);
    }
    const edges = this.edges(false);
    const order = topologicalOrder(app.components.length, edges);
    this.order = order ? order.map((i) => app.components[i]) : [...app.components];
    this.errors.push(...this.cycleErrors(edges));
    if (this.errors.length > 0) return;
    this.errors.push(...this.deadlockErrors(edges));
    if (this.errors.length > 0) return;
    this.collect(() => this.readServices());
    for (const c of app.components) this.collect(() => this.readComponent(c));
    if (this.errors.length > 0) return;
    for (const c of this.order) this.collect(() => this.planComponent(c));
    for (const g of this.scripts.values()) g.configMap = g.group.configMap(g.chart.node.path, g.namespace);
  }

  /** The workload's final manifest (taken once; undefined when already taken or not planned). */
  public takeManifest(c: Component): any {
    const p = this.plans.get(c);
    const m = p?.manifest;
    if (p) p.manifest = undefined;
    return m;
  }

  /** The warnings each component silences, by its workload's `Kind/name`. */
  public silenced(): Map<string, Set<string>> {
    return new Map(this.order.filter((c) => c._options.silence).map((c) => [`${c.kind}/${this.synthesizedName(c)}`, new Set(c._options.silence)]));
  }

  /** The namespace a component's workload is written in, if any. */
  public namespaceOf(c: Component): string | undefined {
    return this.read.get(c)?.facts.namespace;
  }

  /** The name a component's workload is synthesized with. */
  public synthesizedName(c: Component): string {
    return this.read.get(c)?.finalName ?? c.name;
  }

  /**
   * A chart's manifests with the generated objects of its components added,
   * deploy-tool annotations on every object of a component, and objects
   * sorted so that dependencies come first: objects of no component keep
   * their order and come first, then each component's generated objects and
   * its own, in the graph's order.
   */
  public editChart(chart: Chart, manifests: any[]): any[] {
    const rank = new Map<string, number>();
    const annotations = new Map<string, Record<string, string>>();
    const out = [...manifests];
    // What the chart writes already (its own objects, and those another OrderedApp added), by id: an object is
    // written once, however many OrderedApps generate it.
    const written = new Map<string, any>();
    for (const m of manifests) if (!written.has(keyOf(m))) written.set(keyOf(m), m);
    const add = (obj: any, origin: string) => {
      const k = keyOf(obj);
      const there = written.get(k);
      if (there === undefined) {
        written.set(k, obj);
        GENERATED_BY.set(obj, origin);
        out.push(obj);
      } else if (withoutAnnotations(there) !== withoutAnnotations(obj)) {
        throw new Error(`${chart.node.path}: ${describe(obj)} is written by both '${GENERATED_BY.get(there) ?? writerOf(chart, there)}' `
          + `and '${origin}', with different content; an id may be written once. Rename one of them (a generated object `
          + 'is named after its workload: give the workload another name)');
      }
      // Else the same object: the one written stays, and gets our deploy-tool annotations too (they go by id).
    };
    const placements = this.app.deployTools.length > 0 ? this.placements() : undefined;
    for (const g of this.scripts.values()) {
      if (g.chart !== chart) continue;
      rank.set(keyOf(g.configMap), -2);
      add(g.configMap, `${this.app.path} (its scripts ConfigMap)`);
      const deploy = placements ? this.scriptsAnnotations(g.group, placements) : undefined;
      if (deploy) annotations.set(keyOf(g.configMap), deploy);
    }
    this.order.forEach((c, i) => {
      const r = this.read.get(c);
      if (!r) return;
      const own = this.ownObjects(c, r);
      const placement = placements?.get(c);
      const deploy = placement ? Object.assign({}, ...this.app.deployTools.map((t) => deployAnnotations(t, placement))) : undefined;
      for (const k of own) {
        if (!rank.has(k)) {
          rank.set(k, 2 * i + 1);
          if (deploy) annotations.set(k, deploy);
        }
      }
      if (Chart.of(c.apiObject) !== chart) return;
      const support = placement ? Object.assign({}, ...this.app.deployTools.map((t) => supportAnnotations(t, placement))) : undefined;
      for (const obj of this.plans.get(c)?.objects ?? []) {
        const k = keyOf(obj);
        rank.set(k, 2 * i);
        if (support) annotations.set(k, support);
        add(obj, c.path);
      }
    });
    for (const m of out) {
      const a = annotations.get(keyOf(m));
      if (a) Object.assign((m.metadata.annotations ??= {}), a);
    }
    return out
      .map((m, i) => ({ m, i, r: rank.get(keyOf(m)) ?? -1 }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.m);
  }

  /** Deploy-tool annotations of a scripts ConfigMap: before every component (see `scriptsAnnotations`). */
  private scriptsAnnotations(group: ScriptsGroup, placements: Map<Component, ComponentPlacement>): Record<string, string> {
    const hooked = this.app.components.some((c) => placements.get(c)?.helmHook && this.podScripts.get(c) === group);
    return Object.assign({}, ...this.app.deployTools.map((t) => scriptsAnnotations(t, hooked)));
  }

  /** Keys of the objects that belong to a component: those it holds, and the Services that route to it. */
  private ownObjects(c: Component, r: Read): string[] {
    const keys = objectsOf(c.workload).map((o) => (o === c.apiObject
      ? key(o.apiVersion, o.kind, r.facts.namespace, r.finalName)
      : key(o.apiVersion, o.kind, o.metadata.namespace, o.name)));
    for (const s of r.services) keys.push(key('v1', 'Service', s.namespace, s.name));
    return keys;
  }

  private placements(): Map<Component, ComponentPlacement> {
    const n = this.app.components.length;
    const edges = this.edges(false);
    const depth = depths(n, edges)!;
    const hookable = new Array<boolean>(n).fill(false);
    for (const c of this.order) {
      const i = this.index.get(c)!;
      hookable[i] = c.kind === 'Job' && edges[i].every((d) => hookable[d]);
    }
    return new Map(this.app.components.map((c, i) => [c, {
      name: this.synthesizedName(c),
      depth: depth[i],
      dependencyNames: edges[i].map((d) => this.synthesizedName(this.app.components[d])),
      helmHook: hookable[i],
      hasSupport: (this.plans.get(c)?.objects.length ?? 0) > 0,
      mountsScripts: this.podScripts.has(c),
    }]));
  }

  /** `edges[i]`: the components component i waits for (with gate edges too, when `gates`). */
  private edges(gates: boolean): number[][] {
    const edges: number[][] = this.app.components.map(() => []);
    for (const w of this.app.waits) {
      if (w.target) edges[this.index.get(w.from)!].push(this.index.get(w.target)!);
    }
    if (gates) {
      for (const g of this.app.gates) {
        if (g.target) edges[this.index.get(g.from)!].push(this.index.get(g.target)!);
      }
    }
    return edges;
  }

  private cycleErrors(edges: number[][]): string[] {
    const path = (i: number) => this.app.components[i].path;
    return findCycles(this.app.components.length, edges).map((cycle) =>
      `dependency cycle: ${cycle.map(path).join(' => ')}; remove one of these dependsOn calls`);
  }

  /**
   * Readiness deadlocks: a cycle through a readiness gate, where what would
   * open the gate itself waits (to start, or to be Ready) for the gated
   * component to be Ready.
   */
  private deadlockErrors(edges: number[][]): string[] {
    const both = this.edges(true);
    const path = (i: number) => this.app.components[i].path;
    const viaGate = (cycle: number[], k: number) => k + 1 < cycle.length && !edges[cycle[k]].includes(cycle[k + 1]);
    return findCycles(this.app.components.length, both)
      .filter((cycle) => cycle.some((_, k) => viaGate(cycle, k)))
      .map((cycle) => {
        const k = cycle.findIndex((_, j) => viaGate(cycle, j));
        const [gated, opener] = [cycle[k], cycle[k + 1]];
        return `readiness deadlock: ${cycle.map(path).join(' => ')}: '${path(gated)}' is Ready only once '${path(opener)}' is, `
          + `and '${path(opener)}' waits for '${path(gated)}' to be Ready first. Break it: let '${path(opener)}' reach `
          + `'${path(gated)}' without its readiness (waitFor(WaitFor.tcp(...)) on a Service with publishNotReadyAddresses, `
          + 'instead of dependsOn), or gate on something that does not wait for it';
      });
  }

  private collect(step: () => void) {
    try {
      step();
    } catch (e) {
      this.errors.push((e as Error).message);
    }
  }

  /** Every Service of the construct tree, as rendered. */
  private readServices() {
    const root = this.app.components[0]?.workload.node.root;
    if (!root) return;
    for (const c of root.node.findAll()) {
      if (ApiObject.isApiObject(c) && c.kind === 'Service' && c.apiVersion === 'v1') {
        const manifest = renderAsWritten(c);
        const facts = serviceFacts(c, manifest);
        this.serviceIndex.set(c, facts);
        const first = Object.keys(facts.selector).sort()[0];
        if (first !== undefined) {
          append(this.servicesByLabel, `${facts.namespace ?? ''}\n${first}=${facts.selector[first]}`, facts);
        }
        if (this.forSynthesis) lendRender(c, manifest);
      }
    }
  }

  private serviceOf(construct: IConstruct, where: string): ServiceFacts {
    const obj = findServiceObject(construct, where);
    const facts = this.serviceIndex.get(obj);
    if (!facts) throw new Error(`${where}: Service '${construct.node.path}' is not part of this app's construct tree`);
    return facts;
  }

  private readComponent(c: Component) {
    const manifest = renderAsWritten(c.apiObject);
    const facts = workloadFacts(manifest);
    // Our ServiceAccount, Roles and waiter names derive from it: an invalid one would make them invalid too.
    checkObjectName(`'${c.path}'`, 'metadata.name', facts.name,
      'give the workload a lower-case metadata.name, or a construct id of lower-case letters, digits, \'-\' and \'.\'');
    const versioned = c._options.versioned === true;
    if (versioned && facts.ttlSecondsAfterFinished !== undefined) {
      throw new Error(`'${c.path}': a versioned Job must not have ttlSecondsAfterFinished (${facts.ttlSecondsAfterFinished}s): `
        + 'once it is deleted, pods that restart later would wait for it forever. Remove ttlAfterFinished, and delete '
        + 'old Jobs once no ReplicaSet needs them');
    }
    const sameNamespace = (s: ServiceFacts) => s.namespace === facts.namespace;
    const candidates = Object.entries(facts.templateLabels)
      .flatMap(([k, v]) => this.servicesByLabel.get(`${facts.namespace ?? ''}\n${k}=${v}`) ?? []);
    const selecting = candidates
      .filter((s) => selects(s, facts.templateLabels))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const given = c._options.service ? this.serviceOf(c._options.service, `'${c.path}' service`) : undefined;
    const governing = facts.serviceName ? selecting.find((s) => s.name === facts.serviceName)
      ?? [...this.serviceIndex.values()].find((s) => sameNamespace(s) && s.name === facts.serviceName) : undefined;
    const service = given ?? governing ?? selecting[0];
    const services = [...new Set([...(given ? [given] : []), ...(governing ? [governing] : []), ...selecting])];
    const finalName = versioned ? versionedName(facts.name, facts.spec) : facts.name;
    this.read.set(c, {
      manifest,
      facts,
      templateHash: this.restartTargets.has(c) ? templateHash(facts.template) : undefined,
      finalName,
      ref: `${c.kind}/${finalName}`,
      versioned,
      service,
      services,
    });
  }

  /** The check dependents run when they do not say otherwise (decided once per target). */
  private readinessOf(target: Component): WaitFor {
    let check = this.checks.get(target);
    if (!check) {
      const r = this.read.get(target)!;
      check = target._options.readiness ?? defaultReadiness(target.path, r.facts, r.finalName, r.versioned, r.service);
      this.checks.set(target, check);
    }
    return check;
  }

  private context(c: Component): CheckContext {
    return {
      namespace: this.read.get(c)!.facts.namespace,
      path: c.path,
      service: (construct) => this.serviceOf(construct, c.path),
    };
  }

  private planComponent(c: Component) {
    const r = this.read.get(c)!;
    const pod: PodContext = {
      path: c.path,
      minor: this.app.minor,
      waiterImage: this.app.waiterImage,
      kubectlImage: this.app.kubectlImage,
      automountsToken: r.facts.automountsToken,
    };
    const { waits, gates } = this.plannedChecks(c);
    checkReservedNames(c.path, r.manifest);
    const drain = c._options.drain ?? this.app.drain;
    const drainSeconds = drain ? wholeSeconds(c.path, 'drain', drain) : 0;
    const dependents = this.shutdownDependents(c);
    const holdSeconds = dependents.length > 0 ? wholeSeconds(c.path, 'orderedShutdown', this.app.orderedShutdown!) : 0;
    const shutdown = planShutdown(pod, dependents, holdSeconds, drainSeconds, c._options.sidecars ?? []);

    // Permissions flow up from each feature to one place that writes the RBAC.
    const permissions: ApiPermission[] = [...waiterPermissions(waits), ...gatePermissions(gates), ...shutdown.permissions];
    if (permissions.length > 0) checkTokenStaysOurs(c.path, r.facts);
    const subject = { baseName: r.facts.name, namespace: r.facts.namespace, serviceAccountName: r.facts.serviceAccountName, path: c.path };
    const rbac: RbacPlan = planRbac(subject, permissions);
    this.editManifest(c, r, pod, { waits, gates, shutdown, dependents, holdSeconds, serviceAccountName: rbac.serviceAccountName });
    this.plans.set(c, { manifest: r.manifest, objects: rbac.objects });
  }

  /**
   * The rollout a wait on `target` waits for before its check (an upgrade
   * check): with the edge's `upgradeCheck`, else the app's `upgradeChecks`,
   * for a Deployment, StatefulSet or DaemonSet whose check runs in the
   * network waiter (or is its default "pods Ready"). Other checks say
   * themselves what ready means: asked for explicitly there, it is an error.
   */
  private rolloutOf(w: WaitIntent, target: Component, check: RenderedCheck): PlannedRollout | undefined {
    const asked = w.options.upgradeCheck;
    if (!(asked ?? this.app.upgradeChecks)) return undefined;
    const r = this.read.get(target)!;
    const kind = r.facts.kind;
    const defaultPods = check.judge === ApiJudge.PODS && !w.check && !target._options.readiness;
    const refusal = !ROLLOUT_KINDS.includes(kind)
      ? `a ${kind} has no rollout${kind === 'Job' ? ' (a new version of a Job is ordered by making it versioned: OrderedApp.add(job, { versioned: true }))' : ''}`
      : check.mode === CheckMode.NETWORK || defaultPods ? undefined
        : `its check (${check.description}) runs in a container of its own; use a network check (WaitFor.tcp/http/dns/serviceReady) or the default`;
    if (refusal !== undefined) {
      if (asked === true) {
        throw new Error(`dependsOn: '${w.from.path}' asks for upgradeCheck on '${target.path}', but ${refusal}; remove upgradeCheck from this dependsOn`);
      }
      return undefined;
    }
    const resource = `${kind.toLowerCase()}s`;
    return {
      resource: `${resource}.apps`,
      namespace: r.facts.namespace,
      name: r.finalName,
      permission: { apiGroup: 'apps', resource, namespace: r.facts.namespace, resourceName: r.finalName },
    };
  }

  /** A component's waits and gates, each check rendered (once per check and namespace). */
  private plannedChecks(c: Component): { waits: PlannedWait[]; gates: PlannedGate[] } {
    const ctx = this.context(c);
    const waits: PlannedWait[] = (this.app.waitsFrom.get(c) ?? []).map((w) => {
      let check = this.renderCheck(w.check ?? this.readinessOf(w.target!), ctx);
      const rollout = w.target ? this.rolloutOf(w, w.target, check) : undefined;
      // The default "some pod is Ready" says less than the rollout does (a pod of the current revision is available,
      // none of an older one is left): the rollout is the whole wait.
      if (rollout && check.judge === ApiJudge.PODS) check = rolloutOnly(this.read.get(w.target!)!.facts.kind, rollout, check.slug, ctx.namespace);
      const timeout = w.options.timeout?.toSeconds();
      const onTimeout = timeout !== undefined ? (w.options.onTimeout ?? TimeoutPolicy.FAIL) : undefined;
      // One string per target, however many wait for it.
      const target = w.target ? this.read.get(w.target)!.ref : undefined;
      // The view is for drawing the graph; a synthesis does not keep it.
      if (!this.forSynthesis) this.view.push({ from: c, target: w.target, description: check.description, timeout, onTimeout });
      return { slug: w.target ? w.target.workload.node.id : check.slug, check, timeout, onTimeout, target, rollout };
    });
    const gates: PlannedGate[] = (this.app.gatesFrom.get(c) ?? []).map((g) => {
      const check = this.renderCheck(g.check ?? this.readinessOf(g.target!), ctx);
      if (check.mode === CheckMode.COMMAND) {
        throw new Error(`'${c.path}': a readiness gate cannot run a command check (${check.description}); `
          + 'use a network check (WaitFor.tcp/http/dns/serviceReady) or an object check');
      }
      return { slug: g.target ? g.target.workload.node.id : check.slug, check, period: g.period };
    });
    if (gates.length > 0 && isJob(c.kind)) {
      throw new Error(`'${c.path}': a ${c.kind} cannot gate its readiness: its gate keeper runs as long as the pod, so the Job would never `
        + 'complete and whatever waits for it would wait forever. Make it wait instead (dependsOn or waitFor), or gate the workload that needs it');
    }
    return { waits, gates };
  }

  /** The one step that edits the manifest: each pod feature applies what was planned for it. */
  private editManifest(c: Component, r: Read, pod: PodContext, planned: PlannedPod) {
    const manifest = r.manifest;
    if (r.versioned) applyVersion(manifest, r.finalName);
    const spec = podSpecOf(manifest);
    planned.shutdown.apply(spec);
    for (const p of c._postStarts) applyPostStart(spec, p.container ?? spec.containers[0].name, p.action, c.path);
    const taken = new Set<string>([...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((x: any) => x.name));
    const { added, entries } = applyWaiters(pod, planned.waits, manifest, spec, taken);
    if (added > 0) this.entriesWritten.set(manifest, { text: manifest.metadata.annotations[DEPENDENCIES_ANNOTATION], entries });
    const sidecars = c._options.sidecars ?? [];
    if (sidecars.length > 0) applySidecarOrder(spec, sidecars, added, this.app.minor, c.path);
    applyGates(pod, planned.gates, spec, taken);
    if (planned.dependents.length > 0) spec.containers.push(shutdownContainer(pod, planned.dependents, planned.holdSeconds));
    if ([...spec.initContainers ?? [], ...spec.containers].some((x: any) => x.volumeMounts?.some((m: any) => m.name === TOKEN_VOLUME))) {
      (spec.volumes ??= []).push(tokenVolume());
    }
    if (planned.serviceAccountName) spec.serviceAccountName = planned.serviceAccountName;
    this.addScripts(c, r.facts.namespace, spec);
    // The dependencies annotation is last among ours, after the waiters (as before the redesign).
    reorderLast(manifest.metadata.annotations, DEPENDENCIES_ANNOTATION);
    applyRestartOnChange(manifest, (this.app.waitsFrom.get(c) ?? []).filter((w) => w.target && w.options.restartOnChange)
      .map((w) => ({ id: w.target!.workload.node.id, hash: this.read.get(w.target!)!.templateHash! })));
  }

  /** Moves the scripts of the pod's waiters into its chart and namespace's scripts group. */
  private addScripts(c: Component, namespace: string | undefined, spec: any) {
    const scripts = applyScriptFiles(spec);
    if (!scripts) return;
    const chart = Chart.of(c.apiObject);
    const k = `${chart.node.path}\n${namespace ?? ''}`;
    let g = this.scripts.get(k);
    if (!g) this.scripts.set(k, g = { chart, namespace, group: new ScriptsGroup() });
    g.group.add(scripts);
    this.podScripts.set(c, g.group);
  }

  /**
   * A check rendered for the waiting pod's namespace: once per check and
   * namespace, since a render reads nothing else of the pod (its path is only
   * for errors, which are thrown, never kept). Every dependent of a target
   * shares its readiness check.
   */
  private renderCheck(check: WaitFor, ctx: CheckContext): RenderedCheck {
    const namespace = ctx.namespace ?? '';
    let inNamespace = this.rendered.get(namespace);
    if (!inNamespace) this.rendered.set(namespace, inNamespace = new Map());
    let r = inNamespace.get(check);
    if (!r) inNamespace.set(check, r = check._render(ctx));
    return r;
  }

  /** Dependents to outlive, when the app orders shutdown (not for Jobs). */
  private shutdownDependents(c: Component): ShutdownDependent[] {
    if (!this.app.orderedShutdown || isJob(c.kind)) return [];
    const own = this.read.get(c)!.facts.namespace;
    // In the order the dependents were added, as their waits may be declared in any order.
    const dependents = [...new Set(this.waitersOf.get(c) ?? [])].filter((d) => !isJob(d.kind))
      .sort((a, b) => this.index.get(a)! - this.index.get(b)!);
    return dependents.map((d) => {
      const f = this.read.get(d)!.facts;
      return { name: f.name, namespace: f.namespace !== own ? f.namespace : undefined, selector: labelSelector(f.podLabels) };
    });
  }
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

/** The wait of an upgrade check that is its rollout alone: its description, for logs and the annotation. */
function rolloutOnly(kind: string, rollout: PlannedRollout, slug: string, waiting: string | undefined): RenderedCheck {
  const ns = rollout.namespace && rollout.namespace !== waiting ? ` in namespace ${rollout.namespace}` : '';
  return { slug, description: `rollout of ${kind.toLowerCase()} ${rollout.name}${ns}`, mode: CheckMode.API, env: [] };
}

/** `timeout 600s, then fail` for a view edge. */
export function edgeTimeout(e: ViewEdge): string | undefined {
  return timeoutText({ waiter: '', mode: '', check: '', timeout: e.timeout, onTimeout: e.onTimeout });
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

function isJob(kind: string): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

function key(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
}

function keyOf(m: any): string {
  return key(m.apiVersion, m.kind, m.metadata?.namespace, m.metadata?.name);
}

/** The construct path that generated each object an OrderedApp added to a chart (for an error that names both writers). */
const GENERATED_BY = new WeakMap<any, string>();

/** `m` as comparable text, without its annotations (which deploy tools add, and which merge). */
function withoutAnnotations(m: any): string {
  const { annotations: _, ...metadata } = m.metadata ?? {};
  return stableJson({ ...m, metadata });
}

/** `Kind 'name'` (in namespace 'ns'), for an error. */
function describe(m: any): string {
  return `${m.kind} '${m.metadata?.name}'${m.metadata?.namespace !== undefined ? ` in namespace '${m.metadata.namespace}'` : ''}`;
}

/** The construct path of the object of `chart` that rendered as `m` (an object the user wrote), else the chart's. */
function writerOf(chart: Chart, m: any): string {
  const found = chart.node.findAll().find((o): o is ApiObject => ApiObject.isApiObject(o) && o.kind === m.kind
    && o.apiVersion === m.apiVersion && o.name === m.metadata?.name && o.metadata.namespace === m.metadata?.namespace);
  return found?.node.path ?? `an object of chart ${chart.node.path}`;
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
