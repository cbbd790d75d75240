export * from './decide.js';
export * from './proof.js';
export * from './vectors.js';
export * from './policy.js';
