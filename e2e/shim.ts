import { stringify } from 'yaml';

/**
 * Everything the end-to-end suite stands in for, in one place.
 *
 * 1. Services. Podman has none. A pod on a podman network can carry DNS
 *    aliases, so the pod behind a Service is played with
 *    `--network <net>:alias=<the Service's name>`: the Service name then
 *    resolves to that pod, and a TCP connection succeeds only once the pod
 *    listens, as through a Service whose endpoint turned Ready when its TCP
 *    probe passed.
 * 2. One annotation. Podman 4.3 rejects annotation values longer than 63
 *    characters (a label rule it applies to annotations too), so the
 *    `ordered.cdk8s.io/dependencies` annotation, which only the
 *    `cdk8s-ordered` command line reads and Kubernetes ignores, is left out of
 *    what podman is given. Nothing else in the YAML is touched.
 */

/** podman kube play arguments for a pod on `network`, reachable as each of `serviceNames`. */
export function networkArgs(network: string, serviceNames: string[] = []): string[] {
  const aliases = serviceNames.map((n) => `alias=${n}`).join(',');
  return ['--network', aliases ? `${network}:${aliases}` : network];
}

const TOOLING_ANNOTATIONS = ['ordered.cdk8s.io/dependencies'];

/** The manifest as podman 4.3 accepts it: a copy without the tooling annotation. */
export function forPodman(manifest: any): any {
  const copy = JSON.parse(JSON.stringify(manifest));
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    for (const key of TOOLING_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

/**
 * The YAML podman is given for the Pod `name` among a chart's manifests (see
 * `forPodman`): the ConfigMaps its volumes name (the waiters' scripts), then
 * the Pod, as `kubectl apply` of the chart would have them in the cluster.
 */
export function podYaml(manifests: any[], name: string): string {
  const pod = manifests.find((m: any) => m.kind === 'Pod' && m.metadata.name === name);
  const names = new Set((pod.spec.volumes ?? []).map((v: any) => v.configMap?.name).filter(Boolean));
  const configMaps = manifests.filter((m: any) => m.kind === 'ConfigMap' && names.has(m.metadata.name));
  return [...configMaps, forPodman(pod)].map((m) => stringify(m)).join('---\n');
}
