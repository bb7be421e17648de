import { Duration } from 'cdk8s';
import { Component, DependencyOptions } from '../component';
import { DeployTool } from '../deploy-tools';
import { WaitFor } from '../wait-for';

/**
 * What an `OrderedApp` declared, as the synthesis stages read it: its
 * settings and its graph, recorded at call time and resolved at synth.
 *
 * @internal
 */

/** An edge of the startup graph as declared: a wait before start. */
export interface WaitIntent {
  readonly from: Component;
  readonly target?: Component;
  readonly check?: WaitFor;
  readonly options: DependencyOptions;
}

/** A readiness gate as declared. */
export interface GateIntent {
  readonly from: Component;
  readonly target?: Component;
  readonly check?: WaitFor;
  readonly period: number;
}

/** What the app declared: its settings and its graph. */
export interface AppIntent {
  readonly path: string;
  readonly waiterImage: string;
  readonly kubectlImage: string;
  readonly minor: number;
  readonly drain?: Duration;
  readonly orderedShutdown?: Duration;
  readonly deployTools: DeployTool[];
  /** Whether dependencies on workloads that roll out wait for the rollout, unless an edge says otherwise. */
  readonly upgradeChecks: boolean;
  readonly components: Component[];
  readonly waits: WaitIntent[];
  readonly gates: GateIntent[];
  /** Each component's waits and gates, in declaration order (those of `waits` and `gates`). */
  readonly waitsFrom: ReadonlyMap<Component, readonly WaitIntent[]>;
  readonly gatesFrom: ReadonlyMap<Component, readonly GateIntent[]>;
}

/** Whether a component's workload is a Job or a CronJob (it runs to completion). */
export function isJob(kind: string): boolean {
  return kind === 'Job' || kind === 'CronJob';
}
