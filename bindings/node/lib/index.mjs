// The ESM entry: the CommonJS module's exports by name (Node reads them from
// lib/index.js's export literal) and as the default export.
export * from './index.js';
export { default } from './index.js';
