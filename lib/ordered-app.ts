import { ApiObject, App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Component, ComponentOptions, Dependency, DependencyOptions } from './component';
import { DeployTool } from './deploy-tools';
import { renderGraph, RenderGraph } from './graph-render';
import { KUBECTL_IMAGES, MIN_MINOR, parseVersion } from './kubernetes-version';
import { graphOf } from './lint/graph-view';
import { modelOf, objectOf } from './lint/model';
import { append } from './maps';
import { stableJson } from './names';
import { RenderEdit, Session } from './session';
import { lintChart } from './synth-lint';
import { edgesOf, startupOrder } from './synthesis/check';
import { AppIntent, GateIntent, WaitIntent } from './synthesis/intent';
import { Plan } from './synthesis/plan';
import { synthesizedName } from './synthesis/read';
import { checkImage, checkWholeSeconds } from './validation';
import { WaitFor } from './wait-for';

/**
 * Properties of an `OrderedApp`.
 */
export interface OrderedAppProps {
  /**
   * Image for network waiters (TCP, HTTP, DNS). Needs a POSIX `sh` and
   * BusyBox-compatible `nc`, `nslookup`, `timeout`, `date` and `sleep`.
   * Pin it (a tag or a digest).
   *
   * @default 'busybox:1.36.1'
   */
  readonly waiterImage?: string;

  /**
   * Image for the containers that talk to the Kubernetes API and hold the
   * waiters' token (API waiters, readiness-gate keepers, the ordered-shutdown
   * container). They run shell scripts: it needs a POSIX `sh`, `timeout`,
   * `sleep`, `date`, `sed` and `kubectl`, and BusyBox's `nc` and `nslookup`
   * for gates over network checks (`registry.k8s.io/kubectl` has no shell, so
   * it cannot be this image). Pin it, by digest (`image:tag@sha256:...`)
   * where you can, with a kubectl within one minor version of your cluster.
   *
   * @default - `OrderedApp.DEFAULT_KUBECTL_IMAGES[kubernetesVersion]`: a kubectl of the target's minor or one above
   */
  readonly kubectlImage?: string;

  /**
   * Deploy tools to tell the startup order too, through their annotations
   * (sync waves, change groups and rules, hook weights). Flux needs none: it
   * applies a Kustomization's objects together and the init containers order
   * their start; use Flux `dependsOn` between Kustomizations.
   *
   * @default - none: the YAML carries no deploy-tool annotations
   */
  readonly deployTools?: DeployTool[];

  /**
   * The Kubernetes version the YAML is for (`major.minor`, 1.27 to 1.34). It
   * decides which form of a feature is written: native sidecars from 1.29,
   * the lifecycle `sleep` action from 1.30; older targets get forms that
   * work there.
   *
   * @default '1.27'
   */
  readonly kubernetesVersion?: string;

  /**
   * Whether a dependency on a Deployment, StatefulSet or DaemonSet waits for
   * its rollout before its check (see `DependencyOptions.upgradeCheck`, which
   * wins for one edge). On: on an upgrade, a dependent's new pods start only
   * once the dependency's previous version is gone; each such dependent's
   * waiter runs in `kubectlImage` with a token and a Role to `list`/`watch`
   * the workloads it waits for. Off: the check alone, over the network, with
   * no API access: the dependency's previous version may answer it.
   *
   * @default true
   */
  readonly upgradeChecks?: boolean;

  /**
   * Pause every component's app containers this long in preStop before
   * SIGTERM, so endpoints are removed before the process stops accepting
   * connections. A component's own `drain` wins.
   *
   * @default - no pause
   */
  readonly drain?: Duration;

  /**
   * Stop dependents before their dependencies: when a component's pods are
   * told to stop, they wait (up to this long) until no pod of any of their
   * dependents remains, so dependents can drain their connections first.
   * Adds a small `ordered-shutdown` container (kubectl, `list` on pods) and
   * a preStop hold on the app containers (their images need `sh` and
   * `sleep`); the grace period grows by this much. Jobs are left alone.
   *
   * @default - off: Kubernetes stops everything at once
   */
  readonly orderedShutdown?: Duration;
}

/**
 * A set of workloads whose start is ordered by the Kubernetes cluster itself.
 *
 * Register workloads with `add`, then declare what each needs with
 * `Component.dependsOn` and `Component.waitFor`. Those calls only record the
 * graph, which this construct owns; when the app is synthesized, one pass
 * reads the manifests as they are then and writes plain YAML: init containers
 * that wait, the RBAC they need, and objects ordered so that dependencies are
 * applied first. Nothing runs at deploy time but Kubernetes.
 *
 * @example
 * const ordered = new OrderedApp(chart, 'ordered');
 * const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
 * const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1', portNumber: 8080 }] }));
 * api.dependsOn(db);
 */
export class OrderedApp extends Construct {
  /** The image network waiters run in by default: BusyBox, for `sh`, `nc`, `nslookup`. */
  public static readonly DEFAULT_WAITER_IMAGE = 'busybox:1.36.1';
  /**
   * The default `kubectlImage` for each target `kubernetesVersion`, from `'1.27'` to `'1.34'`.
   *
   * Each is an Alpine image (BusyBox `sh`, `nc`, `nslookup`, `timeout`) whose
   * kubectl is of the target's minor or one above, within kubectl's
   * supported skew: `alpine/kubectl` (kubectl and curl only) where it has
   * such a tag (targets 1.32 and newer), `alpine/k8s` (also helm and other
   * tools) for older targets, as `alpine/kubectl` has no tag older than 1.33.
   * Not `registry.k8s.io/kubectl`: it has no shell, and API waiters, gate
   * keepers and the shutdown container run scripts. Pinned by tag; pin a
   * digest of your own with `kubectlImage`.
   */
  public static readonly DEFAULT_KUBECTL_IMAGES: { [kubernetesVersion: string]: string } = Object.freeze(
    Object.fromEntries(Object.entries(KUBECTL_IMAGES).map(([minor, image]) => [`1.${minor}`, image])),
  );
  /** The default `kubectlImage` for the default `kubernetesVersion` (1.27): `DEFAULT_KUBECTL_IMAGES['1.27']`. */
  public static readonly DEFAULT_KUBECTL_IMAGE = KUBECTL_IMAGES[MIN_MINOR];

  /** Image network waiters run in. */
  public readonly waiterImage: string;
  /** Image API waiters, gate keepers and the shutdown container run in. */
  public readonly kubectlImage: string;
  /** The Kubernetes version the YAML is for. */
  public readonly kubernetesVersion: string;
  /** Whether dependencies on workloads that roll out wait for the rollout (unless an edge says otherwise). */
  public readonly upgradeChecks: boolean;

  private readonly _components: Component[] = [];
  private readonly index = new Map<Component, number>();
  private readonly byObject = new Map<ApiObject, Component>();
  private readonly waits: WaitIntent[] = [];
  /** The waits of each component (a component has few): where a repeated declaration is found, and what the plan reads. */
  private readonly waitsFrom = new Map<Component, WaitIntent[]>();
  /** The gates of each component, where a repeated declaration is found. */
  private readonly gatesFrom = new Map<Component, GateIntent[]>();
  private readonly gates: GateIntent[] = [];
  private readonly charts = new Set<Chart>();
  private readonly minor: number;
  private readonly drain?: Duration;
  private readonly orderedShutdown?: Duration;
  private readonly deployTools: DeployTool[];
  /**
   * The plan of the synthesis under way: from its validation until the last
   * of this app's charts is rendered (every chart's render takes from it), or,
   * for a chart rendered on its own (`chart.toJson()`), until that chart is.
   */
  private plan?: Plan;
  /** Where this tree's renders are edited, and which tells when a synthesis starts and ends. */
  private readonly session: Session;
  /** The charts the synthesis under way has rendered so far. */
  private readonly rendered = new Set<Chart>();

  constructor(scope: Construct, id: string, props: OrderedAppProps = {}) {
    super(scope, id);
    this.waiterImage = checkImage(this.node.path, 'waiterImage', props.waiterImage ?? OrderedApp.DEFAULT_WAITER_IMAGE, IMAGE_FIX);
    this.deployTools = [...new Set(props.deployTools ?? [])];
    this.kubernetesVersion = props.kubernetesVersion ?? '1.27';
    this.upgradeChecks = props.upgradeChecks ?? true;
    this.minor = parseVersion(this.node.path, this.kubernetesVersion);
    this.kubectlImage = checkImage(this.node.path, 'kubectlImage', props.kubectlImage ?? KUBECTL_IMAGES[this.minor], IMAGE_FIX);
    this.drain = props.drain;
    this.orderedShutdown = props.orderedShutdown;
    if (this.orderedShutdown) checkWholeSeconds(this.node.path, 'orderedShutdown', this.orderedShutdown);
    if (this.drain) checkWholeSeconds(this.node.path, 'drain', this.drain);
    // Validation only reports: it computes the plan that this synthesis renders, and returns its errors.
    // cdk8s validates right before it renders the charts, and again before each chart: every validation and every
    // render of one synthesis of the App takes the same plan, however many charts there are. The plan is dropped
    // when the synthesis starts (nothing from an earlier render carries over) and when it ends.
    this.session = Session.of(this);
    this.session.onSynthesis(() => {
      this.plan = undefined;
      this.rendered.clear();
    });
    this.node.addValidation({
      validate: () => {
        // cdk8s validates the App again before a chart of none of our components: ours are written already.
        if (this.rendersDone()) return this.outputTypeErrors();
        this.plan ??= this.freshPlan(true);
        return [...this.outputTypeErrors(), ...this.plan.errors];
      },
    });
  }

  /**
   * Registers a workload and returns its `Component`: any construct that is,
   * or holds exactly one, workload manifest with a pod template (Deployment,
   * StatefulSet, DaemonSet, Job, CronJob or Pod), built with any cdk8s-plus
   * version or as a raw `ApiObject` (imported `Kube*` classes included).
   * Adding the same workload again returns the same component.
   *
   * @example const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
   */
  public add(workload: IConstruct, options: ComponentOptions = {}): Component {
    const component = Component._create(this, workload, options, `${this.node.path}: add()`);
    const obj = component.apiObject;
    const existing = this.byObject.get(obj);
    if (existing) {
      if (Object.values(options).some((v) => v !== undefined)) {
        throw new Error(`${this.node.path}: '${workload.node.path}' is already added; pass its options the first time`);
      }
      return existing;
    }
    this.index.set(component, this._components.length);
    this._components.push(component);
    this.byObject.set(obj, component);
    this.changed();
    this.session.editRender(obj, this.renderComponent);
    const chart = Chart.of(obj);
    if (!this.charts.has(chart)) {
      this.charts.add(chart);
      this.session.editChart(chart, (manifests) => {
        const plan = this.synthPlan();
        // Once the last of our charts is rendered (or a chart rendered on its own), the plan goes: the YAML is
        // written without it in memory, and the next render plans anew.
        if (this.session.synthesizing) this.rendered.add(chart);
        if (!this.session.synthesizing || this.rendersDone()) this.plan = undefined;
        if (plan.errors.length > 0) return manifests;
        const out = plan.editChart(chart, manifests);
        // One write for all the warnings: a write per line is a system call each.
        const warnings: string[] = [];
        lintChart(chart, out, plan.silenced(), (line) => warnings.push(`${line}\n`), plan.entriesWritten);
        if (warnings.length > 0) process.stderr.write(warnings.join(''));
        return out;
      });
    }
    return component;
  }

  /**
   * The component of `workload` (the construct that was added, or its
   * workload object), or undefined if it was not added.
   */
  public findComponent(workload: IConstruct): Component | undefined {
    const obj = ApiObject.isApiObject(workload) ? workload : workload.node.findAll().find((c) => this.byObject.has(c as ApiObject));
    return obj ? this.byObject.get(obj as ApiObject) : undefined;
  }

  /**
   * Every component, dependencies before their dependents (among components
   * free at the same time, the first added comes first). When the graph has a
   * cycle, which synthesis reports, in the order they were added.
   */
  public get components(): Component[] {
    // The declared graph alone decides the order: nothing is rendered.
    return startupOrder(this.intent(), edgesOf(this.intent(), this.index, false));
  }

  /**
   * The startup graph as a Mermaid flowchart: an arrow from each component to
   * what it waits for, labelled with the check and its timeout. It is what
   * `cdk8s-ordered graph` draws from the synthesized YAML.
   *
   * @example ordered.toMermaid()
   */
  public toMermaid(): string {
    return renderGraph(this.graphView(), 'mermaid');
  }

  /**
   * The startup graph in Graphviz DOT: an edge from each component to what it
   * waits for, labelled with the check and its timeout.
   *
   * @example ordered.toDot()
   */
  public toDot(): string {
    return renderGraph(this.graphView(), 'dot');
  }

  /**
   * The graph as the command line reads it back from the YAML (one builder
   * for both): the lint model of the manifests this app would write.
   */
  private graphView(): RenderGraph {
    const plan = this.freshPlan();
    if (plan.errors.length > 0) throw new Error(plan.errors.join('\n'));
    const file = this.node.path;
    return graphOf(modelOf([file], plan.finalManifests().map((m) => objectOf(file, m)), plan.entriesWritten));
  }

  /** @internal */
  public _owns(c: Component): boolean {
    return this.index.has(c);
  }

  /**
   * Records a wait of `from` (for `target`, or a precondition). Repeating one
   * is a no-op; repeating it with other options is an error.
   *
   * @internal
   */
  public _recordWait(from: Component, target: Component | undefined, check: WaitFor | undefined, options: DependencyOptions): void {
    const existing = this.waitsFrom.get(from)?.find((w) => sameEdge(w, target, check));
    if (existing) {
      if (!sameOptions(existing.options, options)) {
        throw new Error(target
          ? `dependsOn: '${from.path}' already depends on '${target.path}' with other options; declare each dependency once, with all its options`
          : `waitFor: '${from.path}' already waits for this check with other options; declare it once`);
      }
      return;
    }
    // Options with nothing set are all alike: one shared object stands for them.
    const wait = { from, target, check, options: Object.values(options).some((v) => v !== undefined) ? options : NO_OPTIONS };
    this.waits.push(wait);
    append(this.waitsFrom, from, wait);
    if (target && options.gateReadiness) this._recordGate(from, target, check, 5);
    this.changed();
  }

  /** @internal */
  public _recordGate(from: Component, target: Component | undefined, check: WaitFor | undefined, period: number): void {
    if (this.gatesFrom.get(from)?.some((g) => sameEdge(g, target, check))) return;
    const gate = { from, target, check, period };
    this.gates.push(gate);
    append(this.gatesFrom, from, gate);
    this.changed();
  }

  /** @internal */
  public _dependenciesOf(c: Component): Dependency[] {
    return (this.waitsFrom.get(c) ?? []).map((w) => ({ target: w.target, check: w.check, options: w.options }));
  }

  /** @internal */
  public _synthesizedName(c: Component): string {
    // One render of this one workload, as written: a versioned Job's name carries a hash of its spec.
    return synthesizedName(c, this.session.renderAsWritten(c.apiObject));
  }

  /**
   * The generated RBAC joins the output through each chart's render, which
   * cdk8s's folder-per-resource output bypasses: refuse it rather than write
   * waiters without their permissions.
   */
  private outputTypeErrors(): string[] {
    const root = this.node.root;
    if (!(root instanceof App) || root.yamlOutputType !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return [];
    return [`${this.node.path}: the App's yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE writes each object without its chart, `
      + 'so the ServiceAccounts, Roles and RoleBindings this OrderedApp adds would be missing; use FILE_PER_CHART (the default), '
      + 'FILE_PER_APP or FILE_PER_RESOURCE'];
  }

  /** Whether the App's synthesis under way has rendered all our charts (its later validations have nothing to plan). */
  private rendersDone(): boolean {
    return this.session.synthesizing && [...this.charts].every((c) => this.rendered.has(c));
  }

  /** What this synthesis renders: the plan its validation computed, else a new one. */
  private synthPlan(): Plan {
    this.plan ??= this.freshPlan();
    return this.plan;
  }

  private freshPlan(forSynthesis = false): Plan {
    return Plan.compute(this.intent(), forSynthesis);
  }

  /** What this app declared, as the synthesis stages read it. */
  private intent(): AppIntent {
    return {
      path: this.node.path,
      waiterImage: this.waiterImage,
      kubectlImage: this.kubectlImage,
      minor: this.minor,
      drain: this.drain,
      orderedShutdown: this.orderedShutdown,
      deployTools: this.deployTools,
      upgradeChecks: this.upgradeChecks,
      components: this._components,
      waits: this.waits,
      gates: this.gates,
      waitsFrom: this.waitsFrom,
      gatesFrom: this.gatesFrom,
    };
  }

  private changed() {
    this.plan = undefined;
  }

  /** The render of each added workload object (one function for all of them). */
  private readonly renderComponent: RenderEdit = (obj, asWritten) => this.render(this.byObject.get(obj)!, asWritten);

  private render(c: Component, asWritten: () => any): any {
    let plan = this.synthPlan();
    let manifest = plan.takeManifest(c);
    if (manifest === undefined && plan.errors.length === 0) {
      // Rendered again within one synthesis: plan anew rather than hand out an edited object twice.
      plan = this.freshPlan();
      manifest = plan.takeManifest(c);
    }
    if (plan.errors.length > 0) {
      // cdk8s validates before rendering, so this is a render outside synthesis: say why instead of writing wrong YAML.
      throw new Error(plan.errors.join('\n'));
    }
    return manifest ?? asWritten();
  }
}

/** Whether a declared wait or gate is on `target`, or (with none) on a check alike to `check`. */
function sameEdge(declared: { target?: Component; check?: WaitFor }, target: Component | undefined, check: WaitFor | undefined): boolean {
  return target ? declared.target === target : !declared.target && declared.check!._key === check!._key;
}

/** The options of a wait declared without any. */
const NO_OPTIONS: DependencyOptions = Object.freeze({});

/**
 * Whether declaring a dependency again with `b` agrees with the first
 * declaration `a`. A bare repeat (no options) always agrees: it restates the
 * edge. Otherwise every option must match, checks as values.
 */
function sameOptions(a: DependencyOptions, b: DependencyOptions): boolean {
  const fields = (o: DependencyOptions) => [o.timeout, o.onTimeout, o.check, o.gateReadiness, o.restartOnChange, o.upgradeCheck];
  if (fields(b).every((x) => x === undefined)) return true;
  const key = (o: DependencyOptions) => stableJson([
    o.timeout?.toSeconds() ?? null, o.onTimeout ?? null, o.check?._key ?? null, o.gateReadiness ?? false, o.restartOnChange ?? false,
    o.upgradeCheck ?? null,
  ]);
  return key(a) === key(b);
}

/** What to do about an image option that is not an image reference. */
const IMAGE_FIX = "give one such as 'busybox:1.36.1', better pinned by digest ('busybox:1.36.1@sha256:<digest>'), or leave it out for the default";
