import { edgeLabel, renderGraph, RenderGraph } from '../lib/graph-render';

/** The one renderer of startup graphs, shared by the command line and OrderedApp.toMermaid() / toDot(). */
describe('renderGraph', () => {
  const graph: RenderGraph = {
    nodes: [
      { id: 'c0', label: 'db (StatefulSet)', external: false },
      { id: 'c1', label: 'api (Deployment)', external: false },
      { id: 'm2', label: 'StatefulSet/cache (not in the given YAML)', external: false, missing: true },
      { id: 'x0', label: 'Secret "api-tls" exists', external: true },
    ],
    edges: [
      { from: 'c1', to: 'c0', label: edgeLabel('service db ports 5432') },
      { from: 'c1', to: 'm2', label: 'tcp cache:6379 \\ "primary"' },
      { from: 'c1', to: 'x0', label: edgeLabel('waits for', 'timeout 600s, then fail') },
    ],
  };

  test('Mermaid: nodes, then edges; external nodes as stadiums, missing ones dashed; quotes made single', () => {
    expect(renderGraph(graph, 'mermaid')).toBe([
      'flowchart LR',
      '  c0["db (StatefulSet)"]',
      '  c1["api (Deployment)"]',
      '  m2["StatefulSet/cache (not in the given YAML)"]',
      '  style m2 stroke-dasharray: 5 5',
      '  x0(["Secret \'api-tls\' exists"])',
      '  c1 -->|"service db ports 5432"| c0',
      '  c1 -->|"tcp cache:6379 \\ \'primary\'"| m2',
      '  c1 -->|"waits for (timeout 600s, then fail)"| x0',
      '',
    ].join('\n'));
  });

  test('DOT: the same graph, quotes and backslashes escaped', () => {
    expect(renderGraph(graph, 'dot')).toBe([
      'digraph startup {',
      '  rankdir=LR;',
      '  node [shape=box];',
      '  c0 [label="db (StatefulSet)"];',
      '  c1 [label="api (Deployment)"];',
      '  m2 [label="StatefulSet/cache (not in the given YAML)", style=dotted];',
      '  x0 [label="Secret \\"api-tls\\" exists", shape=ellipse, style=dashed];',
      '  c1 -> c0 [label="service db ports 5432"];',
      '  c1 -> m2 [label="tcp cache:6379 \\\\ \\"primary\\""];',
      '  c1 -> x0 [label="waits for (timeout 600s, then fail)"];',
      '}',
      '',
    ].join('\n'));
  });

  test('an empty graph', () => {
    expect(renderGraph({ nodes: [], edges: [] }, 'mermaid')).toBe('flowchart LR\n');
    expect(renderGraph({ nodes: [], edges: [] }, 'dot')).toBe('digraph startup {\n  rankdir=LR;\n  node [shape=box];\n}\n');
  });
});
