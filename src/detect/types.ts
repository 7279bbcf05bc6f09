// The shapes detection hands to the store, which commits them with the batch (store/alerts.ts).
export type { AlertRow, OutboxRow } from '../store/alerts.js';
export type { DetectWrite } from '../store/duckdb-store.js';
