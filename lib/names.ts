import { createHash } from 'crypto';

/**
 * Kubernetes names that are valid, deterministic and unique.
 *
 * @internal
 */

const MAX_LABEL = 63;

/** Lower-case DNS-1123 label words from any text: `Shop/API_v2` -> `shop-api-v2`. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** A short, stable hash of some text. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * `prefix` + slug of `text`, at most 63 characters (DNS-1123 label). A name
 * that is too long keeps its start and gets a hash of the whole text, so two
 * long names stay distinct.
 */
export function dnsLabel(prefix: string, text: string): string {
  const full = `${prefix}${slugify(text)}`;
  if (full.length <= MAX_LABEL) return full;
  const hash = shortHash(full, 8);
  return `${full.slice(0, MAX_LABEL - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * `name` as a DNS-1123 subdomain of at most 253 characters (ServiceAccounts,
 * Roles, RoleBindings): a longer one keeps its start and gets a hash of the
 * whole, so two long names stay distinct.
 */
export function dnsSubdomain(name: string): string {
  if (name.length <= 253) return name;
  const hash = shortHash(name, 8);
  return `${name.slice(0, 253 - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}

/**
 * Makes `name` unique among `taken` (adding it): a second `wait-for-db`
 * becomes `wait-for-db-2`, still at most 63 characters.
 */
export function uniqueLabel(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) {
    const suffix = `-${i}`;
    candidate = `${name.slice(0, MAX_LABEL - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

/**
 * A deep copy of JSON data: objects shared between containers would come out
 * of the YAML writer as anchors and aliases (`&a1`, `*a1`).
 */
export function fresh<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** JSON with object keys sorted at every level: the same value gives the same text. */
export function stableJson(value: any): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}
