export * from './api';
export * from './service';
