/**
 * The library under test, as users get it: the jsii output in build/, never
 * lib/*.ts. Types come from lib/ (so the benchmark type-checks without a
 * build); the code that runs is build/. Everything the benchmark takes from
 * the library goes through this file.
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { dirname, join } from 'path';
import type * as Lib from '../lib';
import type * as StatusCli from '../lib/cli/status';
import type * as Contract from '../lib/contract';
import type * as Graph from '../lib/graph';
import type * as Waiters from '../lib/waiters';

/** The repository root: the nearest folder above this file holding package.json and lib/ (the same from bench/ and from its compiled copy). */
export const ROOT = ((): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lib'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
})();

const BUILD = join(ROOT, 'build');

/** A module of build/, by its name there. */
function compiled<T>(module: string): T {
  const file = join(BUILD, `${module}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: compile the library first (npx projen compile)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

/** The public API (build/index.js). */
export function library(): typeof Lib {
  return compiled<typeof Lib>('index');
}

/** The contract of the output (build/contract.js): how the floor finds pod specs and waiter containers. */
export function contract(): typeof Contract {
  return compiled<typeof Contract>('contract');
}

/** The graph algorithms (build/graph.js), for the "graph work alone" measure. */
export function graph(): typeof Graph {
  return compiled<typeof Graph>('graph');
}

/** The `status` command's reading of a cluster (build/cli/status.js), for the status case. */
export function statusCli(): typeof StatusCli {
  return compiled<typeof StatusCli>('cli/status');
}

/** The waiter scripts the benchmark runs. */
export type WaiterKind = 'tcp' | 'http' | 'job';

/**
 * The shell script of one waiter, as the library writes it into the YAML.
 * The only place that knows where the scripts live: when they move, only this
 * changes.
 */
export function waiterScript(kind: WaiterKind): string {
  const w = compiled<typeof Waiters>('waiters');
  switch (kind) {
    case 'tcp': return w.scriptText(w.networkScript(w.NetworkCheck.TCP).file);
    case 'http': return w.scriptText(w.networkScript(w.NetworkCheck.HTTP).file);
    case 'job': return w.scriptText(w.apiScript(w.ApiJudge.JOB).file);
  }
}

/** What was measured: the commit, whether lib/ differs from it, and whether build/ is older than lib/. */
export function libraryVersion(): { commit: string; libChanged: boolean; buildOlderThanLib: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  let commit = 'unknown';
  let libChanged = false;
  try {
    commit = git('rev-parse', '--short=12', 'HEAD');
    libChanged = git('status', '--porcelain', '--', 'lib').length > 0;
  } catch {
    // not a git checkout: leave it unknown
  }
  const newer = execFileSync('find', [join(ROOT, 'lib'), '-type', 'f', '-newer', join(BUILD, 'index.js')], { encoding: 'utf8' }).trim();
  return { commit, libChanged, buildOlderThanLib: newer.length > 0 };
}
