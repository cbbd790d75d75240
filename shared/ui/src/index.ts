export * from './time.js';
export * from './verdict-presentation.js';
export * from './enrolment-link.js';
