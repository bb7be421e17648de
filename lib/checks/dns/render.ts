import { WAITER_ENV } from '../../contract';
import { checkHost } from '../../validation';
import { CheckMode, CheckSpec, NetworkCheck } from '../check';

/**
 * DNS: `WAIT_HOST` resolves, through `WAIT_DNS_SERVER` if set (`check.sh`).
 *
 * The bodies of its `WaitFor` factories: they check their arguments
 * (`lib/validation.ts`) and render the check's environment. `kind.ts` has
 * its shell, its line and its hosts.
 *
 * @internal
 */

/** `WaitFor.dns`: `host` resolves. */
export function dnsCheck(host: string): CheckSpec {
  checkHost('WaitFor.dns', 'host', host);
  return {
    key: ['dns', host],
    render: () => ({
      slug: `dns-${host}`,
      description: `dns ${host}`,
      mode: CheckMode.NETWORK,
      network: NetworkCheck.DNS,
      env: [[WAITER_ENV.HOST, host]],
    }),
  };
}
