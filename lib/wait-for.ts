import { IConstruct } from 'constructs';
import type { ObjectCheckOptions } from './checks/api';
import { CheckContext, CheckSpec, RenderedCheck } from './checks/check';
import { commandCheck } from './checks/command/render';
import { conditionCheck } from './checks/condition/render';
import type { ConditionCheckOptions } from './checks/condition/render';
import { dnsCheck } from './checks/dns/render';
import { existsCheck } from './checks/exists/render';
import type { ExistsCheckOptions } from './checks/exists/render';
import { httpCheck } from './checks/http/render';
import type { HttpCheckOptions } from './checks/http/render';
import { jobCheck, jobCompleteCheck } from './checks/job/render';
import { podsReadyCheck } from './checks/pods/render';
import type { PodsReadyOptions } from './checks/pods/render';
import { rolloutCheck } from './checks/rollout/render';
import { serviceCheck, serviceReadyCheck, tcpCheck } from './checks/tcp/render';
import { stableJson } from './names';
import { invalid } from './validation';
import { ServiceFacts } from './workload';

// What every check is made of, where the checks' folders (lib/checks/) can import it without importing this.
export { CheckMode } from './checks/check';
export type { ApiPermission, CheckContext, RenderedCheck } from './checks/check';

/**
 * Workload kinds whose rollout can be awaited.
 */
export enum RolloutKind {
  /** apps/v1 Deployment */
  DEPLOYMENT = 'Deployment',
  /** apps/v1 StatefulSet */
  STATEFUL_SET = 'StatefulSet',
  /** apps/v1 DaemonSet */
  DAEMON_SET = 'DaemonSet',
}

/**
 * How a waiter decides that something is ready.
 *
 * Network checks (`tcp`, `http`, `dns`, `serviceReady`) run in a small
 * image and need no access to the Kubernetes API. Object checks
 * (`jobComplete`, `podsReady`, `rolloutComplete`, `condition`, `exists`,
 * `secret`) watch the API with `kubectl` and get least-privilege RBAC
 * generated for them. `command` runs your own probe.
 */
export class WaitFor {
  /**
   * A TCP connection to `host:port` succeeds.
   *
   * @example WaitFor.tcp('db', 5432)
   */
  public static tcp(host: string, port: number): WaitFor {
    return new WaitFor(tcpCheck(host, port));
  }

  /**
   * An HTTP GET of `url` answers with an expected status code.
   *
   * Plain `http://` only (the check speaks HTTP/1.0 over `nc` so that it runs
   * in busybox); for TLS endpoints use `tcp` or `command`.
   *
   * @example WaitFor.http('http://api:8080/healthz', { statusCodes: [200] })
   */
  public static http(url: string, options: HttpCheckOptions = {}): WaitFor {
    return new WaitFor(httpCheck(url, options.statusCodes));
  }

  /**
   * `host` resolves in DNS.
   *
   * @example WaitFor.dns('db.shop.svc.cluster.local')
   */
  public static dns(host: string): WaitFor {
    return new WaitFor(dnsCheck(host));
  }

  /**
   * A TCP connection to every port of `service` succeeds.
   *
   * A ClusterIP Service routes only to Ready endpoints, so this passes once a
   * backing pod is Ready and listening: no API access, no RBAC.
   *
   * @example WaitFor.serviceReady(dbService)
   */
  public static serviceReady(service: IConstruct): WaitFor {
    return new WaitFor(serviceReadyCheck(service));
  }

  /**
   * `serviceReady` for a Service read at synth.
   *
   * @internal
   */
  public static _forService(service: ServiceFacts): WaitFor {
    return new WaitFor(serviceCheck(service));
  }

  /**
   * At least `minReady` pods carrying `labels` are Ready (API watch).
   *
   * @example WaitFor.podsReady({ labels: { app: 'db' } })
   */
  public static podsReady(options: PodsReadyOptions): WaitFor {
    return new WaitFor(podsReadyCheck(options));
  }

  /**
   * The Job `name` has completed (condition Complete=True). A failed Job
   * (Failed=True) fails the waiter instead of waiting forever.
   *
   * @example WaitFor.jobComplete('migrate')
   */
  public static jobComplete(name: string, options: ObjectCheckOptions = {}): WaitFor {
    return new WaitFor(jobCompleteCheck(name, options));
  }

  /**
   * `jobComplete` for a Job read at synth (a versioned Job's name carries a
   * hash of its spec, and its waiters' Role is named after its rules).
   *
   * @internal
   */
  public static _jobComplete(n: string, options: ObjectCheckOptions = {}, versioned = false): WaitFor {
    return new WaitFor(jobCheck(n, options, versioned));
  }

  /**
   * The rollout of a Deployment, StatefulSet or DaemonSet is complete: the
   * controller has seen the latest spec and every replica is updated and
   * available.
   *
   * @example WaitFor.rolloutComplete(RolloutKind.DEPLOYMENT, 'api')
   */
  public static rolloutComplete(kind: RolloutKind, name: string, options: ObjectCheckOptions = {}): WaitFor {
    return new WaitFor(rolloutCheck(kind, name, options));
  }

  /**
   * A status condition of any object is met, e.g. a cert-manager
   * Certificate's `Ready`.
   *
   * @example WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'api-tls', condition: 'Ready' })
   */
  public static condition(options: ConditionCheckOptions): WaitFor {
    return new WaitFor(conditionCheck(options));
  }

  /**
   * An object exists (of any kind).
   *
   * @example WaitFor.exists({ apiVersion: 'v1', kind: 'ConfigMap', name: 'feature-flags' })
   */
  public static exists(options: ExistsCheckOptions): WaitFor {
    return new WaitFor(existsCheck(options));
  }

  /**
   * The Secret `name` exists, e.g. one that cert-manager or an external
   * secrets operator creates.
   *
   * @example WaitFor.secret('api-tls')
   */
  public static secret(name: string, options: ObjectCheckOptions = {}): WaitFor {
    return WaitFor.exists({ apiVersion: 'v1', kind: 'Secret', name, namespace: options.namespace });
  }

  /**
   * Your own probe: `command` runs in `image` once a second until it exits 0.
   *
   * The image needs a POSIX `sh`, `date` and `sleep` (the loop around your
   * command is shell).
   *
   * @example WaitFor.command('postgres:16', ['pg_isready', '-h', 'db'])
   */
  public static command(image: string, command: string[]): WaitFor {
    return new WaitFor(commandCheck(image, command));
  }

  /**
   * What the check is, as a value: two checks made alike are equal.
   *
   * @internal
   */
  public readonly _key: string;

  /**
   * Whether it runs a user command (which a readiness gate cannot).
   *
   * @internal
   */
  public readonly _isCommand: boolean;

  private constructor(private readonly spec: CheckSpec) {
    this._key = stableJson(spec.key);
    this._isCommand = spec.key[0] === 'command';
  }

  /** @internal */
  public _render(ctx: CheckContext): RenderedCheck {
    return this.spec.render(ctx);
  }
}

/**
 * A check given as an argument or option: a value made by a `WaitFor`
 * factory (what a jsii language's type system may not hold to). @internal
 */
export function checkCheck(path: string, what: string, check: WaitFor): void {
  if (!(check instanceof WaitFor)) {
    throw invalid(path, what, check, 'is not a WaitFor', "make one with a WaitFor factory, such as WaitFor.tcp('db', 5432)");
  }
}
