import { checkCommand, checkImage } from '../../validation';
import { CheckMode, CheckSpec, NetworkCheck } from '../check';

/**
 * A user command, run in a user image until it exits 0 (`check.sh`): the
 * command is the script's arguments, not its environment, so it has no
 * `WAIT_CHECKS` line and never shares a waiter.
 *
 * The bodies of its `WaitFor` factories: they check their arguments
 * (`lib/validation.ts`) and render the check's environment. `kind.ts` has
 * its shell, its line and its hosts.
 *
 * @internal
 */

/** `WaitFor.command`: `command` in `image` exits 0. */
export function commandCheck(image: string, command: string[]): CheckSpec {
  checkImage('WaitFor.command', 'image', image, "give the image that holds your probe, such as 'postgres:16', better pinned by digest");
  checkCommand('WaitFor.command', 'command', command, "give the probe to run, such as ['pg_isready', '-h', 'db']");
  const base = command[0].split('/').pop() ?? 'command';
  return {
    key: ['command', image, ...command],
    render: () => ({
      slug: base,
      description: `command ${command.join(' ')}`,
      mode: CheckMode.COMMAND,
      network: NetworkCheck.COMMAND,
      env: [],
      image,
      args: command,
    }),
  };
}
