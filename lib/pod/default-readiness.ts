import { WaitFor } from '../wait-for';
import { ServiceFacts, WorkloadFacts } from '../workload';

/**
 * What "ready" means for a component that its dependents do not define:
 * decided at synth from its manifest and the Services that route to it.
 *
 * @internal
 */

/**
 * The default check of a component: a Job has completed; else a TCP
 * connection to each port of its Service (`service`: the one given, the
 * StatefulSet's governing one, or the first by name of those that select its
 * pods); else at least one of its pods is Ready (it has a port or a readiness
 * probe); else an error that says what to add.
 */
export function defaultReadiness(path: string, w: WorkloadFacts, finalName: string, versioned: boolean, service: ServiceFacts | undefined): WaitFor {
  if (w.kind === 'Job') {
    return WaitFor._jobComplete(finalName, { namespace: w.namespace }, versioned);
  }
  if (service) return WaitFor._forService(service);
  if (!w.probed) {
    throw new Error(`dependsOn: '${path}' has no Service, no container port and no readiness probe, so its dependents `
      + 'cannot tell when it is ready. Add a readiness probe to its container, expose it with a Service '
      + '(OrderedApp.add(workload, { service })), or pass check: WaitFor.tcp(...) / WaitFor.http(...) to dependsOn');
  }
  if (Object.keys(w.podLabels).length === 0) {
    throw new Error(`dependsOn: '${path}' selects its pods by expressions only, so its dependents cannot find them; `
      + 'give it a matchLabels selector, or pass check: WaitFor.podsReady({ labels }) to dependsOn');
  }
  return WaitFor.podsReady({ labels: w.podLabels, namespace: w.namespace });
}
