import { WAITER_ENV } from '../contract';
import { checkApiVersion, checkKind, checkNamespace, checkObjectName, checkResource } from '../validation';
import { CheckContext } from './check';

/**
 * What the API checks (`lib/checks/<judge>/render.ts`) share: the
 * environment of a watch, the namespace it looks in, and the grammar of an
 * object's name, kind and namespace.
 *
 * @internal
 */

/**
 * Options shared by checks that look at a Kubernetes object.
 */
export interface ObjectCheckOptions {
  /**
   * The namespace of the object.
   *
   * @default - the namespace of the waiting workload (its chart's namespace)
   */
  readonly namespace?: string;
}

/** A watch's environment: what kubectl lists and watches, where, and by which selector. */
export function apiEnv(resource: string, namespace: string | undefined, flag: string, selector: string): Array<[string, string]> {
  return [
    [WAITER_ENV.RESOURCE, resource],
    [WAITER_ENV.NAMESPACE, namespace ?? '$(POD_NAMESPACE)'],
    [WAITER_ENV.SELECTOR_FLAG, flag],
    [WAITER_ENV.SELECTOR, selector],
  ];
}

/**
 * The namespace an API check looks in. Without an explicit one, the waiter
 * looks in its own namespace: rendered as the downward-API value so that YAML
 * applied with `kubectl apply -n X` still works.
 */
export function namespaceOf(explicit: string | undefined, ctx: CheckContext): string | undefined {
  return explicit ?? ctx.namespace;
}

export function nsSuffix(ns: string | undefined): string {
  return ns ? ` in namespace ${ns}` : '';
}

/** The API group and plural resource of an object check, each checked against Kubernetes' grammar. */
export function objectKind(factory: string, options: { apiVersion: string; kind: string; resource?: string; namespace?: string }) {
  const where = `WaitFor.${factory}`;
  const { group } = checkApiVersion(where, 'apiVersion', options.apiVersion);
  checkKind(where, 'kind', options.kind);
  const resource = options.resource ?? pluralOf(options.kind);
  checkResource(where, options.resource === undefined ? `resource (the plural of kind '${options.kind}')` : 'resource', resource);
  checkNamespaceOption(factory, options);
  return { group, resource };
}

export function checkNamespaceOption(factory: string, options: { namespace?: string }) {
  if (options.namespace !== undefined) checkNamespace(`WaitFor.${factory}`, 'namespace', options.namespace);
}

export function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** Lower-case plural of a kind, as Kubernetes' RESTMapper guesses it. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s') || k.endsWith('x') || k.endsWith('ch') || k.endsWith('sh')) return `${k}es`;
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

export function checkName(factory: string, name: string) {
  checkObjectName(`WaitFor.${factory}`, 'name', name);
}
