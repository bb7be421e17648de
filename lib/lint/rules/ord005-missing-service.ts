/** ORD005: a network waiter whose host is not a Service in the input. */
import { hostsOfEnv, hostsOfLine } from '../../checks';
import { WAITER_ENV } from '../../contract';
import { envOf, Model, Workload } from '../model';
import { finding, Problem, Severity, waitersOf } from './rule';

export const id = 'ORD005';
export const severity: Severity = 'warning';
export const title = 'a waiter waits for a Service that is not in the YAML';
export const needsAnnotations = false;
export const description = `A network waiter (TCP, HTTP or DNS: \`${WAITER_ENV.ADDRESSES}\` or \`${WAITER_ENV.HOST}\`, or a line of
\`${WAITER_ENV.CHECKS}\` in a waiter shared by several checks) whose host is a name that no Service in the given YAML has.

A single-label host (\`cache\`) is looked up in the waiter's namespace: without that Service, the waiter cannot resolve
it, so it waits forever, or until its timeout, when it fails (\`onTimeout: FAIL\`: the pod does not start, and
Kubernetes retries it) or lets the pod start without it (\`PROCEED\`). A dotted host (\`db.data\`) may be a Service in
another namespace deployed separately, or a host outside the cluster, so the finding says so instead. IP addresses are
not checked.

Fix: add the Service, correct the host, or pass the file that defines it.`;

export function check(model: Model): Problem[] {
  const services = new Set(model.objects.filter((o) => o.kind === 'Service').map((o) => `${o.namespace ?? ''}/${o.name}`));
  const has = (ns: string | undefined, name: string) => services.has(`${ns ?? ''}/${name}`);
  const out: Problem[] = [];
  for (const w of model.workloads) {
    for (const c of waitersOf(w)) {
      // Each network check kind says which of its parameters are hosts (lib/checks/<kind>/): in the waiter's environment,
      // and in each line of a shared waiter's WAIT_CHECKS, which its kind decodes.
      const hosts: Array<[string, string]> = hostsOfEnv((name) => envOf(c, name)).map((h) => [h.host, `${h.variable} ${h.value}`]);
      for (const line of (envOf(c, WAITER_ENV.CHECKS) ?? '').split('\n')) {
        for (const h of hostsOfLine(line)) hosts.push([h.host, `${WAITER_ENV.CHECKS} line '${line.trim()}'`]);
      }
      for (const [h, where] of hosts) {
        if (/^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(':')) continue; // an IP address
        const labels = h.replace(/\.svc(\.cluster\.local)?\.?$/, '').split('.');
        if (labels.length === 1) {
          if (has(w.namespace, h)) continue;
          out.push(finding(model, w, { id, severity },
            `waiter ${c.name} waits for Service '${h}' (${where}), but there is no Service '${h}'`
            + `${w.namespace ? ` in namespace ${w.namespace}` : ''} in the given YAML, so ${outcome(w, c)}. `
            + 'Fix: add the Service, correct the host, or pass the file that defines it'));
          continue;
        }
        // name.namespace, or pod.service.namespace (a StatefulSet pod), or an outside host.
        if (has(labels[1], labels[0]) || has(labels[2] ?? w.namespace, labels[1])) continue;
        out.push(finding(model, w, { id, severity },
          `waiter ${c.name} waits for '${h}' (${where}), which is not a Service in the given YAML; `
          + `it may be a Service '${labels[0]}' in namespace ${labels[1]} deployed separately, or a host outside the cluster. `
          + 'Check that it exists, or pass the file that defines it'));
      }
    }
  }
  return out;
}

/** What the waiter does about a host that never answers: its timeout, from its environment or the annotation. */
function outcome(w: Workload, container: any): string {
  const entry = w.waits.find((e) => e.waiter === container.name);
  const env = Number(envOf(container, WAITER_ENV.TIMEOUT));
  const timeout = Number.isFinite(env) && env > 0 ? env : entry?.timeout;
  if (!timeout) return 'it would wait forever';
  const onTimeout = envOf(container, WAITER_ENV.ON_TIMEOUT) ?? entry?.onTimeout ?? 'fail';
  return onTimeout === 'proceed'
    ? `it would give up after ${timeout}s and start its pod without it (onTimeout: proceed)`
    : `it would give up after ${timeout}s and fail: the pod does not start, and Kubernetes retries it`;
}
