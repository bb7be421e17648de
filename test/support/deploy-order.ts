import { podSpec } from './synth';

/**
 * The order in which each deploy tool applies synthesized objects, as the
 * tools themselves sort them, and what a workload needs to exist before it.
 */

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

/**
 * The kind order Helm installs in (`releaseutil.InstallOrder`) and Argo CD
 * syncs a wave in (gitops-engine's `kindOrder`): the two lists agree on every
 * kind these tests write. A kind not listed comes after them all.
 */
export const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler',
  'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

const kindRank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
const byName = (a: any, b: any) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
const ann = (m: any): Record<string, string> => m.metadata?.annotations ?? {};

export function isWorkload(m: any): boolean {
  return WORKLOAD_KINDS.includes(m.kind);
}

/**
 * The objects of `all` that `workload`'s pods need to exist before they are
 * created: the ServiceAccount it runs as, the RoleBindings of that account
 * and their Roles, and the ConfigMaps its volumes mount.
 */
export function needs(workload: any, all: any[]): any[] {
  const spec = podSpec(workload);
  const ns = workload.metadata.namespace;
  const same = (m: any) => m.metadata.namespace === ns;
  const account = spec.serviceAccountName;
  const bindings = all.filter((m) => m.kind === 'RoleBinding' && account !== undefined
    && (m.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? m.metadata.namespace) === ns));
  const roles = all.filter((m) => m.kind === 'Role' && bindings.some((b) => b.roleRef.name === m.metadata.name && b.metadata.namespace === m.metadata.namespace));
  const configMaps = (spec.volumes ?? []).filter((v: any) => v.configMap).map((v: any) => v.configMap.name);
  return [
    ...all.filter((m) => m.kind === 'ServiceAccount' && same(m) && m.metadata.name === account),
    ...bindings,
    ...roles,
    ...all.filter((m) => m.kind === 'ConfigMap' && same(m) && configMaps.includes(m.metadata.name)),
  ];
}

/** The hooks of `all`, in the order Helm 3.17 runs them: by weight, then by name. */
export function helmOrderByName(all: any[]): any[] {
  return hooks(all).sort((a, b) => weight(a) - weight(b) || byName(a, b));
}

/** The hooks of `all`, in the order later Helm runs them: by weight, then kind, then name. */
export function helmOrderByKind(all: any[]): any[] {
  return hooks(all).sort((a, b) => weight(a) - weight(b) || kindRank(a.kind) - kindRank(b.kind) || byName(a, b));
}

function hooks(all: any[]): any[] {
  return all.filter((m) => (ann(m)['helm.sh/hook'] ?? '').split(',').includes('pre-install'));
}

function weight(m: any): number {
  return Number(ann(m)['helm.sh/hook-weight'] ?? '0');
}

/** `all` in Argo CD's sync order: wave, then kind, then name. */
export function argoOrder(all: any[]): any[] {
  return [...all].sort((a, b) => wave(a) - wave(b) || kindRank(a.kind) - kindRank(b.kind) || byName(a, b));
}

export function wave(m: any): number {
  return Number(ann(m)['argocd.argoproj.io/sync-wave'] ?? '0');
}

/** kapp's change graph: each group's objects, and what each group is upserted after and deleted before/after. */
export interface KappGraph {
  readonly groups: Map<string, any[]>;
  /** `upsertAfter.get(g)`: the groups g is upserted after. */
  readonly upsertAfter: Map<string, Set<string>>;
  /** `deleteAfter.get(g)`: the groups g is deleted after (`delete before deleting g` on h is h -> g reversed). */
  readonly deleteAfter: Map<string, Set<string>>;
}

/** Reads the kapp change groups and rules of `all`, as kapp does from their annotations. */
export function kappGraph(all: any[]): KappGraph {
  const groups = new Map<string, any[]>();
  const upsertAfter = new Map<string, Set<string>>();
  const deleteAfter = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, k: string, v: string) => (map.get(k) ?? map.set(k, new Set()).get(k)!).add(v);
  for (const m of all) {
    const a = ann(m);
    const own = Object.keys(a).filter((k) => k === 'kapp.k14s.io/change-group' || k.startsWith('kapp.k14s.io/change-group.')).map((k) => a[k]);
    for (const g of own) (groups.get(g) ?? groups.set(g, []).get(g)!).push(m);
    for (const [k, rule] of Object.entries(a)) {
      if (k !== 'kapp.k14s.io/change-rule' && !k.startsWith('kapp.k14s.io/change-rule.')) continue;
      const r = /^(upsert|delete) (after|before) (upserting|deleting) (\S+)$/.exec(rule);
      if (!r) throw new Error(`not a kapp change rule: ${rule}`);
      const [, action, when, , other] = r;
      for (const g of own) {
        const map = action === 'upsert' ? upsertAfter : deleteAfter;
        if (when === 'after') add(map, g, other);
        else add(map, other, g);
      }
    }
  }
  return { groups, upsertAfter, deleteAfter };
}

/** Whether `before` is (transitively) done before `g` in `after`. */
export function precedes(after: Map<string, Set<string>>, before: string, g: string): boolean {
  const seen = new Set<string>();
  const stack = [...after.get(g) ?? []];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x === before) return true;
    if (seen.has(x)) continue;
    seen.add(x);
    stack.push(...after.get(x) ?? []);
  }
  return false;
}

/** The groups of `after` that are part of a cycle (none in a DAG). */
export function cyclic(after: Map<string, Set<string>>): string[] {
  return [...after.keys()].filter((g) => precedes(after, g, g));
}
