import { WAITER_ENV } from '../../contract';
import { checkConditionStatus, checkConditionType } from '../../validation';
import type { ConditionCheckOptions } from '../../wait-for';
import { apiEnv, checkName, namespaceOf, nsSuffix, objectKind, qualified } from '../api';
import { ApiJudge, CheckMode, CheckSpec } from '../check';

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
