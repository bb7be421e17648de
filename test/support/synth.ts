import { Chart, Testing } from 'cdk8s';

/** Synthesizes a chart (running validations, as `cdk8s synth` does). */
export function synth(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The one manifest of `kind` whose name starts with `prefix`. */
export function manifest(manifests: any[], kind: string, prefix = ''): any {
  const found = manifests.filter((m) => m.kind === kind && (m.metadata?.name ?? '').startsWith(prefix));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} named ${prefix}*, found ${found.map((m) => m.metadata?.name).join(', ') || 'none'}`);
  }
  return found[0];
}

/** The pod spec of a workload manifest. */
export function podSpec(m: any): any {
  if (m.kind === 'Pod') return m.spec;
  if (m.kind === 'CronJob') return m.spec.jobTemplate.spec.template.spec;
  return m.spec.template.spec;
}

/** Init container names of a workload manifest. */
export function initNames(m: any): string[] {
  return (podSpec(m).initContainers ?? []).map((c: any) => c.name);
}

/** An env var's value in a container. */
export function env(container: any, name: string): string | undefined {
  return (container.env ?? []).find((e: any) => e.name === name)?.value;
}
