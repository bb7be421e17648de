import { depths, findCycles, topologicalOrder } from '../lib/graph';

describe('graph', () => {
  test('an acyclic graph has no cycles and a stable topological order', () => {
    // 0 -> 2, 1 -> 2, 3 -> 1 (i depends on j)
    const edges = [[2], [2], [], [1]];
    expect(findCycles(4, edges)).toEqual([]);
    expect(topologicalOrder(4, edges)).toEqual([2, 0, 1, 3]);
    expect(depths(4, edges)).toEqual([1, 1, 0, 2]);
  });

  test('every cycle is reported once, as a closed path from its first node', () => {
    const edges = [[1], [0], [3], [4], [2], [5]];
    expect(findCycles(6, edges)).toEqual([[0, 1, 0], [2, 3, 4, 2], [5, 5]]);
    expect(topologicalOrder(6, edges)).toBeUndefined();
    expect(depths(6, edges)).toBeUndefined();
  });

  test('a cycle reached through a long chain is found without deep recursion', () => {
    const n = 200_000;
    const edges = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : [0]));
    const cycles = findCycles(n, edges);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n + 1);
    const chain = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    expect(topologicalOrder(n, chain)![0]).toBe(n - 1);
  });

  test('duplicate edges do not confuse the order', () => {
    expect(topologicalOrder(2, [[1, 1], []])).toEqual([1, 0]);
  });
});
