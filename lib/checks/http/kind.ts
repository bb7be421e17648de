import { WAITER_ENV } from '../../contract';
import { NetworkCheck, NetworkCheckKind } from '../check';

/**
 * HTTP: a GET of `WAIT_PATH` on `WAIT_HOST`:`WAIT_PORT` answers with one of
 * `WAIT_STATUS` (`check.sh`, after `status_ok` from `status.sh`, which the
 * postStart hold's check shares).
 *
 * What the scripts, a shared waiter's lines and the lint ask of the kind
 * (`lib/checks/index.ts` lists it); nothing of cdk8s, since the command
 * line reads it too. `render.ts` has its factories.
 *
 * @internal
 */

/** The check kind: its shell, its `WAIT_CHECKS` line (`http NAME HOST PORT PATH CODE...`), and its host. */
export const HTTP: NetworkCheckKind = {
  kind: NetworkCheck.HTTP,
  shell: ['status.sh', 'check.sh'],
  shared: {
    take: 'take.sh',
    encode: (env) => [env(WAITER_ENV.HOST), env(WAITER_ENV.PORT), env(WAITER_ENV.PATH), env(WAITER_ENV.STATUS)],
    decode: ([host, port, path, ...status]) => [
      [WAITER_ENV.HOST, host ?? ''], [WAITER_ENV.PORT, port ?? ''], [WAITER_ENV.PATH, path ?? ''], [WAITER_ENV.STATUS, status.join(' ')],
    ],
  },
  hosts: (env) => {
    const host = env(WAITER_ENV.HOST);
    return host ? [{ host, variable: WAITER_ENV.HOST, value: host }] : [];
  },
};
