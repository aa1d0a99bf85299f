// Shared by the Service rule tests.

/** upstream makeValidService (pkg/apis/core/validation/validation_test.go), as v1 JSON, changed by `tweak`. */
export function validService(tweak: (spec: any, svc: any) => void = () => {}): any {
  const svc: any = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'valid', namespace: 'valid', labels: {}, annotations: {} },
    spec: {
      selector: { key: 'val' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
      ports: [{ name: 'p', protocol: 'TCP', port: 8675, targetPort: 8675 }],
      internalTrafficPolicy: 'Cluster',
    },
  };
  tweak(svc.spec, svc);
  return svc;
}
