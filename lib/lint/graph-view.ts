import { entryCheck, timeoutText } from '../contract';
import { edgeLabel, RenderEdge, RenderGraph, RenderNode } from '../graph-render';
import { Model } from './model';

/**
 * The startup graph of a model as it is drawn: one builder for
 * `cdk8s-ordered graph` (YAML read from files) and `OrderedApp.toMermaid()` /
 * `toDot()` (the YAML a synthesis writes), so both draw the same picture.
 * Workloads are `w<i>` (a target not in the input, `m<i>`), preconditions
 * `p<i>`, one per namespace and check; an edge is labelled with its check
 * (`rollout, then ...` when upgrade-checked) and its timeout.
 *
 * @internal
 */
export function graphOf(model: Model, text: (s: string) => string = (s) => s): RenderGraph {
  const ids = model.nodes.map((n, i) => (n.type === 'workload' ? `w${i}` : `m${i}`));
  const nodes: RenderNode[] = model.nodes.map((n, i) => (n.type === 'missing'
    ? { id: ids[i], label: `${text(n.label)} (not in the given YAML)`, external: false, missing: true }
    : { id: ids[i], label: text(n.label), external: false }));
  const edges: RenderEdge[] = model.edges.map((e) => ({
    from: ids[e.from],
    to: ids[e.to],
    label: edgeLabel(text(entryCheck(e.entry)), timeoutText(e.entry)),
  }));
  model.preconditions.forEach((p, i) => {
    nodes.push({ id: `p${i}`, label: text(p.check), external: true });
    for (const w of p.waiters) edges.push({ from: ids[w.from], to: `p${i}`, label: edgeLabel('waits for', timeoutText(w.entry)) });
  });
  return { nodes, edges };
}
