import { CONDITION_PREFIX } from './contract';

/**
 * Deploy tools that can be told the startup order too.
 *
 * The init containers already enforce the order at runtime; these annotations
 * make a deploy tool apply (and delete) objects in the same order, so that it
 * does not report a dependent as failing while it waits, and deletes
 * dependents first.
 */
export enum DeployTool {
  /**
   * Argo CD: `argocd.argoproj.io/sync-wave` is each component's depth in the
   * graph (0 for components without dependencies), on all of its objects,
   * and -1 on the scripts ConfigMap. Within a wave Argo CD creates one kind
   * after another (ServiceAccount, ConfigMap, Role, RoleBinding, then
   * Service and the workloads), so a waiter's ServiceAccount and RBAC
   * exist before its pod.
   *
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
   */
  ARGO_CD = 'argocd',
  /**
   * kapp: each component's objects form a change group
   * (`ordered.cdk8s.io/<name>`), upserted after and deleted before the
   * groups of its dependencies (`kapp.k14s.io/change-rule.*`). Its waiters'
   * ServiceAccount, Role and RoleBinding form a group of their own
   * (`ordered.cdk8s.io/support/<name>`), upserted before and deleted after
   * the component's; the scripts ConfigMap is in `ordered.cdk8s.io/scripts`,
   * upserted before every component whose pods mount it.
   *
   * @see https://carvel.dev/kapp/docs/latest/apply-ordering/
   */
  KAPP = 'kapp',
  /**
   * Helm: a Job whose dependencies are all such Jobs (or which has none)
   * becomes a `pre-install,pre-upgrade` hook of weight `2 * depth + 1`, and
   * its waiters' ServiceAccount, Role and RoleBinding hooks of weight
   * `2 * depth`; the scripts ConfigMap its pods mount is a hook of weight -1.
   * Helm runs hooks one after another by weight (hooks of one weight by kind
   * or name, depending on its version) and waits for each Job to complete,
   * so whatever a hook Job needs exists before it, whatever the names. Helm
   * orders nothing else, and a hook cannot wait for the chart's own
   * resources, so every other object stays a plain resource and its init
   * containers do the waiting.
   *
   * @see https://helm.sh/docs/topics/charts_hooks/
   */
  HELM = 'helm',
}

/** What a deploy tool needs to know of one component. @internal */
export interface ComponentPlacement {
  readonly name: string;
  readonly depth: number;
  readonly dependencyNames: string[];
  /** Whether this component is a Job that can be a Helm hook. */
  readonly helmHook: boolean;
  /** Whether it has support objects of its own (its waiters' ServiceAccount, Role and RoleBinding). */
  readonly hasSupport: boolean;
  /** Whether its pods mount the scripts ConfigMap. */
  readonly mountsScripts: boolean;
}

const HELM_HOOK = 'pre-install,pre-upgrade';
const KAPP_GROUP = 'kapp.k14s.io/change-group';

/** The kapp change group of a component's own objects. */
function kappGroup(name: string): string {
  return `${CONDITION_PREFIX}${name}`;
}

/** The kapp change group of a component's support objects (a component name has no '/'). */
function kappSupportGroup(name: string): string {
  return `${CONDITION_PREFIX}support/${name}`;
}

/** The kapp change group of the scripts ConfigMaps. */
const KAPP_SCRIPTS_GROUP = `${CONDITION_PREFIX}scripts`;

function helmHook(weight: number): Record<string, string> {
  return { 'helm.sh/hook': HELM_HOOK, 'helm.sh/hook-weight': String(weight), 'helm.sh/hook-delete-policy': 'before-hook-creation' };
}

/** The annotations `tool` wants on every object of a component (its workload and Services). @internal */
export function deployAnnotations(tool: DeployTool, c: ComponentPlacement): Record<string, string> {
  switch (tool) {
    case DeployTool.ARGO_CD:
      return { 'argocd.argoproj.io/sync-wave': String(c.depth) };
    case DeployTool.KAPP: {
      const a: Record<string, string> = { [KAPP_GROUP]: kappGroup(c.name) };
      c.dependencyNames.forEach((dep, i) => {
        a[`kapp.k14s.io/change-rule.upsert-${i}`] = `upsert after upserting ${kappGroup(dep)}`;
        a[`kapp.k14s.io/change-rule.delete-${i}`] = `delete before deleting ${kappGroup(dep)}`;
      });
      if (c.hasSupport) a['kapp.k14s.io/change-rule.upsert-support'] = `upsert after upserting ${kappSupportGroup(c.name)}`;
      if (c.mountsScripts) a['kapp.k14s.io/change-rule.upsert-scripts'] = `upsert after upserting ${KAPP_SCRIPTS_GROUP}`;
      return a;
    }
    case DeployTool.HELM:
      return c.helmHook ? helmHook(2 * c.depth + 1) : {};
  }
}

/**
 * The annotations `tool` wants on a component's support objects (its
 * waiters' ServiceAccount, Role and RoleBinding): applied strictly before
 * its workload, deleted after it. @internal
 */
export function supportAnnotations(tool: DeployTool, c: ComponentPlacement): Record<string, string> {
  switch (tool) {
    case DeployTool.ARGO_CD:
      // Same wave: Argo CD creates ServiceAccounts and RBAC before workloads of a wave, one kind after another.
      return { 'argocd.argoproj.io/sync-wave': String(c.depth) };
    case DeployTool.KAPP:
      return { [KAPP_GROUP]: kappSupportGroup(c.name), 'kapp.k14s.io/change-rule.delete-0': `delete after deleting ${kappGroup(c.name)}` };
    case DeployTool.HELM:
      return c.helmHook ? helmHook(2 * c.depth) : {};
  }
}

/**
 * The annotations `tool` wants on a scripts ConfigMap: before everything
 * (Argo CD wave -1, kapp's scripts group), and a Helm hook of the lowest
 * weight when a hook Job mounts it (a hook runs before the chart's plain
 * resources exist). @internal
 */
export function scriptsAnnotations(tool: DeployTool, mountedByHook: boolean): Record<string, string> {
  switch (tool) {
    case DeployTool.ARGO_CD:
      return { 'argocd.argoproj.io/sync-wave': '-1' };
    case DeployTool.KAPP:
      return { [KAPP_GROUP]: KAPP_SCRIPTS_GROUP };
    case DeployTool.HELM:
      return mountedByHook ? helmHook(-1) : {};
  }
}
