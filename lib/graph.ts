/**
 * Graph algorithms over the startup graph, linear in nodes + edges.
 *
 * Nodes are numbered 0..n-1 in the order they were added, and `edges[i]`
 * lists the nodes that node `i` depends on, in the order the dependencies were
 * declared. Every result is deterministic for the same input.
 *
 * @internal
 */

/**
 * Every dependency cycle, one per strongly connected component (Tarjan's
 * algorithm, iterative so deep graphs don't overflow the stack). A cycle is
 * given as the list of its nodes starting and ending with its first-added
 * node, following dependency edges: `[a, b, a]` means a depends on b depends
 * on a.
 */
export function findCycles(n: number, edges: ReadonlyArray<ReadonlyArray<number>>): number[][] {
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    // Explicit DFS stack of [node, next edge position].
    const work: Array<[number, number]> = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const v = frame[0];
      if (frame[1] < edges[v].length) {
        const w = edges[v][frame[1]++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          members.push(w);
        } while (w !== v);
        const selfLoop = members.length === 1 && edges[v].includes(v);
        if (members.length > 1 || selfLoop) components.push(members);
      }
    }
  }

  return components
    .map((members) => cycleWithin(new Set(members), edges))
    .sort((a, b) => a[0] - b[0]);
}

/** A concrete cycle inside one strongly connected component (BFS from its smallest node). */
function cycleWithin(members: Set<number>, edges: ReadonlyArray<ReadonlyArray<number>>): number[] {
  let start = Infinity;
  for (const m of members) start = Math.min(start, m);
  const parent = new Map<number, number>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of edges[v]) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = parent.get(u)!) path.push(u);
        // path is start, v, ..., reversed order of discovery: rebuild forward.
        const forward = [start, ...path.slice(1).reverse(), start];
        return forward;
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * A topological order (dependencies first), stable: among nodes that are
 * free at the same time, the first-added comes first. Returns undefined when
 * the graph has a cycle.
 */
export function topologicalOrder(n: number, edges: ReadonlyArray<ReadonlyArray<number>>): number[] | undefined {
  const waitingOn = edges.map((deps) => new Set(deps).size);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  edges.forEach((deps, v) => new Set(deps).forEach((d) => dependents[d].push(v)));
  // A binary heap keeps "first-added first" in O((n + e) log n).
  const heap = new MinHeap();
  waitingOn.forEach((c, v) => { if (c === 0) heap.push(v); });
  const order: number[] = [];
  while (heap.size > 0) {
    const v = heap.pop();
    order.push(v);
    for (const d of dependents[v]) {
      if (--waitingOn[d] === 0) heap.push(d);
    }
  }
  return order.length === n ? order : undefined;
}

/**
 * Depth of each node: 0 for nodes without dependencies, else one more than
 * its deepest dependency. Undefined when the graph has a cycle.
 */
export function depths(n: number, edges: ReadonlyArray<ReadonlyArray<number>>): number[] | undefined {
  const order = topologicalOrder(n, edges);
  if (!order) return undefined;
  const depth = new Array<number>(n).fill(0);
  for (const v of order) {
    for (const d of edges[v]) depth[v] = Math.max(depth[v], depth[d] + 1);
  }
  return depth;
}

class MinHeap {
  private readonly items: number[] = [];
  public get size() { return this.items.length; }
  public push(x: number) {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = Math.floor((i - 1) / 2);
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  public pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
