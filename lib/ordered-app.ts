import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Component, ComponentHost, ComponentOptions } from './component';
import { ComponentPlacement, DeployTool, deployAnnotations } from './deploy-tools';
import { depths, findCycles, topologicalOrder } from './graph';
import { parseVersion } from './kubernetes-version';
import { onRenderObject } from './pod-template';

/**
 * The image network waiters run in: BusyBox, for `sh`, `nc`, `nslookup`.
 */
export const DEFAULT_WAITER_IMAGE = 'busybox:1.36.1';

/**
 * The image API waiters run in: it must hold `sh`, `timeout` and `kubectl`.
 */
export const DEFAULT_KUBECTL_IMAGE = 'alpine/k8s:1.30.14';

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
   * Image for Kubernetes API waiters. Needs a POSIX `sh`, `timeout` and
   * `kubectl`. Pin it (a tag or a digest).
   *
   * @default 'alpine/k8s:1.30.14'
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
 * `Component.dependsOn` and `Component.waitFor`. Synthesis writes plain YAML:
 * init containers that wait, the RBAC they need, and objects ordered so that
 * dependencies are applied first. Nothing runs at deploy time but Kubernetes.
 *
 * @example
 * const ordered = new OrderedApp(chart, 'ordered');
 * const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
 * const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'shop/api:1', portNumber: 8080 }] }));
 * api.dependsOn(db);
 */
export class OrderedApp extends Construct {
  /** Image network waiters run in. */
  public readonly waiterImage: string;
  /** Image API waiters run in. */
  public readonly kubectlImage: string;
  /** The Kubernetes version the YAML is for. */
  public readonly kubernetesVersion: string;

  private readonly _components: Component[] = [];
  private readonly byWorkload = new Map<kplus.AbstractPod, Component>();
  private readonly index = new Map<Component, number>();
  private readonly edges: number[][] = [];
  private readonly gateEdges: number[][] = [];
  private readonly minor: number;
  private readonly drain?: Duration;
  private readonly orderedShutdown?: Duration;
  private readonly deployTools: DeployTool[];
  private readonly annotated = new WeakSet<ApiObject>();

  constructor(scope: Construct, id: string, props: OrderedAppProps = {}) {
    super(scope, id);
    this.waiterImage = checkImage(this.node.path, 'waiterImage', props.waiterImage ?? DEFAULT_WAITER_IMAGE);
    this.kubectlImage = checkImage(this.node.path, 'kubectlImage', props.kubectlImage ?? DEFAULT_KUBECTL_IMAGE);
    this.deployTools = [...new Set(props.deployTools ?? [])];
    this.kubernetesVersion = props.kubernetesVersion ?? '1.27';
    this.minor = parseVersion(this.node.path, this.kubernetesVersion);
    this.drain = props.drain;
    this.orderedShutdown = props.orderedShutdown;
    if (this.orderedShutdown && !(this.orderedShutdown.toSeconds() >= 1)) {
      throw new Error(`${this.node.path}: orderedShutdown ${this.orderedShutdown.toSeconds()}s must be at least 1 second, or left out to turn it off`);
    }
    this.node.addValidation({ validate: () => this.validateGraph() });
  }

  /**
   * Registers a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob
   * or Pod) and returns its `Component`. Adding the same workload again
   * returns the same component.
   *
   * @example const db = ordered.add(new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] }));
   */
  public add(workload: kplus.AbstractPod, options: ComponentOptions = {}): Component {
    if (!(workload instanceof kplus.AbstractPod)) {
      throw new Error(`${this.node.path}: add() takes a cdk8s-plus-27 workload (Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod)`);
    }
    const existing = this.byWorkload.get(workload);
    if (existing) {
      if (options.readiness || options.service) {
        throw new Error(`${this.node.path}: '${workload.node.path}' is already added; pass its options the first time`);
      }
      return existing;
    }
    const component = Component._create(this.host(), workload, options);
    this.index.set(component, this._components.length);
    this._components.push(component);
    this.edges.push([]);
    this.gateEdges.push([]);
    this.byWorkload.set(workload, component);
    return component;
  }

  /**
   * The component of `workload`, or undefined if it was not added.
   */
  public findComponent(workload: kplus.AbstractPod): Component | undefined {
    return this.byWorkload.get(workload);
  }

  /**
   * Every component, dependencies before their dependents (among components
   * free at the same time, the first added comes first).
   *
   * Throws if the graph has a cycle.
   */
  public get components(): Component[] {
    const order = topologicalOrder(this._components.length, this.edges);
    if (!order) {
      throw new Error(this.cycleErrors().join('\n'));
    }
    return order.map((i) => this._components[i]);
  }

  private host(): ComponentHost {
    return {
      waiterImage: this.waiterImage,
      kubectlImage: this.kubectlImage,
      path: this.node.path,
      _owns: (c) => this.index.has(c),
      minor: this.minor,
      drain: this.drain,
      orderedShutdown: this.orderedShutdown,
      _addEdge: (from, to) => this.edges[this.index.get(from)!].push(this.index.get(to)!),
      _addGateEdge: (from, to) => this.gateEdges[this.index.get(from)!].push(this.index.get(to)!),
      _dependentsOf: (c) => {
        const i = this.index.get(c)!;
        return this._components.filter((_, j) => this.edges[j].includes(i));
      },
    };
  }

  private cycleErrors(): string[] {
    return findCycles(this._components.length, this.edges).map((cycle) =>
      `dependency cycle: ${cycle.map((i) => this._components[i].path).join(' => ')}; remove one of these dependsOn calls`);
  }

  /**
   * Readiness deadlocks: a cycle through a readiness gate, where what would
   * open the gate itself waits (to start, or to be Ready) for the gated
   * component to be Ready.
   */
  private deadlockErrors(): string[] {
    const n = this._components.length;
    const both = this.edges.map((e, i) => [...e, ...this.gateEdges[i]]);
    const path = (i: number) => this._components[i].path;
    return findCycles(n, both)
      .filter((cycle) => cycle.some((v, k) => k + 1 < cycle.length && !this.edges[v].includes(cycle[k + 1])))
      .map((cycle) => {
        const k = cycle.findIndex((v, j) => j + 1 < cycle.length && !this.edges[v].includes(cycle[j + 1]));
        const [gated, opener] = [cycle[k], cycle[k + 1]];
        return `readiness deadlock: ${cycle.map(path).join(' => ')}: '${path(gated)}' is Ready only once '${path(opener)}' is, `
          + `and '${path(opener)}' waits for '${path(gated)}' to be Ready first. Break it: let '${path(opener)}' reach `
          + `'${path(gated)}' without its readiness (waitFor(WaitFor.tcp(...)) on a Service with publishNotReadyAddresses, `
          + 'instead of dependsOn), or gate on something that does not wait for it';
      });
  }

  /**
   * Whole-graph checks, all reported at once. When the graph is sound, each
   * dependent's objects are ordered after its dependencies' in the YAML.
   */
  private validateGraph(): string[] {
    const errors = this.cycleErrors();
    if (errors.length > 0) return errors;
    const deadlocks = this.deadlockErrors();
    if (deadlocks.length > 0) return deadlocks;
    this.orderObjects();
    if (this.deployTools.length > 0) this.annotateForDeployTools();
    return [];
  }

  /**
   * Puts dependencies before dependents in the YAML. Within a chart, each
   * component's objects come after those of the component before it in one
   * topological order: a chain, which keeps cdk8s's own object ordering
   * (whose graph walk is not memoized, so it grows with the number of paths)
   * linear. Across charts, each edge becomes a chart dependency.
   */
  private orderObjects() {
    const last = new Map<Chart, Component>();
    for (const i of topologicalOrder(this._components.length, this.edges)!) {
      const c = this._components[i];
      const chart = Chart.of(c.workload);
      const previous = last.get(chart);
      if (previous) orderAfter(c.workload, previous);
      last.set(chart, c);
      for (const d of this.edges[i]) {
        const targetChart = Chart.of(this._components[d].workload);
        if (targetChart !== chart) chart.addDependency(targetChart);
      }
    }
  }

  /**
   * The startup graph as a Mermaid flowchart: an arrow from each component to
   * what it waits for, labelled with the check.
   *
   * @example ordered.toMermaid()
   */
  public toMermaid(): string {
    const lines = ['flowchart LR'];
    this.describeGraph(
      (id, label, external) => lines.push(external ? `  ${id}(["${label}"])` : `  ${id}["${label}"]`),
      (from, to, label) => lines.push(`  ${from} -->|"${label}"| ${to}`),
    );
    return lines.join('\n') + '\n';
  }

  /**
   * The startup graph in Graphviz DOT: an edge from each component to what it
   * waits for, labelled with the check.
   *
   * @example ordered.toDot()
   */
  public toDot(): string {
    const lines = ['digraph startup {', '  rankdir=LR;', '  node [shape=box];'];
    this.describeGraph(
      (id, label, external) => lines.push(`  ${id} [label="${label}"${external ? ', shape=ellipse, style=dashed' : ''}];`),
      (from, to, label) => lines.push(`  ${from} -> ${to} [label="${label}"];`),
    );
    lines.push('}');
    return lines.join('\n') + '\n';
  }

  private describeGraph(
    node: (id: string, label: string, external: boolean) => void,
    edge: (from: string, to: string, label: string) => void,
  ) {
    const order = this.components;
    const ids = new Map(order.map((c, i) => [c, `c${i}`]));
    const quote = (s: string) => s.replace(/"/g, '\'');
    for (const c of order) node(ids.get(c)!, quote(`${c.workload.node.id} (${c.kind})`), false);
    let external = 0;
    for (const c of order) {
      for (const d of c.dependencies) {
        const label = quote(d.check._render({ namespace: Chart.of(c.workload).namespace, path: c.path }).description);
        if (d.target) {
          edge(ids.get(c)!, ids.get(d.target)!, label);
        } else {
          const id = `x${external++}`;
          node(id, label, true);
          edge(ids.get(c)!, id, 'waits for');
        }
      }
    }
  }

  /** Deploy-tool annotations on every object of every component, from its depth. */
  private annotateForDeployTools() {
    const depth = depths(this._components.length, this.edges)!;
    const hookable = this.helmHookable();
    this._components.forEach((c, i) => {
      const placement: ComponentPlacement = {
        name: c.name,
        depth: depth[i],
        dependencyNames: this.edges[i].map((d) => this._components[d].name),
        helmHook: hookable[i],
      };
      const annotations = Object.assign({}, ...this.deployTools.map((t) => deployAnnotations(t, placement)));
      for (const obj of c.workload.node.findAll()) {
        if (!(obj instanceof ApiObject) || this.annotated.has(obj)) continue;
        this.annotated.add(obj);
        onRenderObject(obj, (m) => Object.assign((m.metadata.annotations ??= {}), annotations));
      }
    });
  }

  /** Jobs whose dependencies are all hookable Jobs (Helm hooks cannot wait for plain resources). */
  private helmHookable(): boolean[] {
    const order = topologicalOrder(this._components.length, this.edges)!;
    const ok = new Array<boolean>(this._components.length).fill(false);
    for (const i of order) {
      ok[i] = this._components[i].workload instanceof kplus.Job && this.edges[i].every((d) => ok[d]);
    }
    return ok;
  }
}

/** Makes `dependent`'s object come after every object of `target` (its Services and RBAC included), in one chart. */
function orderAfter(dependent: kplus.AbstractPod, target: Component) {
  const source = ApiObject.of(dependent);
  const chart = Chart.of(dependent);
  for (const obj of [...target.workload.node.findAll(), ...target._serviceObjects()]) {
    if (obj instanceof ApiObject && Chart.of(obj) === chart) source.addDependency(obj);
  }
}

function checkImage(path: string, prop: string, image: string): string {
  if (!image || /\s/.test(image)) {
    throw new Error(`${path}: ${prop} '${image}' is not an image reference such as 'busybox:1.36.1'`);
  }
  return image;
}
