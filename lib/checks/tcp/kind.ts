import { WAITER_ENV } from '../../contract';
import { CheckHost, NetworkCheck, NetworkCheckKind } from '../check';

/**
 * TCP: every `host:port` in `WAIT_ADDRESSES` accepts a connection
 * (`check.sh`). `WaitFor.tcp` and `WaitFor.serviceReady` are this check.
 *
 * What the scripts, a shared waiter's lines and the lint ask of the kind
 * (`lib/checks/index.ts` lists it); nothing of cdk8s, since the command
 * line reads it too. `render.ts` has its factories.
 *
 * @internal
 */

/** The check kind: its shell, its `WAIT_CHECKS` line (`tcp NAME HOST:PORT...`), and its hosts. */
export const TCP: NetworkCheckKind = {
  kind: NetworkCheck.TCP,
  shell: ['check.sh'],
  shared: {
    take: 'take.sh',
    encode: (env) => [env(WAITER_ENV.ADDRESSES)],
    decode: (words) => [[WAITER_ENV.ADDRESSES, words.join(' ')]],
  },
  hosts: (env) => (env(WAITER_ENV.ADDRESSES) ?? '').split(/\s+/).filter(Boolean)
    .map((a): CheckHost => ({ host: a.replace(/:\d+$/, ''), variable: WAITER_ENV.ADDRESSES, value: a })),
};
