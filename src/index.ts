export * from './api';
export { IKubernetesResource } from './core/kubernetes-resource';
export * from './service';
export * from './ingress';
export * from './gateway';
export * from './dataplane';
export * from './cluster';
export * from './assertions';
