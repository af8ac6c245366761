export * from './editions.ts';
export * from './keys.ts';
