/**
 * Synthesized YAML as a startup graph: the workloads, their waits (the
 * dependencies annotation the library writes), the edges and preconditions,
 * the waves. What the lint rules judge, the command line shows, and
 * `OrderedApp.toMermaid()` draws: below both the library and its command
 * line. Not part of the jsii API.
 */
import { DependencyEntry, DEPENDENCIES_ANNOTATION, parseEntries, podSpecOf, WORKLOAD_KINDS, WrittenEntries } from '../contract';
import { depths, findCycles, topologicalOrder } from '../graph';
import { append } from '../maps';

/** One Kubernetes object of the input. */
export interface K8sObject {
  /** The file, as the user named it (or joined to the folder they named). */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** Undefined when the object has none. */
  readonly namespace?: string;
  /** `Kind/name`. */
  readonly ref: string;
  /** The object as parsed. */
  readonly raw: any;
}

/** A workload of the input, with its waiters. */
export interface Workload extends K8sObject {
  /** The pod spec (of the template, of a CronJob's job template, of a Pod). */
  readonly podSpec: any;
  /** Whether it carries the dependencies annotation. */
  readonly annotated: boolean;
  /** The annotation's entries, in order (empty when absent or unreadable). */
  readonly waits: readonly DependencyEntry[];
  /** Why the annotation could not be read, if it could not. */
  readonly annotationError?: string;
}

/** A node of the startup graph. */
export interface GraphNode {
  /** `workload`: in the input; `missing`: a target that is not in the input. */
  readonly type: 'workload' | 'missing';
  /** `Kind/name`, with ` in <namespace>` when that name is ambiguous. */
  readonly label: string;
  readonly kind: string;
  readonly name: string;
  readonly workload?: Workload;
}

/** An edge: `from` waits for `to` (indices into `nodes`). */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly entry: DependencyEntry;
}

/** A precondition (a wait without target), one node per namespace and check. */
export interface Precondition {
  readonly check: string;
  readonly namespace?: string;
  /** Who waits for it, with the entry. */
  readonly waiters: Array<{ from: number; entry: DependencyEntry }>;
}

/** The input, read and joined into a graph. */
export interface Model {
  readonly files: string[];
  readonly objects: K8sObject[];
  readonly workloads: Workload[];
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  readonly preconditions: Precondition[];
}


/** An object with `kind` and `metadata.name`, read from `file` (or a cluster). */
export function objectOf(file: string, item: any): K8sObject {
  return {
    file,
    kind: item.kind,
    name: item.metadata.name,
    namespace: typeof item.metadata.namespace === 'string' ? item.metadata.namespace : undefined,
    ref: `${item.kind}/${item.metadata.name}`,
    raw: item,
  };
}

/**
 * The startup graph of `objects` (read from `files`, or from a cluster).
 * `written` holds annotations as the library wrote them, by the object they
 * are in (synthesis has them): an object whose annotation is still that text
 * takes those entries instead of parsing it.
 */
export function modelOf(files: string[], objects: K8sObject[], written?: ReadonlyMap<any, WrittenEntries>): Model {
  // A workload stands among the objects as itself: one object each, not a workload and the object it was read from.
  const workloads: Workload[] = [];
  const all = objects.map((o) => {
    if (!WORKLOAD_KINDS.includes(o.kind)) return o;
    const w = toWorkload(o, written?.get(o.raw));
    workloads.push(w);
    return w;
  });
  return buildGraph(files, all, workloads);
}

function toWorkload(o: K8sObject, written: WrittenEntries | undefined): Workload {
  const text = o.raw.metadata.annotations?.[DEPENDENCIES_ANNOTATION];
  const parsed = text === undefined ? NO_WAITS : written && written.text === text ? written.entries : parseEntries(text);
  const error = typeof parsed === 'string' ? parsed : undefined;
  // Every field by name, one shape for all: copying `o` with a spread builds each workload as a slow
  // dictionary object, about ten times the memory (which synthesis pays for each chart it lints).
  return {
    file: o.file,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    ref: o.ref,
    raw: o.raw,
    podSpec: podSpecOf(o.raw) ?? {},
    annotated: text !== undefined,
    waits: error === undefined ? parsed as readonly DependencyEntry[] : NO_WAITS,
    annotationError: error,
  };
}

/** The waits of a workload without (readable) annotation. */
const NO_WAITS: readonly DependencyEntry[] = Object.freeze([]);

function buildGraph(files: string[], objects: K8sObject[], workloads: Workload[]): Model {
  // A name is qualified with its namespace only when two workloads share Kind/name.
  const refCount = new Map<string, number>();
  for (const w of workloads) refCount.set(w.ref, (refCount.get(w.ref) ?? 0) + 1);
  const nodes: GraphNode[] = workloads.map((w) => ({
    type: 'workload',
    label: (refCount.get(w.ref) ?? 0) > 1 ? `${w.ref} in ${w.namespace ?? 'no namespace'}` : w.ref,
    kind: w.kind,
    name: w.name,
    workload: w,
  }));
  const byRef = new Map<string, number[]>();
  workloads.forEach((w, i) => append(byRef, w.ref, i));
  const missing = new Map<string, number>();
  const edges: GraphEdge[] = [];
  const preconditions = new Map<string, Precondition>();
  workloads.forEach((w, from) => {
    for (const entry of w.waits) {
      if (entry.target === undefined) {
        const key = `${w.namespace ?? ''}\n${entry.check}`;
        let p = preconditions.get(key);
        if (!p) {
          p = { check: entry.check, namespace: w.namespace, waiters: [] };
          preconditions.set(key, p);
        }
        p.waiters.push({ from, entry });
        continue;
      }
      let to = findTarget(byRef.get(entry.target) ?? [], w.namespace, workloads);
      if (to === undefined) {
        to = missing.get(entry.target);
        if (to === undefined) {
          const [kind, name] = entry.target.split('/');
          to = nodes.length;
          nodes.push({ type: 'missing', label: entry.target, kind, name });
          missing.set(entry.target, to);
        }
      }
      edges.push({ from, to, entry });
    }
  });
  return { files, objects, workloads, nodes, edges, preconditions: [...preconditions.values()] };
}

/** Of the workloads named `Kind/name` (indices): the one in `namespace`, else the only one anywhere. */
function findTarget(candidates: number[], namespace: string | undefined, workloads: Workload[]): number | undefined {
  const local = candidates.find((i) => workloads[i].namespace === namespace);
  if (local !== undefined) return local;
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * `build(model)`, built on first use and kept as long as the model: for
 * what several rules or commands read of one model.
 */
export function perModel<T>(build: (model: Model) => T): (model: Model) => T {
  const built = new WeakMap<Model, T>();
  return (model) => {
    let value = built.get(model);
    if (value === undefined) {
      value = build(model);
      built.set(model, value);
    }
    return value;
  };
}

/**
 * `deps[i]`: the nodes node `i` waits for, in declaration order (graph.ts
 * format). Built on first use: the synth-time lint, which runs no graph-wide
 * rule, never asks.
 */
const depsOf = perModel((model) => {
  const deps: number[][] = model.nodes.map(() => []);
  for (const e of model.edges) deps[e.from].push(e.to);
  return deps;
});

/** Every dependency cycle, as node indices `[a, b, a]`. */
export function cyclesOf(model: Model): number[][] {
  return findCycles(model.nodes.length, depsOf(model));
}

/** Startup waves and the critical path; undefined when the graph has a cycle. */
export interface Plan {
  /** Wave of each node. */
  readonly wave: number[];
  /** Nodes in startup order (by wave, then as they come in the input). */
  readonly order: number[];
  /** The longest dependency chain, in startup order. */
  readonly criticalPath: number[];
}

/**
 * Waves (0: waits for nothing; n: one more than its deepest dependency) and
 * the critical path. Ties are broken by input order: the chain ends at the
 * first node of the last wave, and each step back takes the first-declared
 * dependency that is one wave earlier.
 */
export function planOf(model: Model): Plan | undefined {
  const n = model.nodes.length;
  const deps = depsOf(model);
  const wave = depths(n, deps);
  const topo = topologicalOrder(n, deps);
  if (!wave || !topo) return undefined;
  const order = [...topo].sort((a, b) => wave[a] - wave[b] || a - b);
  const criticalPath: number[] = [];
  if (n > 0) {
    let v = order[order.length - 1];
    const last = wave[v];
    v = order.find((x) => wave[x] === last)!;
    criticalPath.push(v);
    while (wave[v] > 0) {
      v = deps[v].find((d) => wave[d] === wave[v] - 1)!;
      criticalPath.push(v);
    }
    criticalPath.reverse();
  }
  return { wave, order, criticalPath };
}

/** The env value `name` of a container, if set literally. */
export function envOf(container: any, name: string): string | undefined {
  const env = Array.isArray(container?.env) ? container.env : [];
  const v = env.find((x: any) => x?.name === name);
  return typeof v?.value === 'string' ? v.value : undefined;
}
