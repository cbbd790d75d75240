export * from './decide.js';
export * from './vectors.js';
