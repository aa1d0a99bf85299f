// Workload rules restated from kubernetes/kubernetes 1.27: pkg/apis/core/validation/validation.go
// (ValidatePodSpec, validateContainers, validateContainerPorts), pkg/apis/apps/validation
// (ValidateDeploymentSpec & co: selector required, non-empty, matching the template labels,
// restartPolicy Always), pkg/apis/batch/validation (Job restartPolicy OnFailure|Never) and
// pkg/apis/core/v1/defaults.go (restartPolicy Always, dnsPolicy ClusterFirst, port protocol TCP).
import { applyDefaults, validateManifest } from '../../src';

const container = (extra: any = {}) => ({ name: 'app', image: 'nginx', ...extra });
const pod = (spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
const deployment = (spec: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec });
const template = (labels: any, spec: any = { containers: [container()] }) => ({ metadata: { labels }, spec });
const fields = (obj: any) => validateManifest(obj).map((e) => `${e.field} ${e.type}`);

describe('Pod (ValidatePodSpec)', () => {
  test('a minimal pod is accepted', () => {
    expect(validateManifest(pod({ containers: [container()] }))).toEqual([]);
  });

  test('defaults: restartPolicy Always, dnsPolicy ClusterFirst, container port protocol TCP (SetDefaults_PodSpec)', () => {
    const d = applyDefaults(pod({ containers: [container({ ports: [{ containerPort: 80 }] })] }));
    expect(d.spec.restartPolicy).toBe('Always');
    expect(d.spec.dnsPolicy).toBe('ClusterFirst');
    expect(d.spec.containers[0].ports[0].protocol).toBe('TCP');
  });

  test('hostNetwork defaults hostPort to containerPort (SetDefaults_Pod)', () => {
    const d = applyDefaults(pod({ hostNetwork: true, containers: [container({ ports: [{ containerPort: 9100 }] })] }));
    expect(d.spec.containers[0].ports[0].hostPort).toBe(9100);
  });

  test.each([
    ['no containers', { containers: [] }, 'spec.containers Required'],
    ['container without name', { containers: [{ image: 'x' }] }, 'spec.containers[0].name Required'],
    ['container without image', { containers: [{ name: 'a' }] }, 'spec.containers[0].image Required'],
    ['container name not a DNS label', { containers: [container({ name: 'App_1' })] }, 'spec.containers[0].name Invalid'],
    ['duplicate container names', { containers: [container(), container()] }, 'spec.containers[1].name Duplicate'],
    ['containerPort 0 is unset', { containers: [container({ ports: [{ containerPort: 0 }] })] }, 'spec.containers[0].ports[0].containerPort Required'],
    ['containerPort out of range', { containers: [container({ ports: [{ containerPort: 70000 }] })] }, 'spec.containers[0].ports[0].containerPort Invalid'],
    ['containerPort of the wrong type', { containers: [container({ ports: [{ containerPort: '80' }] })] }, 'spec.containers[0].ports[0].containerPort Invalid'],
    ['port name without a letter', { containers: [container({ ports: [{ name: '8080', containerPort: 8080 }] })] }, 'spec.containers[0].ports[0].name Invalid'],
    ['port name longer than 15', { containers: [container({ ports: [{ name: 'a-very-long-port-name', containerPort: 1 }] })] }, 'spec.containers[0].ports[0].name Invalid'],
    ['protocol not supported', { containers: [container({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }, 'spec.containers[0].ports[0].protocol NotSupported'],
    ['restartPolicy not supported', { restartPolicy: 'Sometimes', containers: [container()] }, 'spec.restartPolicy NotSupported'],
    ['dnsPolicy not supported', { dnsPolicy: 'Cluster', containers: [container()] }, 'spec.dnsPolicy NotSupported'],
    ['hostname not a DNS label', { hostname: 'web.0', containers: [container()] }, 'spec.hostname Invalid'],
    ['subdomain not a DNS label', { subdomain: 'Web', containers: [container()] }, 'spec.subdomain Invalid'],
  ])('rejects %s', (_name, spec, expected) => {
    expect(fields(pod(spec))).toContain(expected);
  });

  // validation.go validateContainerCommon calls validateContainerPorts with one container's ports
  // (kubernetes#122150: cross-container duplicates are accepted, in every version).
  test('port names are unique within a container (validateContainerPorts), not across containers', () => {
    const across = { containers: [container({ ports: [{ name: 'http', containerPort: 80 }] }), container({ name: 'side', ports: [{ name: 'http', containerPort: 81 }] })] };
    expect(fields(pod(across))).toEqual([]);
    const within = { containers: [container({ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] })] };
    expect(fields(pod(within))).toEqual(['spec.containers[0].ports[1].name Duplicate']);
  });

  test('a missing spec reports the containers as required, not a crash', () => {
    expect(fields({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toEqual(['spec.containers Required']);
  });
});

describe('apps/v1 controllers (pkg/apis/apps/validation)', () => {
  test('a deployment whose selector matches its template is accepted, replicas default to 1', () => {
    const d = deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a', tier: 'x' }) });
    expect(validateManifest(d)).toEqual([]);
    expect(applyDefaults(d).spec.replicas).toBe(1);
  });

  test('selector is required', () => {
    expect(fields(deployment({ template: template({ app: 'a' }) }))).toEqual(['spec.selector Required']);
  });

  test('an empty selector is invalid ("empty selector is invalid for deployment")', () => {
    const errs = validateManifest(deployment({ selector: {}, template: template({ app: 'a' }) }));
    expect(errs).toEqual([expect.objectContaining({ field: 'spec.selector', type: 'Invalid', message: 'empty selector is invalid for deployment' })]);
  });

  test('the selector must match the template labels', () => {
    const errs = validateManifest(deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'b' }) }));
    expect(errs).toEqual([expect.objectContaining({ field: 'spec.template.metadata.labels', type: 'Invalid', message: '`selector` does not match template `labels`' })]);
  });

  test.each([
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
  ])('matchExpressions %j match {app: a, tier: x}: %p', (selector, matches) => {
    const errs = validateManifest(deployment({ selector, template: template({ app: 'a', tier: 'x' }) }));
    expect(errs.length === 0).toBe(matches);
  });

  test.each([
    [{ key: 'app', operator: 'In' }, 'spec.selector.matchExpressions[0].values Required'],
    [{ key: 'app', operator: 'Exists', values: ['a'] }, 'spec.selector.matchExpressions[0].values Forbidden'],
    [{ key: 'app', operator: 'Near', values: ['a'] }, 'spec.selector.matchExpressions[0].operator Invalid'],
  ])('ValidateLabelSelector rejects %j', (expr, expected) => {
    expect(fields(deployment({ selector: { matchExpressions: [expr] }, template: template({ app: 'a' }) }))).toContain(expected);
  });

  test('negative replicas are invalid', () => {
    expect(fields(deployment({ replicas: -1, selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) }))).toEqual(['spec.replicas Invalid']);
  });

  test('templates allow only restartPolicy Always', () => {
    const errs = validateManifest(deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }, { restartPolicy: 'Never', containers: [container()] }) }));
    expect(errs).toEqual([expect.objectContaining({ field: 'spec.template.spec.restartPolicy', type: 'NotSupported', value: 'Never' })]);
  });

  test('template pod specs are validated with their full path', () => {
    expect(fields(deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }, { containers: [{ name: 'c' }] }) })))
      .toEqual(['spec.template.spec.containers[0].image Required']);
  });

  test.each([
    ['ReplicaSet', 'deployment'],
    ['StatefulSet', 'statefulset'],
    ['DaemonSet', 'daemonset'],
  ])('%s: selector required and matching', (kind, noun) => {
    const base = { apiVersion: 'apps/v1', kind, metadata: { name: 'x' } };
    expect(fields({ ...base, spec: { template: template({ app: 'a' }) } })).toEqual(['spec.selector Required']);
    expect(validateManifest({ ...base, spec: { selector: {}, template: template({ app: 'a' }) } })[0].message).toBe(`empty selector is invalid for ${noun}`);
    expect(validateManifest({ ...base, spec: { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) } })).toEqual([]);
  });
});

describe('batch/v1 Job (pkg/apis/batch/validation)', () => {
  const job = (spec: any) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec });
  test('restartPolicy must be OnFailure or Never (the default Always is refused)', () => {
    const errs = validateManifest(job({ template: { spec: { containers: [container()] } } }));
    expect(errs).toEqual([expect.objectContaining({ field: 'spec.template.spec.restartPolicy', type: 'Required', message: 'valid values: "OnFailure", "Never"' })]);
  });
  test('a job with restartPolicy Never and no selector is accepted (the selector is generated)', () => {
    expect(validateManifest(job({ template: { spec: { restartPolicy: 'Never', containers: [container()] } } }))).toEqual([]);
  });
  test('negative parallelism is invalid', () => {
    expect(fields(job({ parallelism: -2, template: { spec: { restartPolicy: 'Never', containers: [container()] } } }))).toEqual(['spec.parallelism Invalid']);
  });
});

describe('Pod dnsConfig (validatePodDNSConfig)', () => {
  test.each([
    ['dnsPolicy None without dnsConfig', { dnsPolicy: 'None' }, 'spec.dnsConfig Required'],
    ['dnsPolicy None without nameservers', { dnsPolicy: 'None', dnsConfig: { searches: ['a.b'] } }, 'spec.dnsConfig.nameservers Required'],
    ['more than 3 nameservers', { dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] } }, 'spec.dnsConfig.nameservers Invalid'],
    ['a nameserver that is not an IP', { dnsConfig: { nameservers: ['dns.example.com'] } }, 'spec.dnsConfig.nameservers[0] Invalid'],
    ['a search path that is not a domain', { dnsConfig: { searches: ['Not_A_Domain'] } }, 'spec.dnsConfig.searches[0] Invalid'],
  ])('rejects %s', (_name, extra, expected) => {
    expect(fields(pod({ containers: [container()], ...extra }))).toContain(expected);
  });
  test('dnsPolicy None with a nameserver is accepted', () => {
    expect(validateManifest(pod({ containers: [container()], dnsPolicy: 'None', dnsConfig: { nameservers: ['10.96.0.10'], searches: ['svc.cluster.local'] } }))).toEqual([]);
  });
});
