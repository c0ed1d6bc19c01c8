export * from './readModelFiles.js';
export * from './sizeLlmStep.js';
