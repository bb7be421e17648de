import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { shortHash, stableJson } from './names';
import { ApiPermission } from './wait-for';

/**
 * Least-privilege RBAC for the API waiters of one workload.
 *
 * One Role per namespace the waiters look in, holding only `list` and
 * `watch` (what `kubectl get --watch --field-selector metadata.name=X`
 * needs) on the resources they watch, restricted by `resourceNames` whenever
 * the object's name is known. The Role is bound to the workload's own service
 * account if it has one, else to a dedicated one that the app containers
 * never get a token for. Rules are rendered at synth time from the waiters as
 * they are then, so names that are only known late (versioned Jobs) are right.
 *
 * A Role that names a versioned Job is named after its rules too
 * (`<name>-wait-for-<hash>`): a new version writes a new Role and binding
 * beside the old ones instead of rewriting them, so pods of the previous
 * version that restart during an upgrade may still watch the previous Job.
 *
 * @internal
 */
export class WaiterRbac {
  /** The service account the waiters run as. */
  public readonly serviceAccountName: string;
  /** Whether we created the service account (and must set it on the pod). */
  public readonly createdServiceAccount: boolean;
  private readonly namespaces = new Set<string>();

  constructor(
    private readonly workload: kplus.AbstractPod,
    private readonly baseName: string,
    private readonly permissions: () => ApiPermission[],
  ) {
    if (workload.serviceAccount) {
      this.serviceAccountName = workload.serviceAccount.name;
      this.createdServiceAccount = false;
    } else {
      this.serviceAccountName = `${baseName}-waiter`;
      this.createdServiceAccount = true;
      const sa = new kplus.k8s.KubeServiceAccount(workload, 'WaiterServiceAccount', {
        metadata: { name: this.serviceAccountName, namespace: workload.metadata.namespace },
        automountServiceAccountToken: false,
      });
      ApiObject.of(workload).addDependency(sa);
    }
  }

  /**
   * Makes sure a Role and RoleBinding exist for `namespace` (undefined: the
   * workload's own). Idempotent.
   */
  public coverNamespace(namespace: string | undefined, path: string): void {
    const own = this.workload.metadata.namespace;
    const ns = namespace ?? own;
    if (ns !== own && own === undefined) {
      throw new Error(`${path}: waiting on an object in namespace '${ns}' needs the waiting workload's own namespace `
        + 'for the RoleBinding subject; set `namespace` on its Chart (or on the workload\'s metadata)');
    }
    const key = ns ?? '';
    if (this.namespaces.has(key)) return;
    this.namespaces.add(key);
    const foreign = ns !== own;
    const suffix = foreign ? `-${ns}` : '';
    const permissions = () => this.permissions().filter((p) => (p.namespace ?? own) === ns);
    const base = `${this.baseName}-wait-for${suffix}`;
    const name = Lazy.any({
      produce: () => {
        const perms = permissions();
        return perms.some((p) => p.versioned) ? `${base}-${shortHash(stableJson(rulesFor(perms)))}` : base;
      },
    }) as any as string;
    const role = new kplus.k8s.KubeRole(this.workload, `WaiterRole${suffix}`, {
      metadata: { name, namespace: ns },
      rules: Lazy.any({ produce: () => rulesFor(permissions()) }) as any,
    });
    const binding = new kplus.k8s.KubeRoleBinding(this.workload, `WaiterRoleBinding${suffix}`, {
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: foreign ? own : undefined }],
    });
    binding.addDependency(role);
    ApiObject.of(this.workload).addDependency(role, binding);
  }
}

/** Role rules for a set of permissions: sorted, merged, minimal. */
export function rulesFor(permissions: ApiPermission[]): any[] {
  const byResource = new Map<string, { apiGroup: string; resource: string; verbs: string[]; names: Set<string>; anyName: boolean }>();
  for (const p of permissions) {
    const verbs = [...(p.verbs ?? ['list', 'watch'])].sort();
    const key = `${p.apiGroup}/${p.resource}/${verbs.join(',')}`;
    let r = byResource.get(key);
    if (!r) {
      r = { apiGroup: p.apiGroup, resource: p.resource, verbs, names: new Set(), anyName: false };
      byResource.set(key, r);
    }
    if (p.resourceName === undefined) r.anyName = true;
    else r.names.add(p.resourceName);
  }
  return [...byResource.keys()].sort().map((key) => {
    const r = byResource.get(key)!;
    return {
      apiGroups: [r.apiGroup],
      resources: [r.resource],
      resourceNames: r.anyName ? undefined : [...r.names].sort(),
      verbs: r.verbs,
    };
  });
}
