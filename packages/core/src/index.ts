export * from './errors';
export type * from './model';
