/**
 * Target Kubernetes versions, and which fields each lets us write.
 *
 * @internal
 */

import { checkKubernetesVersion } from './validation';

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

/** Parses `'1.29'` into 29: `checkKubernetesVersion` over the versions we write for. */
export function parseVersion(path: string, version: string): number {
  return checkKubernetesVersion(path, 'kubernetesVersion', version, MIN_MINOR, MAX_MINOR);
}

/** Whether `minor` has `feature`. */
export function supports(minor: number, feature: VersionedFeature): boolean {
  return minor >= feature.since;
}

/**
 * The image the containers that talk to the API run in by default, for each
 * target minor. Every one of them runs a shell script, so each image holds a
 * POSIX `sh` with BusyBox's tools and a kubectl whose minor is the target's
 * or one above it (kubectl's supported skew is one minor either way).
 *
 * - `alpine/kubectl` (Alpine, curl and kubectl) where it has a tag within the
 *   skew. Its build (alpine-docker/multi-arch-docker-images, `kubectl/`,
 *   added in August 2025) takes the kubectl of `dl.k8s.io/release/stable.txt`
 *   only; no tag older than 1.33 is known.
 * - `alpine/k8s` (Alpine with kubectl, helm and other tools; much larger)
 *   below that: it published the newest patch of the four newest minors every
 *   week, so each minor has tags.
 * - `registry.k8s.io/kubectl` is not used: it has no shell.
 *
 * Each tag is one that public manifests and CI files pull; the registries
 * themselves were not reachable from where this list was written. Pin a
 * digest of your own with `OrderedAppProps.kubectlImage`.
 */
export const KUBECTL_IMAGES: Readonly<Record<number, string>> = Object.freeze({
  27: 'alpine/k8s:1.27.15',
  28: 'alpine/k8s:1.28.15',
  29: 'alpine/k8s:1.29.15',
  30: 'alpine/k8s:1.30.14',
  31: 'alpine/k8s:1.31.13',
  32: 'alpine/kubectl:1.33.4',
  33: 'alpine/kubectl:1.33.4',
  34: 'alpine/kubectl:1.34.2',
});
