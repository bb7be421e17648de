import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Component } from '../component';
import { append } from '../maps';
import { templateHash, versionedName } from '../pod/versioning';
import { lendRender, renderAsWritten } from '../session';
import { checkObjectName } from '../validation';
import { findServiceObject, selects, ServiceFacts, serviceFacts, workloadFacts, WorkloadFacts } from '../workload';

/**
 * Reading the manifests: each component's workload and every Service of the
 * construct tree, as their builders rendered them (before any edit of ours),
 * and which Services route to which workload. The first stage of a
 * synthesis; the others read only what it read.
 *
 * @internal
 */

/** A component as read at synth. */
export interface Read {
  /** The manifest as its builder wrote it; the pod stage edits it into the final one. */
  readonly manifest: any;
  readonly facts: WorkloadFacts;
  /** A hash of its pod template as written, when a dependent restarts on its change. */
  readonly templateHash?: string;
  readonly finalName: string;
  /** `Kind/finalName`, as its dependents' annotation entries name it. */
  readonly ref: string;
  readonly versioned: boolean;
  /** The Service that its default check connects to. */
  readonly service?: ServiceFacts;
  /** Every Service that routes to it (for ordering and deploy-tool annotations). */
  readonly services: ServiceFacts[];
}

/** The name a component's workload is written with: a versioned Job's carries a hash of its spec as written. */
export function synthesizedName(c: Component, manifest: any): string {
  return c._options.versioned === true ? versionedName(manifest.metadata.name, manifest.spec) : manifest.metadata.name;
}

/** What was read: each component, and the Services of the tree. */
export class Reading {
  private readonly reads = new Map<Component, Read>();
  private readonly serviceIndex = new Map<ApiObject, ServiceFacts>();
  /** Services by namespace and by one of their selector's labels (`ns\nkey=value`), to find those that select a pod. */
  private readonly servicesByLabel = new Map<string, ServiceFacts[]>();

  /**
   * `lend`: the charts are rendered next, so each Service's render here is
   * handed on to them (a synthesis renders it once).
   */
  constructor(private readonly lend: boolean) {}

  /** What was read of `c` (undefined when it could not be read). */
  public get(c: Component): Read | undefined {
    return this.reads.get(c);
  }

  /** What was read of `c`, which was read. */
  public of(c: Component): Read {
    return this.reads.get(c)!;
  }

  /** Every Service of the construct tree under `root`, as rendered. */
  public readServices(root: IConstruct): void {
    for (const c of root.node.findAll()) {
      if (ApiObject.isApiObject(c) && c.kind === 'Service' && c.apiVersion === 'v1') {
        const manifest = renderAsWritten(c);
        const facts = serviceFacts(c, manifest);
        this.serviceIndex.set(c, facts);
        const first = Object.keys(facts.selector).sort()[0];
        if (first !== undefined) {
          append(this.servicesByLabel, `${facts.namespace ?? ''}\n${first}=${facts.selector[first]}`, facts);
        }
        if (this.lend) lendRender(c, manifest);
      }
    }
  }

  /** The Service that `construct` is or holds, as read. */
  public serviceOf(construct: IConstruct, where: string): ServiceFacts {
    const obj = findServiceObject(construct, where);
    const facts = this.serviceIndex.get(obj);
    if (!facts) throw new Error(`${where}: Service '${construct.node.path}' is not part of this app's construct tree`);
    return facts;
  }

  /** Reads a component's workload (`hashTemplate`: a dependent restarts when its pod template changes). */
  public readComponent(c: Component, hashTemplate: boolean): void {
    const manifest = renderAsWritten(c.apiObject);
    const facts = workloadFacts(manifest);
    // Our ServiceAccount, Roles and waiter names derive from it: an invalid one would make them invalid too.
    checkObjectName(`'${c.path}'`, 'metadata.name', facts.name,
      'give the workload a lower-case metadata.name, or a construct id of lower-case letters, digits, \'-\' and \'.\'');
    const versioned = c._options.versioned === true;
    if (versioned && facts.ttlSecondsAfterFinished !== undefined) {
      throw new Error(`'${c.path}': a versioned Job must not have ttlSecondsAfterFinished (${facts.ttlSecondsAfterFinished}s): `
        + 'once it is deleted, pods that restart later would wait for it forever. Remove ttlAfterFinished, and delete '
        + 'old Jobs once no ReplicaSet needs them');
    }
    const { service, services } = this.routesTo(c, facts);
    const finalName = synthesizedName(c, manifest);
    this.reads.set(c, {
      manifest,
      facts,
      templateHash: hashTemplate ? templateHash(facts.template) : undefined,
      finalName,
      ref: `${c.kind}/${finalName}`,
      versioned,
      service,
      services,
    });
  }

  /**
   * The Services that route to a workload: the one given (`options.service`),
   * a StatefulSet's governing one, and those of its namespace whose selector
   * matches its pods (by name); `service` is the first of them, which its
   * default check connects to.
   */
  private routesTo(c: Component, facts: WorkloadFacts): { service?: ServiceFacts; services: ServiceFacts[] } {
    const sameNamespace = (s: ServiceFacts) => s.namespace === facts.namespace;
    const candidates = Object.entries(facts.templateLabels)
      .flatMap(([k, v]) => this.servicesByLabel.get(`${facts.namespace ?? ''}\n${k}=${v}`) ?? []);
    const selecting = candidates
      .filter((s) => selects(s, facts.templateLabels))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const given = c._options.service ? this.serviceOf(c._options.service, `'${c.path}' service`) : undefined;
    const governing = facts.serviceName ? selecting.find((s) => s.name === facts.serviceName)
      ?? [...this.serviceIndex.values()].find((s) => sameNamespace(s) && s.name === facts.serviceName) : undefined;
    const service = given ?? governing ?? selecting[0];
    const services = [...new Set([...(given ? [given] : []), ...(governing ? [governing] : []), ...selecting])];
    return { service, services };
  }
}
