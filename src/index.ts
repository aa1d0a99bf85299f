export * from './api';
export * from './service';
export * from './ingress';
export * from './gateway';
export * from './dataplane';
export * from './cluster';
