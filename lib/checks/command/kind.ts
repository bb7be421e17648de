import { NetworkCheck, NetworkCheckKind } from '../check';

/**
 * A user command, run in a user image until it exits 0 (`check.sh`): the
 * command is the script's arguments, not its environment, so it has no
 * `WAIT_CHECKS` line and never shares a waiter.
 *
 * What the scripts, a shared waiter's lines and the lint ask of the kind
 * (`lib/checks/index.ts` lists it); nothing of cdk8s, since the command
 * line reads it too. `render.ts` has its factories.
 *
 * @internal
 */

/** The check kind: its shell alone. */
export const COMMAND: NetworkCheckKind = {
  kind: NetworkCheck.COMMAND,
  shell: ['check.sh'],
};
