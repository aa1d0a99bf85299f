export * from './path-type';
export * from './backend';
export * from './ingress-class';
export { NginxIngressOptions } from './nginx';
export * from './ingress';
export { TlsMaterial, ITlsSecret, TlsCertificateSecretProps, TlsCertificateSecret, CertManagerIssuer } from './tls';
