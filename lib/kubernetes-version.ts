/**
 * Target Kubernetes versions, and which fields each lets us write.
 *
 * @internal
 */

/** The oldest version we write for: cdk8s-plus-27's schema. */
export const MIN_MINOR = 27;
/** The newest version we know the schema of. */
export const MAX_MINOR = 34;

/** A field that only newer Kubernetes versions accept. */
export interface VersionedFeature {
  readonly name: string;
  /** The first minor version where it is on by default. */
  readonly since: number;
}

/** `initContainers[].restartPolicy: Always` (alpha 1.28, on by default 1.29). */
export const NATIVE_SIDECARS: VersionedFeature = { name: 'native sidecar containers (initContainers[].restartPolicy)', since: 29 };
/** `lifecycle.*.sleep` (beta 1.30, on by default). */
export const SLEEP_ACTION: VersionedFeature = { name: 'the lifecycle sleep action', since: 30 };

/** Parses `'1.29'` into 29, with an error that names the construct and the fix. */
export function parseVersion(path: string, version: string): number {
  const m = /^1\.(\d+)$/.exec(version);
  const minor = m ? Number(m[1]) : NaN;
  if (!m || minor < MIN_MINOR || minor > MAX_MINOR) {
    throw new Error(`${path}: kubernetesVersion '${version}' is not a version we write for; give '1.${MIN_MINOR}' to '1.${MAX_MINOR}' (major.minor)`);
  }
  return minor;
}

/** Whether `minor` has `feature`. */
export function supports(minor: number, feature: VersionedFeature): boolean {
  return minor >= feature.since;
}
