import { ObjectCheckOptions, apiEnv, checkName, namespaceOf, nsSuffix, objectKind, qualified } from '../api';
import { ApiJudge, CheckMode, CheckSpec } from '../check';

/**
 * Options for `WaitFor.exists`.
 */
export interface ExistsCheckOptions extends ObjectCheckOptions {
  /** API version of the object, e.g. `v1`. */
  readonly apiVersion: string;
  /** Kind of the object, e.g. `ConfigMap`. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /**
   * The plural resource name, for kinds whose plural is not regular.
   *
   * @default - the kind in lower case, made plural
   */
  readonly resource?: string;
}

/**
 * An object of any kind exists and is not being deleted (`judge.sh`). The
 * body of `WaitFor.exists` (and so of `WaitFor.secret`).
 *
 * @internal
 */
export function existsCheck(options: ExistsCheckOptions): CheckSpec {
  checkName('exists', options.name);
  const { group, resource } = objectKind('exists', options);
  return {
    key: ['exists', group, resource, options.kind, options.name, options.namespace ?? null],
    render: (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: `${options.kind.toLowerCase()}-${options.name}`,
        description: `${options.kind} ${options.name}${nsSuffix(options.namespace)} exists`,
        mode: CheckMode.API,
        judge: ApiJudge.EXISTS,
        env: apiEnv(qualified(resource, group), ns, '--field-selector', `metadata.name=${options.name}`),
        permission: { apiGroup: group, resource, namespace: ns, resourceName: options.name },
      };
    },
  };
}
