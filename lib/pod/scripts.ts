import { dnsLabel, shortHash } from '../names';
import { scriptFileOf } from '../waiters';

/**
 * Scripts written once: the shell that waiters, gate keepers and the
 * shutdown container run lives in one ConfigMap per chart and namespace,
 * mounted read-only into each of them, rather than inline in every
 * container's command (where it made up most of the YAML).
 *
 * The ConfigMap's name ends in a hash of its content, so a library upgrade
 * that changes a script makes new pods (a changed pod template) that mount
 * the new one, while pods still running keep theirs; it is immutable, so the
 * kubelet does not watch it. A pod created before its ConfigMap exists waits
 * in ContainerCreating until it does; nothing restarts.
 *
 * @internal
 */

/** The pod volume the scripts are mounted from. */
export const SCRIPTS_VOLUME = 'ordered-scripts';
/** Where they are mounted in our containers. */
export const SCRIPTS_FOLDER = '/ordered';

/** The scripts one pod uses, and its volume (whose ConfigMap is named once the whole chart is planned). */
export interface PodScripts {
  /** File name -> script. */
  readonly files: Map<string, string>;
  readonly volume: { name: string; configMap: { name: string } };
}

/**
 * Turns each of our containers that runs a library script inline
 * (`[shell, -c, SCRIPT]`, what the pod features write) into one that runs it
 * from the mounted file (`[shell, /ordered/FILE]`), and adds the volume.
 * The placeholder `$0` a command check passes with `-c` goes too. Returns
 * undefined when the pod runs none.
 */
export function applyScriptFiles(spec: any): PodScripts | undefined {
  const files = new Map<string, string>();
  for (const c of [...spec.initContainers ?? [], ...spec.containers ?? []]) {
    const command = c.command;
    if (!Array.isArray(command) || command.length !== 3 || command[1] !== '-c') continue;
    const file = scriptFileOf(command[2]);
    if (!file) continue;
    files.set(file, command[2]);
    c.command = [command[0], `${SCRIPTS_FOLDER}/${file}`];
    if (Array.isArray(c.args)) c.args = c.args.slice(1);
    (c.volumeMounts ??= []).push({ name: SCRIPTS_VOLUME, mountPath: SCRIPTS_FOLDER, readOnly: true });
  }
  if (files.size === 0) return undefined;
  const volume = { name: SCRIPTS_VOLUME, configMap: { name: '' } };
  (spec.volumes ??= []).push(volume);
  return { files, volume };
}

/**
 * The scripts of the pods of one chart and namespace, gathered as each pod is
 * planned: one map of files for them all, and each pod's volume, whose
 * ConfigMap is named once they are all in.
 */
export class ScriptsGroup {
  private readonly files = new Map<string, string>();
  private readonly volumes: Array<PodScripts['volume']> = [];

  /** Adds a pod's scripts (`applyScriptFiles`). */
  public add(pod: PodScripts): void {
    for (const [f, text] of pod.files) this.files.set(f, text);
    this.volumes.push(pod.volume);
  }

  /**
   * The ConfigMap of the scripts, named after the chart and a hash of its
   * content; the name is given to every pod's volume.
   */
  public configMap(chartPath: string, namespace: string | undefined): any {
    const data = Object.fromEntries([...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const name = `${dnsLabel('', `${chartPath}-ordered`)}-${shortHash(JSON.stringify(data))}`;
    for (const v of this.volumes) v.configMap.name = name;
    const metadata: any = { name };
    if (namespace !== undefined) metadata.namespace = namespace;
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata, immutable: true, data };
  }
}
