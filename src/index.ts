export * from './api';
export * from './service';
export * from './ingress';
export * from './dataplane';
export * from './cluster';
