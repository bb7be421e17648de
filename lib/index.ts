export { OrderedApp } from './ordered-app';
export type { OrderedAppProps } from './ordered-app';
export { Component, TimeoutPolicy } from './component';
export type {
  ComponentOptions, Dependency, DependencyOptions, GateOnOptions, GateOptions, PostStartOptions, WaitOptions,
} from './component';
export { RolloutKind, WaitFor } from './wait-for';
export type { ConditionCheckOptions, ExistsCheckOptions, HttpCheckOptions, ObjectCheckOptions, PodsReadyOptions } from './wait-for';
export { DeployTool } from './deploy-tools';
export { LifecycleAction } from './lifecycle';
export type { HttpGetActionOptions } from './lifecycle';
