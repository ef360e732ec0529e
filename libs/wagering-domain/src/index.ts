// Pure wagering domain: contribution schemas, progress, receipts, recompute.
export * from './bet-routing';
export * from './contribution-schema';
export * from './progress.commands';
export * from './progress.decide';
export * from './progress.events';
export * from './progress.state';
export * from './recompute';
export * from './wagering-terms';
