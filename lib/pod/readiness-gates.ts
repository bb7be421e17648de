import { CONDITION_PREFIX, GATE_ENV, GATE_PREFIX, WAITER_ENV } from '../contract';
import { dnsLabel, uniqueLabel } from '../names';
import { escapeForKubelet } from '../validation';
import { ApiPermission, CheckMode, RenderedCheck } from '../wait-for';
import { gatePollScript, gateWatchScript } from '../waiters';
import { PodContext, podEnv, resources, securityContext, tokenMounts } from './containers';
import { scriptCommand } from './scripts';

/**
 * Readiness gates: a pod is Ready only while what it gates on is, kept by a
 * small container per gate that PATCHes the pod's own condition.
 *
 * @internal
 */

/** One gate of a pod, its check rendered. */
export interface PlannedGate {
  /** The words of its condition and container name. */
  readonly slug: string;
  readonly check: RenderedCheck;
  /** Seconds between polled checks. */
  readonly period: number;
}

/** The API access the gate keepers need: their own pod's status, and what object checks watch. */
export function gatePermissions(gates: PlannedGate[]): ApiPermission[] {
  if (gates.length === 0) return [];
  const perms = gates.filter((g) => g.check.mode === CheckMode.API).map((g) => g.check.permission!);
  return [...perms, { apiGroup: '', resource: 'pods/status', verbs: ['get', 'patch'] }];
}

/**
 * Adds a keeper container and a readiness gate per gate. Each gate gets its
 * own condition, distinct after slugging (`db.main` and `db-main` become
 * `db-main` and `db-main-2`), so no two keepers write one condition.
 */
export function applyGates(ctx: PodContext, gates: PlannedGate[], spec: any, taken: Set<string>): void {
  const conditions = new Set<string>();
  for (const g of gates) {
    const condition = `${CONDITION_PREFIX}${uniqueLabel(dnsLabel('', g.slug), conditions)}`;
    spec.containers.push(keeper(ctx, g, condition, uniqueLabel(dnsLabel(GATE_PREFIX, g.slug), taken)));
    (spec.readinessGates ??= []).push({ conditionType: condition });
  }
}

function keeper(ctx: PodContext, g: PlannedGate, condition: string, name: string): any {
  const r = g.check;
  const api = r.mode === CheckMode.API;
  const env: any[] = [
    podEnv('POD_NAME'),
    podEnv('POD_NAMESPACE'),
    { name: WAITER_ENV.FOR, value: escapeForKubelet(r.description) },
    { name: GATE_ENV.CONDITION, value: condition },
  ];
  if (!api) env.push({ name: GATE_ENV.PERIOD, value: String(g.period) });
  for (const [k, v] of r.env) env.push({ name: k, value: literal(v) });
  const container: any = {
    name,
    image: ctx.kubectlImage,
    command: scriptCommand(api ? gateWatchScript(r.judge!) : gatePollScript(r.network!)),
    env,
    resources: resources(true),
    securityContext: securityContext(),
  };
  const mounts = tokenMounts(ctx.automountsToken);
  if (mounts) container.volumeMounts = mounts;
  return container;
}

/** A value as the kubelet must pass it on: escaped from `$(VAR)` expansion, but for our own reference to the pod's namespace. */
function literal(v: string): string {
  return v === '$(POD_NAMESPACE)' ? v : escapeForKubelet(v);
}
