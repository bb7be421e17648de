/**
 * Reading a cluster for `cdk8s-ordered status`: one read-only `kubectl get`
 * of the workloads, their ReplicaSets and Jobs, and their pods. Not part of
 * the jsii API.
 */
import { execFile } from 'child_process';
import { isObject } from '../contract';
import { InputError } from './input';

/** What `status` reads: the workload kinds, the owners between them and their pods, and the pods. */
export const RESOURCES = [
  'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch', 'pods',
] as const;

/** Where and how to run kubectl. */
export interface KubectlTarget {
  /** The kubectl to run: a path, or a name looked up on the PATH. */
  readonly kubectl: string;
  readonly namespace?: string;
  readonly allNamespaces: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  /** kubectl's environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The objects read, and what kubectl said on stderr while it still printed them (e.g. one resource forbidden). */
export interface ClusterRead {
  readonly items: any[];
  readonly warnings: string[];
}

/** The arguments of the one `kubectl get` that `status` runs. */
export function kubectlArgs(t: KubectlTarget): string[] {
  const args = ['get', RESOURCES.join(','), '--output', 'json', '--request-timeout', '30s'];
  if (t.allNamespaces) args.push('--all-namespaces');
  else if (t.namespace !== undefined) args.push('--namespace', t.namespace);
  if (t.context !== undefined) args.push('--context', t.context);
  if (t.kubeconfig !== undefined) args.push('--kubeconfig', t.kubeconfig);
  return args;
}

/** Runs `kubectl get ... -o json`; an InputError says why the cluster could not be read. */
export function readCluster(t: KubectlTarget): Promise<ClusterRead> {
  return new Promise((resolve, reject) => {
    execFile(t.kubectl, kubectlArgs(t), { env: t.env ?? process.env, maxBuffer: 512 * 1024 * 1024, timeout: 90_000 }, (error, stdout, stderr) => {
      const said = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT' || code === 'EACCES') {
        const why = code === 'ENOENT' ? 'not found' : 'not an executable file';
        return reject(new InputError(`cannot run '${t.kubectl}': ${why}; install kubectl, or give its path with --kubectl PATH`));
      }
      let list: unknown;
      try {
        list = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        list = undefined;
      }
      const items = isObject(list) && Array.isArray(list.items) ? list.items.filter(isObject) : undefined;
      if (items && !error) return resolve({ items, warnings: said });
      // kubectl prints what it could list and fails for the rest (e.g. pods forbidden): half a cluster would read as
      // "no pods yet", so a partial read is no read, and says what was missing.
      const errors = said.filter((l) => !/^warning:/i.test(l));
      if (items && items.length > 0 && errors.length > 0) {
        const missing = [...new Set(errors.map(resourceOf).filter((r): r is string => r !== undefined))];
        return reject(new InputError(`kubectl could not read ${missing.length > 0 ? listed(missing) : 'part of the cluster'}, `
          + `so status cannot tell what the app is doing: ${errors.slice(0, 3).join('; ')} (status lists ${listed([...RESOURCES])})`));
      }
      const why = error?.killed ? 'timed out after 90s' : said.slice(0, 3).join('; ') || error?.message || 'no output';
      reject(new InputError(`kubectl could not read the cluster (${['kubectl', ...kubectlArgs(t)].join(' ')}): ${why}`));
    });
  });
}

/** The resource an error line of kubectl names (`pods is forbidden: ...`), as `status` asks for it. */
function resourceOf(line: string): string | undefined {
  const named = /^Error from server \([^)]*\): ([\w.-]+) is forbidden/.exec(line)?.[1]
    ?? /cannot list resource "([^"]+)"/.exec(line)?.[1];
  if (named === undefined) return undefined;
  return RESOURCES.find((r) => r === named || r.split('.')[0] === named.split('.')[0]) ?? named;
}

function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
