import { WAITER_ENV } from '../../contract';
import { checkLabelSelector, checkWholeNumber } from '../../validation';
import { ObjectCheckOptions, apiEnv, checkNamespaceOption, namespaceOf, nsSuffix } from '../api';
import { ApiJudge, CheckMode, CheckSpec } from '../check';

/**
 * Options for `WaitFor.podsReady`.
 */
export interface PodsReadyOptions extends ObjectCheckOptions {
  /**
   * Labels the pods must carry (all of them).
   */
  readonly labels: { [key: string]: string };

  /**
   * How many distinct pods must be Ready.
   *
   * @default 1
   */
  readonly minReady?: number;
}

/**
 * Pods Ready: at least `WAIT_MIN_READY` pods matching a label selector are
 * Ready (`judge.sh`). The body of `WaitFor.podsReady`.
 *
 * @internal
 */
export function podsReadyCheck(options: PodsReadyOptions): CheckSpec {
  checkLabelSelector('WaitFor.podsReady', 'labels', options.labels);
  const keys = Object.keys(options.labels).sort();
  checkNamespaceOption('podsReady', options);
  const minReady = options.minReady ?? 1;
  checkWholeNumber('WaitFor.podsReady', 'minReady', minReady, 1, 'give how many pods must be Ready, such as 1');
  const selector = keys.map((k) => `${k}=${options.labels[k]}`).join(',');
  return {
    key: ['pods', selector, minReady, options.namespace ?? null],
    render: (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: `pods-${keys.map((k) => options.labels[k]).join('-')}`,
        description: `${minReady} Ready pod(s) -l ${selector}${nsSuffix(options.namespace)}`,
        mode: CheckMode.API,
        judge: ApiJudge.PODS,
        env: apiEnv('pods', ns, '-l', selector)
          .concat([[WAITER_ENV.MIN_READY, String(minReady)]]),
        permission: { apiGroup: '', resource: 'pods', namespace: ns },
      };
    },
  };
}
