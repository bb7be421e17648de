import { fresh } from './names';
import { checkCommand, checkHttpPath, checkPort } from './validation';

/**
 * Options for `LifecycleAction.httpGet`.
 */
export interface HttpGetActionOptions {
  /** The container port to call. */
  readonly port: number;
}

/**
 * Something a container does right after it starts (`postStart`).
 *
 * Kubernetes runs a `postStart` hook right after creating the container and
 * does not start the pod's next container until the hook has returned, so a
 * hook can also hold the next container back.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class LifecycleAction {
  /**
   * Run `command` in the container (no shell unless you call one).
   *
   * @example LifecycleAction.command(['/app/warm-cache'])
   */
  public static command(command: string[]): LifecycleAction {
    checkCommand('LifecycleAction.command', 'command', command, "give the program to run, such as ['/app/warm-cache']");
    return new LifecycleAction({ exec: { command: [...command] } });
  }

  /**
   * Call `path` on the container's own `port` with an HTTP GET.
   *
   * @example LifecycleAction.httpGet('/warm', { port: 8080 })
   */
  public static httpGet(path: string, options: HttpGetActionOptions): LifecycleAction {
    checkHttpPath('LifecycleAction.httpGet', 'path', path);
    checkPort('LifecycleAction.httpGet', 'port', options.port, "give the container's port, such as 8080");
    return new LifecycleAction({ httpGet: { path, port: options.port } });
  }

  private constructor(private readonly handler: any) {}

  /** @internal */
  public _render(): any {
    return fresh(this.handler);
  }
}
