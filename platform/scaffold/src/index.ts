export * from './entityRef.js';
export * from './filters.js';
export * from './renderTemplate.js';
export * from './writeAtomically.js';
export * from './scaffold.js';
export * from './loadPlatformContract.js';
export * from './loadTemplate.js';
export * from './findUp.js';
