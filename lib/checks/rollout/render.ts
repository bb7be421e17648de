import { ROLLOUT_KINDS } from '../../contract';
import { checkOneOf } from '../../validation';
import type { ObjectCheckOptions } from '../api';
import { apiEnv, checkName, checkNamespaceOption, namespaceOf, nsSuffix } from '../api';
import { ApiJudge, CheckMode, CheckSpec } from '../check';

/**
 * The rollout of a Deployment, StatefulSet or DaemonSet is complete
 * (`judge.sh`). The body of `WaitFor.rolloutComplete`; `kind` is a
 * `RolloutKind` (whose values are `ROLLOUT_KINDS`).
 *
 * @internal
 */
export function rolloutCheck(kind: string, name: string, options: ObjectCheckOptions): CheckSpec {
  checkOneOf('WaitFor.rolloutComplete', 'kind', kind, ROLLOUT_KINDS, 'give RolloutKind.DEPLOYMENT, STATEFUL_SET or DAEMON_SET');
  checkName('rolloutComplete', name);
  checkNamespaceOption('rolloutComplete', options);
  const resource = `${kind.toLowerCase()}s`;
  return {
    key: ['rollout', kind, name, options.namespace ?? null],
    render: (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: name,
        description: `rollout of ${kind.toLowerCase()} ${name}${nsSuffix(options.namespace)}`,
        mode: CheckMode.API,
        judge: ApiJudge.ROLLOUT,
        env: apiEnv(`${resource}.apps`, ns, '--field-selector', `metadata.name=${name}`),
        permission: { apiGroup: 'apps', resource, namespace: ns, resourceName: name },
      };
    },
  };
}
