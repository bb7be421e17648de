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
   * graph (0 for components without dependencies), on all of its objects.
   *
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
   */
  ARGO_CD = 'argocd',
  /**
   * kapp: each component's objects form a change group
   * (`ordered.cdk8s.io/<name>`), upserted after and deleted before the
   * groups of its dependencies (`kapp.k14s.io/change-rule.*`).
   *
   * @see https://carvel.dev/kapp/docs/latest/apply-ordering/
   */
  KAPP = 'kapp',
  /**
   * Helm: a Job whose dependencies are all such Jobs (or which has none)
   * becomes a `pre-install,pre-upgrade` hook weighted by its depth, with its
   * waiters' ServiceAccount, Role and RoleBinding (Helm installs hooks of one
   * weight in kind order, so those come first). Helm
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
}

/** The annotations `tool` wants on every object of a component. @internal */
export function deployAnnotations(tool: DeployTool, c: ComponentPlacement): Record<string, string> {
  switch (tool) {
    case DeployTool.ARGO_CD:
      return { 'argocd.argoproj.io/sync-wave': String(c.depth) };
    case DeployTool.KAPP: {
      const a: Record<string, string> = { 'kapp.k14s.io/change-group': `ordered.cdk8s.io/${c.name}` };
      c.dependencyNames.forEach((dep, i) => {
        a[`kapp.k14s.io/change-rule.upsert-${i}`] = `upsert after upserting ordered.cdk8s.io/${dep}`;
        a[`kapp.k14s.io/change-rule.delete-${i}`] = `delete before deleting ordered.cdk8s.io/${dep}`;
      });
      return a;
    }
    case DeployTool.HELM:
      if (!c.helmHook) return {};
      return {
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-weight': String(c.depth),
        'helm.sh/hook-delete-policy': 'before-hook-creation',
      };
  }
}
