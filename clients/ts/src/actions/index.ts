export * from './common.ts';
export * from './loans.ts';
export * from './market.ts';
export * from './channel.ts';
