import { dnsLabel, shortHash } from '../names';
import { isScriptFile, Script, scriptText } from '../waiters';

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

/** The command that runs script `s` in one of our containers: from the mounted folder (`applyScriptFiles` mounts it). */
export function scriptCommand(s: Script): string[] {
  return ['/bin/sh', `${SCRIPTS_FOLDER}/${s.file}`];
}

/**
 * The exec command of a hook that runs script `s` in an app container, which
 * has neither our scripts volume nor environment of ours: the script's text
 * inline, as `sh -c TEXT NAME ARGS...`, where NAME (`$0`) is the file's name
 * without `.sh` and the values the hook varies by are its positional
 * parameters (`$1`...), never part of the text. The kubelet runs a hook's
 * command as written (it expands `$(VAR)` in a container's command and args,
 * not in a lifecycle hook's), so `args` reach the script verbatim.
 */
export function hookCommand(s: Script, args: readonly string[]): string[] {
  return ['/bin/sh', '-c', scriptText(s.file), s.file.replace(/\.sh$/, ''), ...args];
}

/** The scripts one pod uses, and its volume (whose ConfigMap is named once the whole chart is planned). */
export interface PodScripts {
  /** File name -> script. */
  readonly files: Map<string, string>;
  readonly volume: { name: string; configMap: { name: string } };
}

/**
 * Mounts the scripts into each of our containers that runs one
 * (`scriptCommand`, what the pod features write), and adds the volume; the
 * scripts are those the commands name, taken by name. Returns undefined when
 * the pod runs none.
 */
export function applyScriptFiles(spec: any): PodScripts | undefined {
  const files = new Map<string, string>();
  for (const c of [...spec.initContainers ?? [], ...spec.containers ?? []]) {
    const file = scriptRun(c);
    if (!file) continue;
    files.set(file, scriptText(file));
    (c.volumeMounts ??= []).push({ name: SCRIPTS_VOLUME, mountPath: SCRIPTS_FOLDER, readOnly: true });
  }
  if (files.size === 0) return undefined;
  const volume = { name: SCRIPTS_VOLUME, configMap: { name: '' } };
  (spec.volumes ??= []).push(volume);
  return { files, volume };
}

/**
 * The file of ours container `c` runs (`scriptCommand`); undefined for any
 * other command, and for a container that mounts something of its own where
 * ours go.
 */
function scriptRun(c: any): string | undefined {
  const command = c.command;
  const prefix = `${SCRIPTS_FOLDER}/`;
  if (!Array.isArray(command) || command.length !== 2 || command[0] !== '/bin/sh' || typeof command[1] !== 'string' || !command[1].startsWith(prefix)) {
    return undefined;
  }
  const file = command[1].slice(prefix.length);
  if (!isScriptFile(file) || (c.volumeMounts ?? []).some((m: any) => m.mountPath === SCRIPTS_FOLDER)) return undefined;
  return file;
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
