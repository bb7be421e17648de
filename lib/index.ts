export * from './ordered-app';
export * from './component';
export * from './wait-for';
export * from './deploy-tools';
export * from './lifecycle';
