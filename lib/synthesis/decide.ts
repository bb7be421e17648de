import { Component, TimeoutPolicy } from '../component';
import { ROLLOUT_KINDS } from '../contract';
import { append } from '../maps';
import { defaultReadiness } from '../pod/default-readiness';
import { PlannedGate } from '../pod/readiness-gates';
import { ShutdownDependent } from '../pod/shutdown';
import { PlannedRollout, PlannedWait } from '../pod/waiters';
import { CheckContext, CheckMode, RenderedCheck, WaitFor } from '../wait-for';
import { ApiJudge } from '../waiters';
import { labelSelector } from '../workload';
import { AppIntent, isJob, WaitIntent } from './intent';
import { Reading } from './read';

/**
 * Deciding each edge's check: what "ready" means for every wait and gate of
 * a component (the edge's check, else the target's readiness, else its
 * default from what was read), whether it waits for the target's rollout
 * first (an upgrade check), and whom its shutdown outlives. Reads the intent
 * and what was read; edits nothing.
 *
 * @internal
 */

/** What was decided for one component's pod. */
export interface DecidedPod {
  readonly waits: PlannedWait[];
  readonly gates: PlannedGate[];
  /** Dependents its shutdown outlives (ordered shutdown). */
  readonly dependents: ShutdownDependent[];
}

/** Decides the checks of every component of an app, each check rendered once per namespace. */
export class Decisions {
  /** The check dependents run when they do not say otherwise, decided once per target. */
  private readonly readiness = new Map<Component, WaitFor>();
  /**
   * Rendered checks, by the waiting pod's namespace and the check (see
   * `renderCheck`): namespaces are few and checks many, so one table per
   * namespace rather than one per check.
   */
  private readonly rendered = new Map<string, Map<WaitFor, RenderedCheck>>();
  /** Who waits for each component, one entry per wait (with ordered shutdown only). */
  private readonly waitersOf = new Map<Component, Component[]>();

  constructor(private readonly app: AppIntent, private readonly reading: Reading, private readonly index: ReadonlyMap<Component, number>) {
    // Only ordered shutdown asks who waits for a component.
    if (app.orderedShutdown) {
      for (const w of app.waits) if (w.target) append(this.waitersOf, w.target, w.from);
    }
  }

  /** A component's waits and gates, each check rendered, and the dependents its shutdown outlives. */
  public decide(c: Component): DecidedPod {
    const ctx = this.context(c);
    const waits: PlannedWait[] = (this.app.waitsFrom.get(c) ?? []).map((w) => {
      let check = this.renderCheck(w.check ?? this.readinessOf(w.target!), ctx);
      const rollout = w.target ? this.rolloutOf(w, w.target, check) : undefined;
      // The default "some pod is Ready" says less than the rollout does (a pod of the current revision is available,
      // none of an older one is left): the rollout is the whole wait.
      if (rollout && check.judge === ApiJudge.PODS) check = rolloutOnly(this.reading.of(w.target!).facts.kind, rollout, check.slug, ctx.namespace);
      const timeout = w.options.timeout?.toSeconds();
      const onTimeout = timeout !== undefined ? (w.options.onTimeout ?? TimeoutPolicy.FAIL) : undefined;
      // One string per target, however many wait for it.
      const target = w.target ? this.reading.of(w.target).ref : undefined;
      return { slug: w.target ? w.target.workload.node.id : check.slug, check, timeout, onTimeout, target, rollout };
    });
    const gates: PlannedGate[] = (this.app.gatesFrom.get(c) ?? []).map((g) => {
      const check = this.renderCheck(g.check ?? this.readinessOf(g.target!), ctx);
      if (check.mode === CheckMode.COMMAND) {
        throw new Error(`'${c.path}': a readiness gate cannot run a command check (${check.description}); `
          + 'use a network check (WaitFor.tcp/http/dns/serviceReady) or an object check');
      }
      return { slug: g.target ? g.target.workload.node.id : check.slug, check, period: g.period };
    });
    if (gates.length > 0 && isJob(c.kind)) {
      throw new Error(`'${c.path}': a ${c.kind} cannot gate its readiness: its gate keeper runs as long as the pod, so the Job would never `
        + 'complete and whatever waits for it would wait forever. Make it wait instead (dependsOn or waitFor), or gate the workload that needs it');
    }
    return { waits, gates, dependents: this.shutdownDependents(c) };
  }

  private context(c: Component): CheckContext {
    return {
      namespace: this.reading.of(c).facts.namespace,
      path: c.path,
      service: (construct) => this.reading.serviceOf(construct, c.path),
    };
  }

  /** The check dependents run when they do not say otherwise (decided once per target). */
  private readinessOf(target: Component): WaitFor {
    let check = this.readiness.get(target);
    if (!check) {
      const r = this.reading.of(target);
      check = target._options.readiness ?? defaultReadiness(target.path, r.facts, r.finalName, r.versioned, r.service);
      this.readiness.set(target, check);
    }
    return check;
  }

  /**
   * The rollout a wait on `target` waits for before its check (an upgrade
   * check): with the edge's `upgradeCheck`, else the app's `upgradeChecks`,
   * for a Deployment, StatefulSet or DaemonSet whose check runs in the
   * network waiter (or is its default "pods Ready"). Other checks say
   * themselves what ready means: asked for explicitly there, it is an error.
   */
  private rolloutOf(w: WaitIntent, target: Component, check: RenderedCheck): PlannedRollout | undefined {
    const asked = w.options.upgradeCheck;
    if (!(asked ?? this.app.upgradeChecks)) return undefined;
    const r = this.reading.of(target);
    const kind = r.facts.kind;
    const defaultPods = check.judge === ApiJudge.PODS && !w.check && !target._options.readiness;
    const refusal = !ROLLOUT_KINDS.includes(kind)
      ? `a ${kind} has no rollout${kind === 'Job' ? ' (a new version of a Job is ordered by making it versioned: OrderedApp.add(job, { versioned: true }))' : ''}`
      : check.mode === CheckMode.NETWORK || defaultPods ? undefined
        : `its check (${check.description}) runs in a container of its own; use a network check (WaitFor.tcp/http/dns/serviceReady) or the default`;
    if (refusal !== undefined) {
      if (asked === true) {
        throw new Error(`dependsOn: '${w.from.path}' asks for upgradeCheck on '${target.path}', but ${refusal}; remove upgradeCheck from this dependsOn`);
      }
      return undefined;
    }
    const resource = `${kind.toLowerCase()}s`;
    return {
      resource: `${resource}.apps`,
      namespace: r.facts.namespace,
      name: r.finalName,
      permission: { apiGroup: 'apps', resource, namespace: r.facts.namespace, resourceName: r.finalName },
    };
  }

  /**
   * A check rendered for the waiting pod's namespace: once per check and
   * namespace, since a render reads nothing else of the pod (its path is only
   * for errors, which are thrown, never kept). Every dependent of a target
   * shares its readiness check.
   */
  private renderCheck(check: WaitFor, ctx: CheckContext): RenderedCheck {
    const namespace = ctx.namespace ?? '';
    let inNamespace = this.rendered.get(namespace);
    if (!inNamespace) this.rendered.set(namespace, inNamespace = new Map());
    let r = inNamespace.get(check);
    if (!r) inNamespace.set(check, r = check._render(ctx));
    return r;
  }

  /** Dependents to outlive, when the app orders shutdown (not for Jobs). */
  private shutdownDependents(c: Component): ShutdownDependent[] {
    if (!this.app.orderedShutdown || isJob(c.kind)) return [];
    const own = this.reading.of(c).facts.namespace;
    // In the order the dependents were added, as their waits may be declared in any order.
    const dependents = [...new Set(this.waitersOf.get(c) ?? [])].filter((d) => !isJob(d.kind))
      .sort((a, b) => this.index.get(a)! - this.index.get(b)!);
    return dependents.map((d) => {
      const f = this.reading.of(d).facts;
      return { name: f.name, namespace: f.namespace !== own ? f.namespace : undefined, selector: labelSelector(f.podLabels) };
    });
  }
}

/** The wait of an upgrade check that is its rollout alone: its description, for logs and the annotation. */
function rolloutOnly(kind: string, rollout: PlannedRollout, slug: string, waiting: string | undefined): RenderedCheck {
  const ns = rollout.namespace && rollout.namespace !== waiting ? ` in namespace ${rollout.namespace}` : '';
  return { slug, description: `rollout of ${kind.toLowerCase()} ${rollout.name}${ns}`, mode: CheckMode.API, env: [] };
}
