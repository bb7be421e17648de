/**
 * Map helpers shared by the library and the command line.
 *
 * @internal
 */

/** Adds `value` to the list of `k` in `map`, in place. */
export function append<K, V>(map: Map<K, V[]>, k: K, value: V): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}
