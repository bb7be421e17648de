export { OrderedApp } from './ordered-app';
export type { OrderedAppProps } from './ordered-app';
export { Component, TimeoutPolicy } from './component';
export type {
  ComponentOptions, Dependency, DependencyOptions, GateOnOptions, GateOptions, PostStartOptions, WaitOptions,
} from './component';
export { RolloutKind, WaitFor } from './wait-for';
export type { ObjectCheckOptions } from './checks/api';
export type { ConditionCheckOptions } from './checks/condition/render';
export type { ExistsCheckOptions } from './checks/exists/render';
export type { HttpCheckOptions } from './checks/http/render';
export type { PodsReadyOptions } from './checks/pods/render';
export { DeployTool } from './deploy-tools';
export { LifecycleAction } from './lifecycle';
export type { HttpGetActionOptions } from './lifecycle';
