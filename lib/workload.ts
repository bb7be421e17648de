import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podTemplateOf, WORKLOAD_KINDS } from './contract';

/**
 * Finding workloads and Services structurally, whatever built them
 * (any cdk8s-plus version, or raw `ApiObject`s such as the imported `Kube*`
 * classes), and reading what the library needs from their rendered manifests.
 *
 * @internal
 */

/** The one workload manifest object that `construct` is or holds; throws with the fix when there is none or several. */
export function findWorkloadObject(construct: IConstruct, where: string): ApiObject {
  const found = objectsOf(construct).filter((o) => WORKLOAD_KINDS.includes(o.kind));
  if (found.length === 1) return found[0];
  const kinds = WORKLOAD_KINDS.join(', ');
  if (found.length === 0) {
    throw new Error(`${where}: '${construct.node.path}' holds no workload (${kinds}); pass a construct that is or holds exactly one, `
      + 'such as a cdk8s-plus Deployment or a KubeDeployment');
  }
  throw new Error(`${where}: '${construct.node.path}' holds ${found.length} workloads (${found.map((o) => `${o.kind} ${o.node.path}`).join(', ')}); `
    + 'pass the one to order');
}

/** The one Service object that `construct` is or holds; throws with the fix otherwise. */
export function findServiceObject(construct: IConstruct, where: string): ApiObject {
  const found = objectsOf(construct).filter((o) => o.kind === 'Service');
  if (found.length === 1) return found[0];
  throw new Error(`${where}: '${construct.node.path}' ${found.length === 0 ? 'holds no Service' : `holds ${found.length} Services`}; `
    + 'pass a construct that is or holds exactly one Service, such as a cdk8s-plus Service or a KubeService');
}

/** `construct` and every API object below it, in construct order. */
export function objectsOf(construct: IConstruct): ApiObject[] {
  return construct.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

/** A label selector as `k=v,...`, keys sorted. */
export function labelSelector(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/** What the library reads of a workload's manifest, as its builder rendered it (before any edit of ours). */
export interface WorkloadFacts {
  readonly kind: string;
  /** `metadata.name` as written. */
  readonly name: string;
  /** `metadata.namespace`, if set. */
  readonly namespace?: string;
  /** The labels that select its pods (the selector's `matchLabels`; a Pod's own labels). The manifest's own object: read it, never edit it. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Its pod template's labels. The manifest's own object: read it, never edit it. */
  readonly templateLabels: Readonly<Record<string, string>>;
  /** Whether some container has a port or a readiness probe (something tells when a pod is ready). */
  readonly probed: boolean;
  /** A StatefulSet's governing Service name. */
  readonly serviceName?: string;
  /** The pod's own service account, if it names one. */
  readonly serviceAccountName?: string;
  /** Whether the pod mounts a token into every container (`automountServiceAccountToken: true`). */
  readonly automountsToken: boolean;
  /** Whether the pod leaves `automountServiceAccountToken` unset (its service account's setting then decides). */
  readonly automountUnset: boolean;
  /** Whether its containers share one process namespace (`shareProcessNamespace: true`): each can read the others' files through /proc. */
  readonly sharesProcesses: boolean;
  /** A Job's `ttlSecondsAfterFinished`. */
  readonly ttlSecondsAfterFinished?: number;
  /** The manifest's `spec` as written (what a versioned Job's hash covers). */
  readonly spec: any;
  /** The pod template as written (what restart-on-change hashes). */
  readonly template: any;
}

/** Reads `manifest` (a rendered workload). */
export function workloadFacts(manifest: any): WorkloadFacts {
  const template = podTemplateOf(manifest) ?? {};
  const spec = template.spec ?? {};
  const containers: any[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
  // Not copied: planning never edits labels, and a copy per workload is memory held through the whole render.
  const templateLabels = template.metadata?.labels ?? {};
  const selector = manifest.kind === 'Pod' || manifest.kind === 'CronJob' || manifest.kind === 'Job'
    ? templateLabels
    : manifest.spec?.selector?.matchLabels ?? {};
  return {
    kind: manifest.kind,
    name: manifest.metadata?.name,
    namespace: manifest.metadata?.namespace,
    podLabels: selector,
    templateLabels,
    probed: containers.some((c) => (c.ports ?? []).length > 0 || c.readinessProbe !== undefined),
    serviceName: manifest.kind === 'StatefulSet' ? manifest.spec?.serviceName : undefined,
    serviceAccountName: spec.serviceAccountName,
    automountsToken: spec.automountServiceAccountToken === true,
    automountUnset: spec.automountServiceAccountToken === undefined,
    sharesProcesses: spec.shareProcessNamespace === true,
    ttlSecondsAfterFinished: manifest.kind === 'Job' ? manifest.spec?.ttlSecondsAfterFinished : undefined,
    spec: manifest.spec,
    template,
  };
}

/** What the library reads of a rendered Service. */
export interface ServiceFacts {
  readonly object: ApiObject;
  readonly name: string;
  readonly namespace?: string;
  /** The manifest's own object: read it, never edit it. */
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: number[];
}

/** Reads a rendered Service. */
export function serviceFacts(object: ApiObject, manifest: any): ServiceFacts {
  return {
    object,
    name: manifest.metadata?.name,
    namespace: manifest.metadata?.namespace,
    selector: manifest.spec?.selector ?? {},
    ports: (manifest.spec?.ports ?? []).map((p: any) => p.port).filter((p: any) => typeof p === 'number'),
  };
}

/** Whether `service` selects pods carrying `labels` (a Service without a selector selects nothing by itself). */
export function selects(service: ServiceFacts, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(service.selector);
  return keys.length > 0 && keys.every((k) => labels[k] === service.selector[k]);
}
