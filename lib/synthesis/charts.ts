import { ApiObject, Chart } from 'cdk8s';
import { Component } from '../component';
import { ComponentPlacement, deployAnnotations, scriptsAnnotations, supportAnnotations } from '../deploy-tools';
import { depths } from '../graph';
import { stableJson } from '../names';
import { AppIntent } from './intent';
import { Read, Reading } from './read';
import { ScriptsGroup } from '../pod/scripts';
import { objectsOf } from '../workload';
import { AppliedPod } from './pod';

/**
 * Writing the charts: the generated objects of each component join its
 * chart, once each, with the scripts ConfigMap of the chart and namespace;
 * every object is ordered so that dependencies come first, and carries the
 * deploy tools' annotations.
 *
 * @internal
 */

/** The scripts of the pods of one chart and namespace, and then the ConfigMap that holds them. */
interface ChartScripts {
  readonly chart: Chart;
  readonly namespace?: string;
  readonly group: ScriptsGroup;
  configMap?: any;
}

/** What the chart stage reads of the earlier ones. */
export interface ChartInputs {
  readonly app: AppIntent;
  readonly order: readonly Component[];
  readonly index: ReadonlyMap<Component, number>;
  /** The declared graph's edges as indices (`edgesOf(app, index, false)`). */
  readonly edges: number[][];
  readonly reading: Reading;
  readonly applied: ReadonlyMap<Component, AppliedPod>;
}

/** Writes the charts of an app: its generated objects, its scripts ConfigMaps, their order and annotations. */
export class ChartWriter {
  /** The scripts groups, by chart and namespace. */
  private readonly scripts = new Map<string, ChartScripts>();
  /** The scripts group of each component whose pod runs a script. */
  private readonly podScripts = new Map<Component, ScriptsGroup>();
  private placementsMemo?: Map<Component, ComponentPlacement>;

  /**
   * `generatedBy`: the construct path that generated each object added to a
   * chart, shared by every OrderedApp of the tree (for an error that names
   * both writers of one id).
   */
  constructor(private readonly inputs: ChartInputs, private readonly generatedBy: WeakMap<any, string>) {
    for (const c of inputs.order) {
      const pod = inputs.applied.get(c);
      if (!pod?.scripts) continue;
      const chart = Chart.of(c.apiObject);
      const namespace = inputs.reading.of(c).facts.namespace;
      const k = `${chart.node.path}\n${namespace ?? ''}`;
      let g = this.scripts.get(k);
      if (!g) this.scripts.set(k, g = { chart, namespace, group: new ScriptsGroup() });
      g.group.add(pod.scripts);
      this.podScripts.set(c, g.group);
    }
    for (const g of this.scripts.values()) g.configMap = g.group.configMap(g.chart.node.path, g.namespace);
  }

  /**
   * A chart's manifests with the generated objects of its components added,
   * deploy-tool annotations on every object of a component, and objects
   * sorted so that dependencies come first: objects of no component keep
   * their order and come first, then each component's generated objects and
   * its own, in the graph's order.
   */
  public editChart(chart: Chart, manifests: any[]): any[] {
    const { app, order, reading, applied } = this.inputs;
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
        this.generatedBy.set(obj, origin);
        out.push(obj);
      } else if (withoutAnnotations(there) !== withoutAnnotations(obj)) {
        throw new Error(`${chart.node.path}: ${describe(obj)} is written by both '${this.generatedBy.get(there) ?? writerOf(chart, there)}' `
          + `and '${origin}', with different content; an id may be written once. Rename one of them (a generated object `
          + 'is named after its workload: give the workload another name)');
      }
      // Else the same object: the one written stays, and gets our deploy-tool annotations too (they go by id).
    };
    const placements = app.deployTools.length > 0 ? this.placements() : undefined;
    for (const g of this.scripts.values()) {
      if (g.chart !== chart) continue;
      rank.set(keyOf(g.configMap), -2);
      add(g.configMap, `${app.path} (its scripts ConfigMap)`);
      const deploy = placements ? this.scriptsAnnotations(g.group, placements) : undefined;
      if (deploy) annotations.set(keyOf(g.configMap), deploy);
    }
    order.forEach((c, i) => {
      const r = reading.get(c);
      if (!r) return;
      const own = ownObjects(c, r);
      const placement = placements?.get(c);
      const deploy = placement ? Object.assign({}, ...app.deployTools.map((t) => deployAnnotations(t, placement))) : undefined;
      for (const k of own) {
        if (!rank.has(k)) {
          rank.set(k, 2 * i + 1);
          if (deploy) annotations.set(k, deploy);
        }
      }
      if (Chart.of(c.apiObject) !== chart) return;
      const support = placement ? Object.assign({}, ...app.deployTools.map((t) => supportAnnotations(t, placement))) : undefined;
      for (const obj of applied.get(c)?.objects ?? []) {
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
    const { app } = this.inputs;
    const hooked = app.components.some((c) => placements.get(c)?.helmHook && this.podScripts.get(c) === group);
    return Object.assign({}, ...app.deployTools.map((t) => scriptsAnnotations(t, hooked)));
  }

  /** Where each component stands for the deploy tools (computed once, for every chart). */
  private placements(): Map<Component, ComponentPlacement> {
    if (this.placementsMemo) return this.placementsMemo;
    const { app, order, index, edges, reading, applied } = this.inputs;
    const n = app.components.length;
    const depth = depths(n, edges)!;
    const hookable = new Array<boolean>(n).fill(false);
    for (const c of order) {
      const i = index.get(c)!;
      hookable[i] = c.kind === 'Job' && edges[i].every((d) => hookable[d]);
    }
    const nameOf = (c: Component) => reading.get(c)?.finalName ?? c.name;
    this.placementsMemo = new Map(app.components.map((c, i) => [c, {
      name: nameOf(c),
      depth: depth[i],
      dependencyNames: edges[i].map((d) => nameOf(app.components[d])),
      helmHook: hookable[i],
      hasSupport: (applied.get(c)?.objects.length ?? 0) > 0,
      mountsScripts: this.podScripts.has(c),
    }]));
    return this.placementsMemo;
  }
}

/** Keys of the objects that belong to a component: those it holds, and the Services that route to it. */
function ownObjects(c: Component, r: Read): string[] {
  const keys = objectsOf(c.workload).map((o) => (o === c.apiObject
    ? key(o.apiVersion, o.kind, r.facts.namespace, r.finalName)
    : key(o.apiVersion, o.kind, o.metadata.namespace, o.name)));
  for (const s of r.services) keys.push(key('v1', 'Service', s.namespace, s.name));
  return keys;
}

function key(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
}

function keyOf(m: any): string {
  return key(m.apiVersion, m.kind, m.metadata?.namespace, m.metadata?.name);
}

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
