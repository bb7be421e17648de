/**
 * What a lint rule is, and the helpers the rules share. Each rule lives in its
 * own file (`ordNNN-*.ts`) and is listed in `index.ts`. Not part of the jsii
 * API.
 */
import { WAITER_PREFIX } from '../../contract';
import { GraphEdge, Model, perModel, Workload } from '../model';

export type Severity = 'error' | 'warning';

/** One finding: printed as `<file>: <rule> <severity> <object>: <message>`. */
export interface Problem {
  readonly file: string;
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind/name`. */
  readonly object: string;
  readonly message: string;
  /** Position of the object in the input, for sorting. */
  readonly order: number;
}

/** A rule, as each `ordNNN-*.ts` module exports it. */
export interface Rule {
  /** `ORD001`... */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what it finds (the README's rule table, the usage text). */
  readonly title: string;
  /** Markdown: what it finds, why it matters, how to fix it (docs/rules.md, `cdk8s-ordered rules ID`). */
  readonly description: string;
  /** Without any dependencies annotation in the input, rules that need one are skipped. */
  readonly needsAnnotations: boolean;
  readonly check: (model: Model) => Problem[];
}

/** Each model's objects by file and `Kind/name`: where the first of them stands in the input. */
const orderIndex = perModel((model) => {
  const index = new Map<string, number>();
  model.objects.forEach((o, i) => {
    const k = `${o.file}\n${o.ref}`;
    if (!index.has(k)) index.set(k, i);
  });
  return index;
});

/** Where `at` first stands among the model's objects (-1 when it is not one of them). */
function orderOf(model: Model, at: { file: string; ref: string }): number {
  const index = orderIndex(model);
  return index.get(`${at.file}\n${at.ref}`) ?? -1;
}

/** A finding of `rule` on object `at`. */
export function finding(model: Model, at: { file: string; ref: string }, rule: { id: string; severity: Severity }, message: string): Problem {
  return { file: at.file, rule: rule.id, severity: rule.severity, object: at.ref, message, order: orderOf(model, at) };
}

/** The waiter init containers of a workload: named in its annotation, else named `wait-for-*`. */
export function waitersOf(w: Workload): any[] {
  const out: any[] = [];
  if (!Array.isArray(w.podSpec.initContainers)) return out;
  const byAnnotation = w.annotated && !w.annotationError;
  for (const c of w.podSpec.initContainers) {
    const name = c?.name;
    if (byAnnotation ? w.waits.some((e) => e.waiter === name) : typeof name === 'string' && name.startsWith(WAITER_PREFIX)) out.push(c);
  }
  return out;
}

/** The edges into each node: built once per model, shared by the rules that ask (read them, do not edit them). */
export const incomingEdges: (model: Model) => readonly GraphEdge[][] = perModel((model) => {
  const incoming: GraphEdge[][] = model.nodes.map(() => []);
  for (const e of model.edges) incoming[e.to].push(e);
  return incoming;
});

/**
 * The distinct labels of the workloads that wait for node `i`, in the order
 * of their edges; with `counts`, only by the edges it accepts.
 */
export function dependentsOf(model: Model, incoming: readonly GraphEdge[][], i: number,
  counts: (e: GraphEdge) => boolean = () => true): string[] {
  const labels = new Set<string>();
  for (const e of incoming[i]) if (counts(e)) labels.add(model.nodes[e.from].label);
  return [...labels];
}
