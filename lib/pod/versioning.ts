import { CONDITION_PREFIX, podTemplateOf, VERSIONED_ANNOTATION } from '../contract';
import { dnsLabel, shortHash, stableJson, uniqueLabel } from '../names';

/**
 * Versions: a versioned Job's name carries a hash of its spec, and a
 * dependent that restarts on change carries a hash of its dependency's pod
 * template.
 *
 * @internal
 */

/**
 * `name` with a hash of `spec` as written (not what this library adds, so a
 * library upgrade does not rerun a migration), at most 63 characters.
 */
export function versionedName(name: string, spec: any): string {
  const hash = shortHash(stableJson(spec), 8);
  return `${name.slice(0, 63 - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** Names a versioned Job and marks it so. */
export function applyVersion(manifest: any, name: string): void {
  manifest.metadata.name = name;
  (manifest.metadata.annotations ??= {})[VERSIONED_ANNOTATION] = 'true';
}

/** A hash of a pod template as written. */
export function templateHash(template: any): string {
  return shortHash(stableJson(template), 16);
}

/**
 * Writes the hash of each target's pod template into the pod template's
 * annotations, so a change to it rolls this pod. Each target its own key, even
 * when their ids slug alike (`db.main`, `db-main`).
 */
export function applyRestartOnChange(manifest: any, targets: Array<{ id: string; hash: string }>): void {
  if (targets.length === 0) return;
  const template = podTemplateOf(manifest)!;
  const annotations = ((template.metadata ??= {}).annotations ??= {});
  const taken = new Set<string>();
  for (const t of targets) annotations[`${CONDITION_PREFIX}${uniqueLabel(dnsLabel('spec-of-', t.id), taken)}`] = t.hash;
}
