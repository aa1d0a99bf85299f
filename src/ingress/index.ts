export * from './path-type';
export * from './backend';
export * from './ingress-class';
export * from './nginx';
export * from './ingress';
export * from './tls';
