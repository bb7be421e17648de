/**
 * `cdk8s-ordered lint`: one function per rule. Not part of the jsii API.
 */
import { VERSIONED_ANNOTATION as VERSIONED, WAITER_PREFIX } from '../contract';
import { cyclesOf, envOf, GraphEdge, Model, Workload } from './model';

export type Severity = 'error' | 'warning';

/** One problem: printed as `<file>: <rule> <severity> <object>: <message>`. */
export interface Problem {
  readonly file: string;
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind/name`. */
  readonly object: string;
  readonly message: string;
  /** Position of the object in the input, for sorting. */
  readonly order: number;
}

/** A rule: what it checks, and whether it needs the dependencies annotation. */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** Without any annotation in the input, rules that need one are skipped. */
  readonly needsAnnotations: boolean;
  readonly run: (model: Model) => Problem[];
}

/** The waiter init containers of a workload: named in its annotation, else named `wait-for-*`. */
export function waitersOf(w: Workload): any[] {
  const inits: any[] = Array.isArray(w.podSpec.initContainers) ? w.podSpec.initContainers : [];
  if (w.annotated && !w.annotationError) {
    const names = new Set(w.waits.map((e) => e.waiter));
    return inits.filter((c) => names.has(c?.name));
  }
  return inits.filter((c) => typeof c?.name === 'string' && c.name.startsWith(WAITER_PREFIX));
}

/** The edges into each node. */
function incomingEdges(model: Model): GraphEdge[][] {
  const incoming: GraphEdge[][] = model.nodes.map(() => []);
  for (const e of model.edges) incoming[e.to].push(e);
  return incoming;
}

function problem(model: Model, w: { file: string; ref: string }, rule: Rule | string, message: string): Problem {
  const r = typeof rule === 'string' ? RULES.find((x) => x.id === rule)! : rule;
  const order = model.objects.findIndex((o) => o.file === w.file && o.ref === w.ref);
  return { file: w.file, rule: r.id, severity: r.severity, object: w.ref, message, order };
}

/** ORD001: a workload that others wait for has no readiness probe. */
export function targetWithoutReadiness(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.nodes.forEach((node, i) => {
    const w = node.workload;
    if (!w || w.kind === 'Job' || w.kind === 'CronJob') return;
    // A command check runs its own probe: the target's readiness does not decide it.
    const waiting = incoming[i].filter((e) => e.entry.mode !== 'command');
    if (waiting.length === 0) return;
    const containers: any[] = [
      ...(Array.isArray(w.podSpec.containers) ? w.podSpec.containers : []),
      ...(Array.isArray(w.podSpec.initContainers) ? w.podSpec.initContainers.filter((c: any) => c?.restartPolicy === 'Always') : []),
    ];
    if (containers.some((c) => c?.readinessProbe)) return;
    const who = [...new Set(waiting.map((e) => model.nodes[e.from].label))];
    const when = containers.some((c) => c?.startupProbe)
      ? 'once their startupProbe first passes, and stay Ready when they stop serving'
      : 'as soon as their containers start, before they may serve';
    out.push(problem(model, w, 'ORD001',
      `${who.join(', ')} wait${who.length === 1 ? 's' : ''} for it, but no container has a readinessProbe, so its pods count as Ready `
      + `(and its Service routes to them) ${when}. Fix: add a readinessProbe to its main container`));
  });
  return out;
}

/** ORD002: a waiter image without a tag or digest, or tagged `latest`. */
export function unpinnedWaiterImage(model: Model): Problem[] {
  const out: Problem[] = [];
  for (const w of model.workloads) {
    for (const c of waitersOf(w)) {
      const image = c?.image;
      const why = typeof image !== 'string' || image === '' ? 'has no image'
        : image.includes('@') ? undefined
          : !/:[^/]+$/.test(image) ? `image '${image}' has no tag`
            : /:latest$/.test(image) ? `image '${image}' is tagged latest` : undefined;
      if (!why) continue;
      out.push(problem(model, w, 'ORD002',
        `waiter ${c?.name} ${why}, so a node may pull a different waiter than you tested. `
        + 'Fix: pin a version, e.g. busybox:1.36.1 (OrderedApp waiterImage / kubectlImage, or the image of WaitFor.command)'));
    }
  }
  return out;
}

/** ORD003: a versioned Job with `ttlSecondsAfterFinished`. */
export function versionedJobWithTtl(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.workloads.forEach((w, i) => {
    if (w.kind !== 'Job' || w.raw.metadata.annotations?.[VERSIONED] !== 'true') return;
    const ttl = w.raw.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null) return;
    const dependents = [...new Set(incoming[i].map((e) => model.nodes[e.from].label))];
    out.push(problem(model, w, 'ORD003',
      `versioned Job has spec.ttlSecondsAfterFinished: ${ttl}: once Kubernetes deletes it, pods `
      + (dependents.length > 0 ? `of ${dependents.join(', ')} ` : 'of its dependents ')
      + 'that restart wait for it forever. Fix: remove ttlAfterFinished, and delete old versioned Jobs once no ReplicaSet needs them'));
  });
  return out;
}

/** ORD008: a Job that others wait for, not versioned, with `ttlSecondsAfterFinished`. */
export function waitedForJobWithTtl(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.workloads.forEach((w, i) => {
    if (w.kind !== 'Job' || w.raw.metadata.annotations?.[VERSIONED] === 'true') return;
    const ttl = w.raw.spec?.ttlSecondsAfterFinished;
    const dependents = [...new Set(incoming[i].map((e) => model.nodes[e.from].label))];
    if (ttl === undefined || ttl === null || dependents.length === 0) return;
    out.push(problem(model, w, 'ORD008',
      `Job has spec.ttlSecondsAfterFinished: ${ttl} and ${dependents.join(', ')} wait for it: once Kubernetes deletes it, `
      + 'their pods that restart (a node lost, a scale-up) wait for it forever. '
      + 'Fix: remove ttlAfterFinished, or add the Job with { versioned: true } and keep it while its dependents run'));
  });
  return out;
}

/** ORD004: a dependency cycle. */
export function dependencyCycle(model: Model): Problem[] {
  return cyclesOf(model).map((cycle) => {
    const first = model.nodes[cycle[0]];
    const names = cycle.map((i) => model.nodes[i].label);
    const at = first.workload ?? { file: model.files[0], ref: first.label };
    return problem(model, at, 'ORD004',
      `dependency cycle ${names.join(' => ')}: none of these pods can start. Fix: remove one of these dependsOn edges`);
  });
}

/** ORD005: a network waiter whose host is not a Service in the input. */
export function missingService(model: Model): Problem[] {
  const services = new Set(model.objects.filter((o) => o.kind === 'Service').map((o) => `${o.namespace ?? ''}/${o.name}`));
  const has = (ns: string | undefined, name: string) => services.has(`${ns ?? ''}/${name}`);
  const out: Problem[] = [];
  for (const w of model.workloads) {
    for (const c of waitersOf(w)) {
      const hosts: Array<[string, string]> = [];
      const addresses = envOf(c, 'WAIT_ADDRESSES');
      if (addresses) {
        for (const a of addresses.split(/\s+/).filter(Boolean)) hosts.push([a.replace(/:\d+$/, ''), `WAIT_ADDRESSES ${a}`]);
      }
      const host = envOf(c, 'WAIT_HOST');
      if (host) hosts.push([host, `WAIT_HOST ${host}`]);
      for (const [h, where] of hosts) {
        if (/^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(':')) continue; // an IP address
        const labels = h.replace(/\.svc(\.cluster\.local)?\.?$/, '').split('.');
        if (labels.length === 1) {
          if (has(w.namespace, h)) continue;
          out.push(problem(model, w, 'ORD005',
            `waiter ${c.name} waits for Service '${h}' (${where}), but there is no Service '${h}'`
            + `${w.namespace ? ` in namespace ${w.namespace}` : ''} in the given YAML, so it would wait forever. `
            + 'Fix: add the Service, correct the host, or pass the file that defines it'));
          continue;
        }
        // name.namespace, or pod.service.namespace (a StatefulSet pod), or an outside host.
        if (has(labels[1], labels[0]) || has(labels[2] ?? w.namespace, labels[1])) continue;
        out.push(problem(model, w, 'ORD005',
          `waiter ${c.name} waits for '${h}' (${where}), which is not a Service in the given YAML; `
          + `it may be a Service '${labels[0]}' in namespace ${labels[1]} deployed separately, or a host outside the cluster. `
          + 'Check that it exists, or pass the file that defines it'));
      }
    }
  }
  return out;
}

/** ORD006: a dependency target that is not in the input. */
export function missingTarget(model: Model): Problem[] {
  return model.edges.filter((e) => model.nodes[e.to].type === 'missing').map((e) => {
    const w = model.nodes[e.from].workload!;
    return problem(model, w, 'ORD006',
      `waiter ${e.entry.waiter} waits for ${e.entry.target} (${e.entry.check}), which is not in the given YAML, `
      + 'so graph and plan are incomplete. Fix: pass every file of the app (e.g. the whole dist/ folder)');
  });
}

/** ORD007: an unreadable dependencies annotation, or one that names a waiter the pod does not have. */
export function badAnnotation(model: Model): Problem[] {
  const out: Problem[] = [];
  for (const w of model.workloads) {
    if (w.annotationError) {
      out.push(problem(model, w, 'ORD007', `${w.annotationError}. Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation`));
      continue;
    }
    const inits = new Set((Array.isArray(w.podSpec.initContainers) ? w.podSpec.initContainers : []).map((c: any) => c?.name));
    for (const e of w.waits) {
      if (inits.has(e.waiter)) continue;
      out.push(problem(model, w, 'ORD007',
        `annotation lists waiter ${e.waiter} (${e.check}), but the pod has no init container of that name. `
        + 'Fix: synthesize the YAML again with cdk8s-ordered, do not edit the annotation or the init containers by hand'));
    }
  }
  return out;
}

export const RULES: Rule[] = [
  { id: 'ORD001', severity: 'warning', title: 'a dependency target has no readiness probe on any container', needsAnnotations: true, run: targetWithoutReadiness },
  { id: 'ORD002', severity: 'error', title: 'a waiter image is not pinned (no tag, or :latest)', needsAnnotations: false, run: unpinnedWaiterImage },
  { id: 'ORD003', severity: 'error', title: 'a versioned Job has spec.ttlSecondsAfterFinished', needsAnnotations: false, run: versionedJobWithTtl },
  { id: 'ORD004', severity: 'error', title: 'a dependency cycle', needsAnnotations: true, run: dependencyCycle },
  { id: 'ORD005', severity: 'warning', title: 'a waiter waits for a Service that is not in the given YAML', needsAnnotations: false, run: missingService },
  { id: 'ORD006', severity: 'warning', title: 'a dependency target is not in the given YAML', needsAnnotations: true, run: missingTarget },
  { id: 'ORD007', severity: 'error', title: 'an unreadable dependencies annotation, or one naming a missing waiter', needsAnnotations: true, run: badAnnotation },
  { id: 'ORD008', severity: 'warning', title: 'a Job that others wait for has spec.ttlSecondsAfterFinished', needsAnnotations: true, run: waitedForJobWithTtl },
];

/** Runs every rule that can judge `model`, problems sorted by file, object, rule. */
export function lint(model: Model): { problems: Problem[]; skipped: Rule[] } {
  const annotated = model.workloads.some((w) => w.annotated);
  const rules = RULES.filter((r) => annotated || !r.needsAnnotations);
  const fileIndex = new Map(model.files.map((f, i) => [f, i]));
  const problems = rules.flatMap((r) => r.run(model)).sort((a, b) =>
    (fileIndex.get(a.file) ?? 0) - (fileIndex.get(b.file) ?? 0) || a.order - b.order || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { problems, skipped: RULES.filter((r) => !rules.includes(r)) };
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.rule} ${p.severity} ${p.object}: ${p.message}`;
}
