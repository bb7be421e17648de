/**
 * What every container the library adds has in common.
 *
 * @internal
 */

/**
 * Pod Security "restricted": non-root (nobody), no privilege escalation, no
 * capabilities, RuntimeDefault seccomp, read-only root filesystem. A new
 * object each call: one shared between containers would come out of the YAML
 * writer as an anchor and alias.
 */
export function securityContext(): any {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsGroup: 65534,
    runAsNonRoot: true,
    runAsUser: 65534,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Requests and limits of a container that runs kubectl (a Go binary: it needs
 * tens of megabytes), or only busybox. A new object each call.
 */
export function resources(kubectl: boolean): any {
  return kubectl
    ? { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '10m', memory: '32Mi' } }
    : { limits: { cpu: '50m', memory: '16Mi' }, requests: { cpu: '5m', memory: '8Mi' } };
}

/** The volume that carries the service-account token into the containers that talk to the API. */
export const TOKEN_VOLUME = 'ordered-waiter-token';

/** What one of our containers talking to the API mounts (nothing when the pod automounts a token into every container). */
export function tokenMounts(automountsToken: boolean): any[] | undefined {
  if (automountsToken) return undefined;
  return [{ name: TOKEN_VOLUME, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }];
}

/**
 * The service-account token, CA and namespace that Kubernetes would mount
 * into every container, as a projected volume mounted into ours only.
 */
export function tokenVolume(): any {
  return {
    name: TOKEN_VOLUME,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** The pod's own name and namespace, from the downward API. */
export function podEnv(name: 'POD_NAME' | 'POD_NAMESPACE'): any {
  return { name, valueFrom: { fieldRef: { fieldPath: name === 'POD_NAME' ? 'metadata.name' : 'metadata.namespace' } } };
}

/** What the plan knows about the pod it edits. */
export interface PodContext {
  /** Construct path of the component, for messages. */
  readonly path: string;
  /** Target Kubernetes minor version (27 for 1.27). */
  readonly minor: number;
  readonly waiterImage: string;
  readonly kubectlImage: string;
  /** Whether the pod mounts a token into every container. */
  readonly automountsToken: boolean;
}
