import { WAITER_ENV } from '../../contract';
import { checkHttpStatusCodes, checkHttpUrl } from '../../validation';
import { CheckMode, CheckSpec, NetworkCheck } from '../check';

/**
 * Options for `WaitFor.http`.
 */
export interface HttpCheckOptions {
  /**
   * HTTP status codes that count as ready.
   *
   * @default - any status from 200 to 399, as a Kubernetes httpGet probe
   */
  readonly statusCodes?: number[];
}

/**
 * HTTP: a GET of `WAIT_PATH` on `WAIT_HOST`:`WAIT_PORT` answers with one of
 * `WAIT_STATUS` (`check.sh`, after `status_ok` from `status.sh`, which the
 * postStart hold's check shares).
 *
 * The bodies of its `WaitFor` factories: they check their arguments
 * (`lib/validation.ts`) and render the check's environment. `kind.ts` has
 * its shell, its line and its hosts.
 *
 * @internal
 */

/** `WaitFor.http`: a GET of `url` answers with one of `statusCodes` (default 200-399). */
export function httpCheck(url: string, statusCodes?: number[]): CheckSpec {
  const { host, port, target: path } = checkHttpUrl('WaitFor.http', 'url', url);
  if (statusCodes !== undefined) checkHttpStatusCodes('WaitFor.http', 'statusCodes', statusCodes);
  const status = statusCodes ? statusCodes.join(' ') : '200-399';
  return {
    key: ['http', url, status],
    render: () => ({
      slug: `${host}-${port}`,
      description: `http ${url}`,
      mode: CheckMode.NETWORK,
      network: NetworkCheck.HTTP,
      env: [[WAITER_ENV.HOST, host], [WAITER_ENV.PORT, String(port)], [WAITER_ENV.PATH, path], [WAITER_ENV.STATUS, status]],
    }),
  };
}
