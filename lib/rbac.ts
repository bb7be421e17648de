import { dnsSubdomain, shortHash, stableJson } from './names';
import { checkRbacRules } from './validation';
import { ApiPermission } from './wait-for';

/**
 * Least-privilege RBAC for the containers the library adds to one workload:
 * the one place that turns what the pod features need (`ApiPermission`s) into
 * a ServiceAccount, Roles and RoleBindings.
 *
 * One Role per namespace the containers look in, holding only the verbs each
 * needs, restricted by `resourceNames` whenever the object's name is known.
 * The Role is bound to the workload's own service account if it has one,
 * else to a dedicated one that the app containers never get a token for.
 *
 * A Role that names a versioned Job is named after its rules too
 * (`<name>-wait-for-<hash>`): a new version writes a new Role and binding
 * beside the old ones instead of rewriting them, so pods of the previous
 * version that restart during an upgrade may still watch the previous Job.
 *
 * @internal
 */

/** Where the RBAC goes, and whose it is. */
export interface RbacSubject {
  /** The workload's name as written (not a versioned Job's hashed one). */
  readonly baseName: string;
  /** The workload's namespace, if it has one. */
  readonly namespace?: string;
  /** The pod's own service account, if it names one. */
  readonly serviceAccountName?: string;
  /** Construct path, for messages. */
  readonly path: string;
}

/** The RBAC objects, and the service account the pod must run as. */
export interface RbacPlan {
  readonly objects: any[];
  /** Set on the pod when we created the service account. */
  readonly serviceAccountName?: string;
}

/** The RBAC for `permissions` (none when there are none). */
export function planRbac(subject: RbacSubject, permissions: ApiPermission[]): RbacPlan {
  if (permissions.length === 0) return { objects: [] };
  const own = subject.namespace;
  const byNamespace = new Map<string, ApiPermission[]>();
  for (const p of permissions) {
    const ns = p.namespace ?? own;
    if (ns !== own && own === undefined) {
      throw new Error(`${subject.path}: waiting on an object in namespace '${ns}' needs the waiting workload's own namespace `
        + 'for the RoleBinding subject; set `namespace` on its Chart (or on the workload\'s metadata)');
    }
    const key = ns ?? '';
    byNamespace.set(key, [...(byNamespace.get(key) ?? []), p]);
  }
  const objects: any[] = [];
  const account = subject.serviceAccountName ?? dnsSubdomain(`${subject.baseName}-waiter`);
  if (!subject.serviceAccountName) {
    objects.push(manifest('v1', 'ServiceAccount', account, own, { automountServiceAccountToken: false }));
  }
  // The workload's own namespace first, then the others by name.
  const keys = [...byNamespace.keys()].sort((a, b) => Number(b === (own ?? '')) - Number(a === (own ?? '')) || (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) {
    const perms = byNamespace.get(key)!;
    const ns = key === '' ? undefined : key;
    const foreign = ns !== own;
    const rules = rulesFor(perms);
    // No generated rule ever holds a wildcard, a list in one field, or a verb we do not use.
    checkRbacRules(subject.path, rules);
    const base = `${subject.baseName}-wait-for${foreign ? `-${ns}` : ''}`;
    const name = dnsSubdomain(perms.some((p) => p.versioned) ? `${base}-${shortHash(stableJson(rules))}` : base);
    objects.push(manifest('rbac.authorization.k8s.io/v1', 'Role', name, ns, { rules }));
    objects.push(manifest('rbac.authorization.k8s.io/v1', 'RoleBinding', name, ns, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [foreign ? { kind: 'ServiceAccount', name: account, namespace: own } : { kind: 'ServiceAccount', name: account }],
    }));
  }
  return { objects, serviceAccountName: subject.serviceAccountName ? undefined : account };
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
    return r.anyName
      ? { apiGroups: [r.apiGroup], resources: [r.resource], verbs: r.verbs }
      : { apiGroups: [r.apiGroup], resourceNames: [...r.names].sort(), resources: [r.resource], verbs: r.verbs };
  });
}

/** A manifest as cdk8s writes one: apiVersion, kind, metadata, then the other fields. */
function manifest(apiVersion: string, kind: string, name: string, namespace: string | undefined, body: Record<string, any>): any {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace }, ...body };
}
