export * from './ordered-app';
export * from './component';
export * from './wait-for';
