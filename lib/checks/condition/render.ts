import { WAITER_ENV } from '../../contract';
import { checkConditionStatus, checkConditionType } from '../../validation';
import { ObjectCheckOptions, apiEnv, checkName, namespaceOf, nsSuffix, objectKind, qualified } from '../api';
import { ApiJudge, CheckMode, CheckSpec } from '../check';

/**
 * Options for `WaitFor.condition`.
 */
export interface ConditionCheckOptions extends ObjectCheckOptions {
  /** API version of the object, e.g. `cert-manager.io/v1`. */
  readonly apiVersion: string;
  /** Kind of the object, e.g. `Certificate`. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /** The condition type, e.g. `Ready`. */
  readonly condition: string;
  /**
   * The condition status that counts as met.
   *
   * @default 'True'
   */
  readonly status?: string;
  /**
   * The plural resource name, for kinds whose plural is not regular.
   *
   * @default - the kind in lower case, made plural (`Certificate` -> `certificates`)
   */
  readonly resource?: string;
}

/**
 * A status condition of any object is met (`judge.sh`). The body of
 * `WaitFor.condition`.
 *
 * @internal
 */
export function conditionCheck(options: ConditionCheckOptions): CheckSpec {
  checkName('condition', options.name);
  const status = options.status ?? 'True';
  const { group, resource } = objectKind('condition', options);
  checkConditionType('WaitFor.condition', 'condition', options.condition);
  checkConditionStatus('WaitFor.condition', 'status', status);
  return {
    key: ['condition', group, resource, options.name, options.condition, status, options.namespace ?? null],
    render: (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: `${options.kind.toLowerCase()}-${options.name}`,
        description: `${options.kind} ${options.name}${nsSuffix(options.namespace)} ${options.condition}=${status}`,
        mode: CheckMode.API,
        judge: ApiJudge.CONDITION,
        env: apiEnv(qualified(resource, group), ns, '--field-selector', `metadata.name=${options.name}`)
          .concat([[WAITER_ENV.CONDITION, options.condition], [WAITER_ENV.STATUS, status]]),
        permission: { apiGroup: group, resource, namespace: ns, resourceName: options.name },
      };
    },
  };
}
