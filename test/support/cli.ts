import { join } from 'path';
import { main } from '../../lib/cli/main';

/** The repository's root: the CLI runs from there, as a user would in a checkout. */
export const root = join(__dirname, '..', '..');
/** The CLI's YAML fixtures. */
export const F = 'test/fixtures/cli';
/** The main example's committed YAML. */
export const DB_API = 'examples/db-api/dist/shop.k8s.yaml';

/** Runs the CLI in-process, from the repository root, as a user would type `argv`. */
export async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

/** ORD002's reason and fix, for a waiter image of repository `repo`: pin it by digest. */
export const pinFix = (repo: string) => `so a node may pull a different waiter than you tested. Fix: pin it by digest, e.g. ${repo}:<version>@sha256:<digest> `
  + '(OrderedApp waiterImage / kubectlImage, or the image of WaitFor.command)';
/** ORD001's reason and fix, for a workload whose containers have a startupProbe and no readinessProbe. */
export const STARTUP_PROBE = 'but no container has a readinessProbe, so its pods count as Ready (and its Service routes to them) '
  + 'once their startupProbe first passes, and stay Ready when they stop serving. Fix: add a readinessProbe to its main container';
