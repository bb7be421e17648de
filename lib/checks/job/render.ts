import type { ObjectCheckOptions } from '../api';
import { apiEnv, checkName, checkNamespaceOption, namespaceOf, nsSuffix } from '../api';
import { ApiJudge, CheckMode, CheckSpec } from '../check';

/**
 * A Job completes (`judge.sh`; a failed Job fails the waiter). The bodies of
 * `WaitFor.jobComplete` and `WaitFor._jobComplete`.
 *
 * @internal
 */

/** `WaitFor.jobComplete`: the Job `name`, checked. */
export function jobCompleteCheck(name: string, options: ObjectCheckOptions): CheckSpec {
  checkName('jobComplete', name);
  checkNamespaceOption('jobComplete', options);
  return jobCheck(name, options);
}

/**
 * A Job read at synth (a versioned Job's name carries a hash of its spec,
 * and its waiters' Role is named after its rules).
 */
export function jobCheck(n: string, options: ObjectCheckOptions = {}, versioned = false): CheckSpec {
  return {
    key: ['job', n, options.namespace ?? null],
    render: (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: n,
        description: `job ${n}${nsSuffix(options.namespace)} complete`,
        mode: CheckMode.API,
        judge: ApiJudge.JOB,
        env: apiEnv('jobs.batch', ns, '--field-selector', `metadata.name=${n}`),
        permission: { apiGroup: 'batch', resource: 'jobs', namespace: ns, resourceName: n, ...(versioned ? { versioned } : {}) },
      };
    },
  };
}
