export * from './discrepancy';
export * from './movements';
export * from './reconciliation-totals';
export * from './report-matcher';
export * from './schedule';
export * from './detectors';
export * from './ggr-report';
