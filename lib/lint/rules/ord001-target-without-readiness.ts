/** ORD001: a workload that others wait for has no readiness probe. */
import { GraphEdge, Model } from '../model';
import { dependentsOf, finding, incomingEdges, Problem, Severity } from './rule';

export const id = 'ORD001';
export const severity: Severity = 'warning';
export const title = 'a workload others wait for has no readiness probe';
export const needsAnnotations = true;
export const description = `A Deployment, StatefulSet, DaemonSet or Pod that other workloads wait for, none of whose
containers (nor native sidecars) has a \`readinessProbe\`.

Its dependents wait until its pods are Ready, or until its Service accepts connections (a Service routes only to
Ready pods). Without a readiness probe a pod counts as Ready as soon as its containers start (or once a startup probe
first passes), before it may serve, so the dependents start too early and may fail their first requests. Jobs and
CronJobs are not checked (their dependents wait for completion), nor are waits by \`WaitFor.command\` (which run their own
probe).

Fix: add a \`readinessProbe\` to the main container of the workload waited for.`;

export function check(model: Model): Problem[] {
  const out: Problem[] = [];
  const incoming = incomingEdges(model);
  model.nodes.forEach((node, i) => {
    const w = node.workload;
    if (!w || w.kind === 'Job' || w.kind === 'CronJob') return;
    // A command check runs its own probe: the target's readiness does not decide it.
    if (!incoming[i].some(notCommand) || anyContainer(w.podSpec, hasReadiness)) return;
    const who = dependentsOf(model, incoming, i, notCommand);
    const when = anyContainer(w.podSpec, hasStartup)
      ? 'once their startupProbe first passes, and stay Ready when they stop serving'
      : 'as soon as their containers start, before they may serve';
    out.push(finding(model, w, { id, severity },
      `${who.join(', ')} wait${who.length === 1 ? 's' : ''} for it, but no container has a readinessProbe, so its pods count as Ready `
      + `(and its Service routes to them) ${when}. Fix: add a readinessProbe to its main container`));
  });
  return out;
}

const notCommand = (e: GraphEdge) => e.entry.mode !== 'command';
const hasReadiness = (c: any) => c?.readinessProbe;
const hasStartup = (c: any) => c?.startupProbe;

/** Whether `test` holds for a container of the pod or one of its native sidecars. */
function anyContainer(podSpec: any, test: (c: any) => unknown): boolean {
  const containers: any[] = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const inits: any[] = Array.isArray(podSpec.initContainers) ? podSpec.initContainers : [];
  return containers.some((c) => test(c)) || inits.some((c) => c?.restartPolicy === 'Always' && test(c));
}
