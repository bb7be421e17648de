import { WAITER_ENV } from '../../contract';
import { NetworkCheck, NetworkCheckKind } from '../check';

/**
 * DNS: `WAIT_HOST` resolves, through `WAIT_DNS_SERVER` if set (`check.sh`).
 *
 * What the scripts, a shared waiter's lines and the lint ask of the kind
 * (`lib/checks/index.ts` lists it); nothing of cdk8s, since the command
 * line reads it too. `render.ts` has its factories.
 *
 * @internal
 */

/** The check kind: its shell, its `WAIT_CHECKS` line (`dns NAME HOST [SERVER]`), and its host. */
export const DNS: NetworkCheckKind = {
  kind: NetworkCheck.DNS,
  shell: ['check.sh'],
  shared: {
    take: 'take.sh',
    encode: (env) => [env(WAITER_ENV.HOST), env(WAITER_ENV.DNS_SERVER)],
    decode: ([host, server]) => [[WAITER_ENV.HOST, host ?? ''], [WAITER_ENV.DNS_SERVER, server ?? '']],
  },
  hosts: (env) => {
    const host = env(WAITER_ENV.HOST);
    return host ? [{ host, variable: WAITER_ENV.HOST, value: host }] : [];
  },
};
