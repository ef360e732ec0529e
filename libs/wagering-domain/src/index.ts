// Pure wagering domain: contribution schemas, progress, receipts, recompute.
export {};
