import { IConstruct } from 'constructs';
import { CheckContext, CheckMode, CheckSpec, RenderedCheck } from './checks/check';
import { commandCheck } from './checks/command/render';
import { dnsCheck } from './checks/dns/render';
import { httpCheck } from './checks/http/render';
import { serviceCheck, serviceReadyCheck, tcpCheck } from './checks/tcp/render';
import { WAITER_ENV } from './contract';
import { stableJson } from './names';
import {
  checkApiVersion, checkConditionStatus, checkConditionType, checkKind, checkLabelSelector, checkNamespace, checkObjectName, checkOneOf,
  checkResource, checkWholeNumber,
} from './validation';
import { ApiJudge } from './waiters';
import { ServiceFacts } from './workload';

// What every check is made of, where the network checks' folders can import it too.
export { CheckMode } from './checks/check';
export type { ApiPermission, CheckContext, RenderedCheck } from './checks/check';

/**
 * Options shared by checks that look at a Kubernetes object.
 */
export interface ObjectCheckOptions {
  /**
   * The namespace of the object.
   *
   * @default - the namespace of the waiting workload (its chart's namespace)
   */
  readonly namespace?: string;
}

/**
 * Options for `WaitFor.http`.
 */
export interface HttpCheckOptions {
  /**
   * HTTP status codes that count as ready.
   *
   * @default - any status from 200 to 399, as a Kubernetes httpGet probe
   */
  readonly statusCodes?: number[];
}

/**
 * Options for `WaitFor.podsReady`.
 */
export interface PodsReadyOptions extends ObjectCheckOptions {
  /**
   * Labels the pods must carry (all of them).
   */
  readonly labels: { [key: string]: string };

  /**
   * How many distinct pods must be Ready.
   *
   * @default 1
   */
  readonly minReady?: number;
}

/**
 * Options for `WaitFor.condition`.
 */
export interface ConditionCheckOptions extends ObjectCheckOptions {
  /** API version of the object, e.g. `cert-manager.io/v1`. */
  readonly apiVersion: string;
  /** Kind of the object, e.g. `Certificate`. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /** The condition type, e.g. `Ready`. */
  readonly condition: string;
  /**
   * The condition status that counts as met.
   *
   * @default 'True'
   */
  readonly status?: string;
  /**
   * The plural resource name, for kinds whose plural is not regular.
   *
   * @default - the kind in lower case, made plural (`Certificate` -> `certificates`)
   */
  readonly resource?: string;
}

/**
 * Options for `WaitFor.exists`.
 */
export interface ExistsCheckOptions extends ObjectCheckOptions {
  /** API version of the object, e.g. `v1`. */
  readonly apiVersion: string;
  /** Kind of the object, e.g. `ConfigMap`. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /**
   * The plural resource name, for kinds whose plural is not regular.
   *
   * @default - the kind in lower case, made plural
   */
  readonly resource?: string;
}

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
    checkLabelSelector('WaitFor.podsReady', 'labels', options.labels);
    const keys = Object.keys(options.labels).sort();
    checkNamespaceOption('podsReady', options);
    const minReady = options.minReady ?? 1;
    checkWholeNumber('WaitFor.podsReady', 'minReady', minReady, 1, 'give how many pods must be Ready, such as 1');
    const selector = keys.map((k) => `${k}=${options.labels[k]}`).join(',');
    return new WaitFor(checkOf(['pods', selector, minReady, options.namespace ?? null], (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: `pods-${keys.map((k) => options.labels[k]).join('-')}`,
        description: `${minReady} Ready pod(s) -l ${selector}${nsSuffix(options.namespace)}`,
        mode: CheckMode.API,
        judge: ApiJudge.PODS,
        env: apiEnv('pods', ns, '-l', selector)
          .concat([[WAITER_ENV.MIN_READY, String(minReady)]]),
        permission: { apiGroup: '', resource: 'pods', namespace: ns },
      };
    }));
  }

  /**
   * The Job `name` has completed (condition Complete=True). A failed Job
   * (Failed=True) fails the waiter instead of waiting forever.
   *
   * @example WaitFor.jobComplete('migrate')
   */
  public static jobComplete(name: string, options: ObjectCheckOptions = {}): WaitFor {
    checkName('jobComplete', name);
    checkNamespaceOption('jobComplete', options);
    return WaitFor._jobComplete(name, options);
  }

  /**
   * `jobComplete` for a Job read at synth (a versioned Job's name carries a
   * hash of its spec, and its waiters' Role is named after its rules).
   *
   * @internal
   */
  public static _jobComplete(n: string, options: ObjectCheckOptions = {}, versioned = false): WaitFor {
    return new WaitFor(checkOf(['job', n, options.namespace ?? null], (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: n,
        description: `job ${n}${nsSuffix(options.namespace)} complete`,
        mode: CheckMode.API,
        judge: ApiJudge.JOB,
        env: apiEnv('jobs.batch', ns, '--field-selector', `metadata.name=${n}`),
        permission: { apiGroup: 'batch', resource: 'jobs', namespace: ns, resourceName: n, ...(versioned ? { versioned } : {}) },
      };
    }));
  }

  /**
   * The rollout of a Deployment, StatefulSet or DaemonSet is complete: the
   * controller has seen the latest spec and every replica is updated and
   * available.
   *
   * @example WaitFor.rolloutComplete(RolloutKind.DEPLOYMENT, 'api')
   */
  public static rolloutComplete(kind: RolloutKind, name: string, options: ObjectCheckOptions = {}): WaitFor {
    checkOneOf('WaitFor.rolloutComplete', 'kind', kind, Object.values(RolloutKind), 'give RolloutKind.DEPLOYMENT, STATEFUL_SET or DAEMON_SET');
    checkName('rolloutComplete', name);
    checkNamespaceOption('rolloutComplete', options);
    const resource = `${kind.toLowerCase()}s`;
    return new WaitFor(checkOf(['rollout', kind, name, options.namespace ?? null], (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: name,
        description: `rollout of ${kind.toLowerCase()} ${name}${nsSuffix(options.namespace)}`,
        mode: CheckMode.API,
        judge: ApiJudge.ROLLOUT,
        env: apiEnv(`${resource}.apps`, ns, '--field-selector', `metadata.name=${name}`),
        permission: { apiGroup: 'apps', resource, namespace: ns, resourceName: name },
      };
    }));
  }

  /**
   * A status condition of any object is met, e.g. a cert-manager
   * Certificate's `Ready`.
   *
   * @example WaitFor.condition({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'api-tls', condition: 'Ready' })
   */
  public static condition(options: ConditionCheckOptions): WaitFor {
    checkName('condition', options.name);
    const status = options.status ?? 'True';
    const { group, resource } = objectKind('condition', options);
    checkConditionType('WaitFor.condition', 'condition', options.condition);
    checkConditionStatus('WaitFor.condition', 'status', status);
    return new WaitFor(checkOf(['condition', group, resource, options.name, options.condition, status, options.namespace ?? null], (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: `${options.kind.toLowerCase()}-${options.name}`,
        description: `${options.kind} ${options.name}${nsSuffix(options.namespace)} ${options.condition}=${status}`,
        mode: CheckMode.API,
        judge: ApiJudge.CONDITION,
        env: apiEnv(qualified(resource, group), ns, '--field-selector', `metadata.name=${options.name}`)
          .concat([[WAITER_ENV.CONDITION, options.condition], [WAITER_ENV.STATUS, status]]),
        permission: { apiGroup: group, resource, namespace: ns, resourceName: options.name },
      };
    }));
  }

  /**
   * An object exists (of any kind).
   *
   * @example WaitFor.exists({ apiVersion: 'v1', kind: 'ConfigMap', name: 'feature-flags' })
   */
  public static exists(options: ExistsCheckOptions): WaitFor {
    checkName('exists', options.name);
    const { group, resource } = objectKind('exists', options);
    return new WaitFor(checkOf(['exists', group, resource, options.kind, options.name, options.namespace ?? null], (ctx) => {
      const ns = namespaceOf(options.namespace, ctx);
      return {
        slug: `${options.kind.toLowerCase()}-${options.name}`,
        description: `${options.kind} ${options.name}${nsSuffix(options.namespace)} exists`,
        mode: CheckMode.API,
        judge: ApiJudge.EXISTS,
        env: apiEnv(qualified(resource, group), ns, '--field-selector', `metadata.name=${options.name}`),
        permission: { apiGroup: group, resource, namespace: ns, resourceName: options.name },
      };
    }));
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

/** A check made here (the API checks), as a value. */
function checkOf(key: unknown[], render: (ctx: CheckContext) => RenderedCheck): CheckSpec {
  return { key, render };
}

function apiEnv(resource: string, namespace: string | undefined, flag: string, selector: string): Array<[string, string]> {
  return [
    [WAITER_ENV.RESOURCE, resource],
    [WAITER_ENV.NAMESPACE, namespace ?? '$(POD_NAMESPACE)'],
    [WAITER_ENV.SELECTOR_FLAG, flag],
    [WAITER_ENV.SELECTOR, selector],
  ];
}

/**
 * The namespace an API check looks in. Without an explicit one, the waiter
 * looks in its own namespace: rendered as the downward-API value so that YAML
 * applied with `kubectl apply -n X` still works.
 */
function namespaceOf(explicit: string | undefined, ctx: CheckContext): string | undefined {
  return explicit ?? ctx.namespace;
}

function nsSuffix(ns: string | undefined): string {
  return ns ? ` in namespace ${ns}` : '';
}

/** The API group and plural resource of an object check, each checked against Kubernetes' grammar. */
function objectKind(factory: string, options: { apiVersion: string; kind: string; resource?: string; namespace?: string }) {
  const where = `WaitFor.${factory}`;
  const { group } = checkApiVersion(where, 'apiVersion', options.apiVersion);
  checkKind(where, 'kind', options.kind);
  const resource = options.resource ?? pluralOf(options.kind);
  checkResource(where, options.resource === undefined ? `resource (the plural of kind '${options.kind}')` : 'resource', resource);
  checkNamespaceOption(factory, options);
  return { group, resource };
}

function checkNamespaceOption(factory: string, options: { namespace?: string }) {
  if (options.namespace !== undefined) checkNamespace(`WaitFor.${factory}`, 'namespace', options.namespace);
}

function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** Lower-case plural of a kind, as Kubernetes' RESTMapper guesses it. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s') || k.endsWith('x') || k.endsWith('ch') || k.endsWith('sh')) return `${k}es`;
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function checkName(factory: string, name: string) {
  checkObjectName(`WaitFor.${factory}`, 'name', name);
}
