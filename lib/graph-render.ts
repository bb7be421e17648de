/**
 * One renderer of startup graphs, as Mermaid or Graphviz DOT: used by the
 * command line (`cdk8s-ordered graph`) and by `OrderedApp.toMermaid()` /
 * `toDot()`, so both draw the same picture. Not part of the jsii API (not
 * exported from index.ts).
 *
 * @internal
 */

/** A node: a workload, or something outside the app that is waited for. */
export interface RenderNode {
  /** Identifier in the output: letters, digits and `_` only (e.g. `w0`, `p1`). */
  readonly id: string;
  /** The text shown (quotes are escaped by the renderer). */
  readonly label: string;
  /** Outside the app (a precondition such as `Secret api-tls exists`): drawn as a dashed ellipse / stadium. */
  readonly external: boolean;
  /** A workload that is waited for but not in the input: drawn with a dashed (Mermaid) or dotted (DOT) border. */
  readonly missing?: boolean;
}

/** An edge: `from` waits for `to`. */
export interface RenderEdge {
  readonly from: string;
  readonly to: string;
  /** What is waited for, e.g. `service db ports 5432 (timeout 600s, then fail)` (see `edgeLabel`). */
  readonly label: string;
}

/** A graph to render: nodes, then edges, each drawn in the order given. */
export interface RenderGraph {
  readonly nodes: readonly RenderNode[];
  readonly edges: readonly RenderEdge[];
}

export type GraphFormat = 'mermaid' | 'dot';

/** The formats `renderGraph` writes. */
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

/**
 * The label of an edge: the check, with its timeout as the waiter applies it,
 * e.g. `check (timeout 600s, then fail)`; `timeout` is `timeoutText(entry)`
 * of lib/contract.ts, undefined without a timeout.
 */
export function edgeLabel(check: string, timeout?: string): string {
  return timeout ? `${check} (${timeout})` : check;
}

/** `graph` as a Mermaid flowchart or a DOT digraph, every node first, then every edge; ends with a newline. */
export function renderGraph(graph: RenderGraph, format: GraphFormat): string {
  return format === 'dot' ? renderDot(graph) : renderMermaid(graph);
}

function renderMermaid(graph: RenderGraph): string {
  // Mermaid has no escape for `"` inside a quoted label.
  const q = (s: string) => s.replace(/"/g, '\'');
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) {
    lines.push(n.external ? `  ${n.id}(["${q(n.label)}"])` : `  ${n.id}["${q(n.label)}"]`);
    if (n.missing) lines.push(`  style ${n.id} stroke-dasharray: 5 5`);
  }
  for (const e of graph.edges) lines.push(`  ${e.from} -->|"${q(e.label)}"| ${e.to}`);
  return lines.join('\n') + '\n';
}

function renderDot(graph: RenderGraph): string {
  const q = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const lines = ['digraph startup {', '  rankdir=LR;', '  node [shape=box];'];
  for (const n of graph.nodes) {
    const style = n.external ? ', shape=ellipse, style=dashed' : n.missing ? ', style=dotted' : '';
    lines.push(`  ${n.id} [label="${q(n.label)}"${style}];`);
  }
  for (const e of graph.edges) lines.push(`  ${e.from} -> ${e.to} [label="${q(e.label)}"];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
