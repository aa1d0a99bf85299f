/**
 * `kubernetesVersion` in validateManifest: each accept/reject delta of 1.27 … 1.35, with the same
 * manifest judged by the versions on both sides of the change. Sources per case; the feature-gate
 * stages are kubernetes/website content/en/docs/reference/command-line-tools-reference/feature-gates/<Gate>.md.
 */
import { applyDefaults, formatFieldError, validateManifest } from '../../src';

function service(spec: any, annotations: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', annotations }, spec: { selector: { app: 'web' }, ...spec } };
}

const loadBalancer = (extra: any = {}) => service({ type: 'LoadBalancer', ports: [{ port: 80 }], ...extra });

function lines(obj: any, kubernetesVersion?: string, featureGates?: Record<string, boolean>): string[] {
  return validateManifest(obj, { kubernetesVersion, featureGates }).map(formatFieldError);
}

describe('the option', () => {
  test('every minor from 1.27 to 1.35 is accepted; the default is 1.27', () => {
    for (const v of ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35']) expect(lines(loadBalancer(), v)).toEqual([]);
    expect(lines(loadBalancer({ ports: [{ port: 10250 }] }))).toEqual(lines(loadBalancer({ ports: [{ port: 10250 }] }), '1.27'));
  });

  test('an unknown version is an error naming the supported ones', () => {
    const supported = '1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35';
    expect(() => validateManifest(loadBalancer(), { kubernetesVersion: '1.26' }))
      .toThrow(`validateManifest options: kubernetesVersion must be one of ${supported}, got "1.26"`);
    expect(() => validateManifest(loadBalancer(), { kubernetesVersion: 1.3 as any })).toThrow('kubernetesVersion must be one of 1.27');
    expect(() => validateManifest(loadBalancer(), { kubernetesVersion: 'v1.33' })).toThrow('got "v1.33"');
    // Also for a kind the library does not know: the option is wrong whatever the manifest.
    expect(() => validateManifest({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' } }, { kubernetesVersion: '1.36' })).toThrow('got "1.36"');
  });

  test('featureGates: only modelled gates, only where the version has them, locked gates only at their default', () => {
    const gates = (featureGates: any, kubernetesVersion = '1.33') => () => validateManifest(loadBalancer(), { kubernetesVersion, featureGates });
    expect(gates({ Foo: true })).toThrow('validateManifest options: featureGates.Foo: not a gate this library models (it models ServiceNodePortStaticSubrange, ');
    expect(gates({ NFTablesProxyMode: true }, '1.28')).toThrow('featureGates.NFTablesProxyMode: Kubernetes 1.28 has no such gate (it arrives in 1.29)');
    expect(gates({ ServiceNodePortStaticSubrange: false }, '1.31'))
      .toThrow('featureGates.ServiceNodePortStaticSubrange: Kubernetes 1.31 has no such gate any more (removed in 1.31; the feature is always on)');
    expect(gates({ ServiceTrafficDistribution: false })).toThrow('featureGates.ServiceTrafficDistribution: GA in Kubernetes 1.33 and locked to true');
    expect(gates({ PreferSameTrafficDistribution: 'yes' })).toThrow('featureGates.PreferSameTrafficDistribution must be true or false, got "yes"');
    expect(gates(['PreferSameTrafficDistribution'])).toThrow('featureGates must be a map of gate name to true or false');
    expect(gates({ ServiceTrafficDistribution: true })()).toEqual([]);
  });
});

describe('kubelet port 10250 on a LoadBalancer (removed in 1.33, kubernetes#129174)', () => {
  const lb = loadBalancer({ ports: [{ port: 10250 }] });
  test('1.32 refuses it', () => {
    expect(lines(lb, '1.32')).toEqual(['spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet']);
  });
  test('1.33 accepts it', () => {
    expect(lines(lb, '1.33')).toEqual([]);
  });
  test('a NodePort Service on 10250 was always fine', () => {
    expect(lines(service({ type: 'NodePort', ports: [{ port: 10250 }] }), '1.27')).toEqual([]);
  });
});

describe('loadBalancerSourceRanges errors (one per CIDR from 1.30, kubernetes#123174; validation.go ValidateService + ip.go IsValidCIDR)', () => {
  const bad = loadBalancer({ loadBalancerSourceRanges: ['10.0.0.0/8', 'foo', ' 1.2.3.4/33 '] });
  test('1.29: one error for the list, printed as Go prints a slice', () => {
    expect(lines(bad, '1.29')).toEqual(['spec.LoadBalancerSourceRanges: Invalid value: "[10.0.0.0/8 foo  1.2.3.4/33 ]": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ']);
  });
  test('1.30: one error per bad entry, trimmed, at its index', () => {
    expect(lines(bad, '1.30')).toEqual([
      'spec.LoadBalancerSourceRanges[1]: Invalid value: "foo": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'spec.LoadBalancerSourceRanges[2]: Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });
  const annotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';
  const annotated = service({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { [annotation]: '10.0.0.0/8, foo,bar' });
  test('the annotation: 1.29 one error with the whole value, 1.30 one per bad CIDR on the annotation', () => {
    expect(lines(annotated, '1.29')).toEqual([`metadata.annotations[${annotation}]: Invalid value: "10.0.0.0/8, foo,bar": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 `]);
    expect(lines(annotated, '1.30')).toEqual([
      `metadata.annotations[${annotation}]: Invalid value: "foo": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
      `metadata.annotations[${annotation}]: Invalid value: "bar": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
    ]);
  });
  test('valid ranges pass in both shapes', () => {
    const ok = loadBalancer({ loadBalancerSourceRanges: ['10.0.0.0/8', ' 192.168.0.0/16'] });
    expect(lines(ok, '1.29')).toEqual([]);
    expect(lines(ok, '1.30')).toEqual([]);
  });
});

describe('externalTrafficPolicy on a ClusterIP Service with externalIPs (1.29, kubernetes#119150)', () => {
  const local = service({ ports: [{ port: 80 }], externalIPs: ['192.0.2.10'], externalTrafficPolicy: 'Local' });
  test('1.28 refuses the policy with the NodePort/LoadBalancer message, and defaults none', () => {
    expect(lines(local, '1.28')).toEqual(["spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set when `type` is 'NodePort' or 'LoadBalancer'"]);
    expect(applyDefaults(service({ ports: [{ port: 80 }], externalIPs: ['192.0.2.10'] }), { kubernetesVersion: '1.28' }).spec.externalTrafficPolicy).toBeUndefined();
  });
  test('1.29 accepts it and defaults Cluster; without externalIPs it is still refused, with the new message', () => {
    expect(lines(local, '1.29')).toEqual([]);
    expect(applyDefaults(service({ ports: [{ port: 80 }], externalIPs: ['192.0.2.10'] }), { kubernetesVersion: '1.29' }).spec.externalTrafficPolicy).toBe('Cluster');
    expect(lines(service({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }), '1.29'))
      .toEqual(['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
  });
});

describe('spec.trafficDistribution (KEP-4444, KEP-3015; validation.go validateServiceTrafficDistribution)', () => {
  const td = (value: unknown) => service({ ports: [{ port: 80 }], trafficDistribution: value });
  test('1.29: the field does not exist; strict field validation refuses it', () => {
    expect(lines(td('PreferClose'), '1.29'))
      .toEqual(['spec.trafficDistribution: Forbidden: strict decoding error: unknown field "spec.trafficDistribution" (Kubernetes 1.29 has no such field; it arrives in 1.30)']);
  });
  test('1.30: the gate is off, so the API server drops the field (any value) before validating', () => {
    expect(lines(td('Bogus'), '1.30')).toEqual([]);
    expect(applyDefaults(td('PreferClose'), { kubernetesVersion: '1.30' }).spec.trafficDistribution).toBeUndefined();
  });
  test('1.30 with the gate on, and 1.31–1.33: PreferClose only', () => {
    const only = ['spec.trafficDistribution: Unsupported value: "PreferSameNode": supported values: "PreferClose"'];
    expect(lines(td('PreferSameNode'), '1.30', { ServiceTrafficDistribution: true })).toEqual(only);
    expect(lines(td('PreferClose'), '1.30', { ServiceTrafficDistribution: true })).toEqual([]);
    expect(applyDefaults(td('PreferClose'), { kubernetesVersion: '1.31' }).spec.trafficDistribution).toBe('PreferClose');
    expect(lines(td('PreferClose'), '1.31')).toEqual([]);
    expect(lines(td('PreferSameNode'), '1.33')).toEqual(only);
    expect(lines(td('PreferSameZone'), '1.33')).toEqual(['spec.trafficDistribution: Unsupported value: "PreferSameZone": supported values: "PreferClose"']);
  });
  test('1.34 (and 1.33 with PreferSameTrafficDistribution): three values', () => {
    for (const v of ['PreferClose', 'PreferSameZone', 'PreferSameNode']) {
      expect(lines(td(v), '1.34')).toEqual([]);
      expect(lines(td(v), '1.33', { PreferSameTrafficDistribution: true })).toEqual([]);
    }
    expect(lines(td('Nearby'), '1.35')).toEqual(['spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose", "PreferSameNode", "PreferSameZone"']);
  });
  test('no type restriction: headless and ExternalName Services may carry it', () => {
    expect(lines(service({ clusterIP: 'None', trafficDistribution: 'PreferSameNode' }), '1.34')).toEqual([]);
    expect(lines(service({ type: 'ExternalName', externalName: 'a.example.com', trafficDistribution: 'PreferClose' }), '1.31')).toEqual([]);
  });
  test('a wrongly-typed value is reported', () => {
    expect(lines(td(7), '1.34')).toEqual(['spec.trafficDistribution: Invalid value: 7: must be a string']);
  });
});

describe('dnsConfig.searches (RelaxedDNSSearchValidation β1.33, KEP-4427; validation.go validatePodDNSConfig)', () => {
  const pod = (searches: string[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], dnsConfig: { searches } },
  });
  const subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  test('1.32: `.` and `_` are refused (the value reported without its trailing dot)', () => {
    expect(lines(pod(['.', '_ldap._tcp.example.com.', 'example.com.']), '1.32')).toEqual([
      `spec.dnsConfig.searches[0]: Invalid value: "": ${subdomain}`,
      `spec.dnsConfig.searches[1]: Invalid value: "_ldap._tcp.example.com": ${subdomain}`,
    ]);
  });
  test('1.33 (and 1.32 with the gate): accepted; other bad values get the underscore message', () => {
    expect(lines(pod(['.', '_ldap._tcp.example.com.', 'example.com.']), '1.33')).toEqual([]);
    expect(lines(pod(['.', '_ldap._tcp.example.com']), '1.32', { RelaxedDNSSearchValidation: true })).toEqual([]);
    expect(lines(pod(['Example.com']), '1.34')).toEqual([
      "spec.dnsConfig.searches[0]: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', " +
      "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
  test('the relaxation reaches pod templates too', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: pod(['_svc.example.com']).spec } },
    };
    expect(lines(deployment, '1.32').length).toBe(1);
    expect(lines(deployment, '1.33')).toEqual([]);
  });
});

describe('networking.k8s.io/v1 ServiceCIDR (KEP-1880, GA 1.33; pkg/apis/networking/validation ValidateServiceCIDR)', () => {
  const cidr = (spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'extra' }, spec });
  test('1.32 does not serve the kind', () => {
    expect(lines(cidr({ cidrs: ['10.100.0.0/16'] }), '1.32'))
      .toEqual(['kind: Forbidden: no matches for kind "ServiceCIDR" in version "networking.k8s.io/v1": Kubernetes 1.32 does not serve it (from 1.33)']);
  });
  test('1.33 validates it', () => {
    expect(lines(cidr({ cidrs: ['10.100.0.0/16'] }), '1.33')).toEqual([]);
    expect(lines(cidr({ cidrs: ['10.100.0.0/16', 'fd00:100::/112'] }), '1.33')).toEqual([]);
    expect(lines(cidr({}), '1.33')).toEqual(['spec.cidrs: Required value: at least one CIDR required']);
    expect(lines(cidr({ cidrs: ['10.100.0.0/16', '10.200.0.0/16'] }), '1.33'))
      .toEqual(['spec.cidrs: Invalid value: {"cidrs":["10.100.0.0/16","10.200.0.0/16"]}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64']);
    expect(lines(cidr({ cidrs: ['a', 'b', 'c'] }), '1.33')).toEqual(['spec.cidrs: Invalid value: {"cidrs":["a","b","c"]}: may only hold up to 2 values']);
    expect(lines(cidr({ cidrs: ['10.100.0.0/33'] }), '1.34'))
      .toEqual(['spec.cidrs[0]: Invalid value: "10.100.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  });
  test('it is cluster-scoped', () => {
    expect(lines({ ...cidr({ cidrs: ['10.100.0.0/16'] }), metadata: { name: 'extra', namespace: 'shop' } }, '1.33')).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
});

describe('sidecar containers: a container restartPolicy (SidecarContainers α1.28, β1.29, GA 1.33; KEP-753)', () => {
  const pod = (initRestart: unknown, mainRestart?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: {
      initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: initRestart }],
      containers: [{ name: 'c', image: 'nginx', ...(mainRestart ? { restartPolicy: mainRestart } : {}) }],
    },
  });
  test('1.27: the field does not exist; strict field validation refuses it', () => {
    expect(lines(pod('Always'), '1.27'))
      .toEqual(['spec.initContainers[0].restartPolicy: Forbidden: strict decoding error: unknown field "spec.initContainers[0].restartPolicy" (Kubernetes 1.27 has no such field; it arrives in 1.28)']);
  });
  test('1.28: the gate is off, so the API server drops it from init containers (enabled: kept)', () => {
    expect(lines(pod('Always'), '1.28')).toEqual([]);
    expect(applyDefaults(pod('Always'), { kubernetesVersion: '1.28' }).spec.initContainers[0].restartPolicy).toBeUndefined();
    expect(applyDefaults(pod('Always'), { kubernetesVersion: '1.28', featureGates: { SidecarContainers: true } }).spec.initContainers[0].restartPolicy).toBe('Always');
  });
  test('1.29: Always on an init container; other values and regular containers refused', () => {
    expect(lines(pod('Always'), '1.29')).toEqual([]);
    expect(applyDefaults(pod('Always'), { kubernetesVersion: '1.29' }).spec.initContainers[0].restartPolicy).toBe('Always');
    expect(lines(pod('OnFailure'), '1.29')).toEqual(['spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']);
    expect(lines(pod('Always', 'Always'), '1.33')).toEqual(['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']);
  });
});
