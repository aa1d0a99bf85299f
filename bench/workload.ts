/**
 * The bench workloads: the same Services and Ingresses built with this library, with
 * cdk8s-plus-27 and with the raw L1 classes, and generated plain manifests for the model.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIpService, Ingress, IngressBackend, PathType } from '../src';

/** Size of a synth workload. */
export interface SynthSize {
  readonly services: number;
  readonly ingresses: number;
  readonly rulesPerIngress: number;
}

export const SYNTH_NAMESPACE = 'bench';
const SERVICE_PORT = 80;
const TARGET_PORT = 8080;

const serviceName = (i: number) => `svc-${i}`;
const ingressName = (j: number) => `ing-${j}`;
/** Rule k of Ingress j: one host with one Prefix path, routed to a Service picked round robin. */
const ruleHost = (j: number, k: number) => `r${k}.ing-${j}.bench.example`;
const rulePath = (k: number) => `/api/v${k}`;
const ruleService = (size: SynthSize, j: number, k: number) => (j * size.rulesPerIngress + k) % size.services;

/** The three ways of building the same objects; each returns a fresh App holding one chart. */
export const SYNTH_BUILDERS: Record<string, (size: SynthSize) => App> = {
  'cdk8s-traffic': (size) => {
    const { app, chart } = newChart();
    const services: ClusterIpService[] = [];
    for (let i = 0; i < size.services; i++) {
      const name = serviceName(i);
      services.push(new ClusterIpService(chart, name, {
        metadata: { name },
        selector: { app: name },
        ports: [{ name: 'http', port: SERVICE_PORT, targetPort: TARGET_PORT }],
      }));
    }
    for (let j = 0; j < size.ingresses; j++) {
      const ingress = new Ingress(chart, ingressName(j), { metadata: { name: ingressName(j) }, ingressClassName: 'nginx' });
      for (let k = 0; k < size.rulesPerIngress; k++) {
        const backend = IngressBackend.fromService(services[ruleService(size, j, k)], { port: SERVICE_PORT });
        ingress.addRule(ruleHost(j, k), rulePath(k), backend, PathType.PREFIX);
      }
    }
    return app;
  },

  'cdk8s-plus-27': (size) => {
    const { app, chart } = newChart();
    const services: kplus.Service[] = [];
    for (let i = 0; i < size.services; i++) {
      const name = serviceName(i);
      const svc = new kplus.Service(chart, name, {
        metadata: { name },
        ports: [{ name: 'http', port: SERVICE_PORT, targetPort: TARGET_PORT }],
      });
      svc.selectLabel('app', name);
      services.push(svc);
    }
    for (let j = 0; j < size.ingresses; j++) {
      const ingress = new kplus.Ingress(chart, ingressName(j), { metadata: { name: ingressName(j) }, className: 'nginx' });
      for (let k = 0; k < size.rulesPerIngress; k++) {
        const backend = kplus.IngressBackend.fromService(services[ruleService(size, j, k)], { port: SERVICE_PORT });
        ingress.addHostRule(ruleHost(j, k), rulePath(k), backend, kplus.HttpIngressPathType.PREFIX);
      }
    }
    return app;
  },

  'raw L1': (size) => {
    const { app, chart } = newChart();
    for (let i = 0; i < size.services; i++) {
      const name = serviceName(i);
      new kplus.k8s.KubeService(chart, name, {
        metadata: { name },
        spec: {
          type: 'ClusterIP',
          selector: { app: name },
          ports: [{ name: 'http', port: SERVICE_PORT, targetPort: kplus.k8s.IntOrString.fromNumber(TARGET_PORT) }],
        },
      });
    }
    for (let j = 0; j < size.ingresses; j++) {
      const rules: kplus.k8s.IngressRule[] = [];
      for (let k = 0; k < size.rulesPerIngress; k++) {
        rules.push({
          host: ruleHost(j, k),
          http: { paths: [{ path: rulePath(k), pathType: 'Prefix', backend: { service: { name: serviceName(ruleService(size, j, k)), port: { number: SERVICE_PORT } } } }] },
        });
      }
      new kplus.k8s.KubeIngress(chart, ingressName(j), { metadata: { name: ingressName(j) }, spec: { ingressClassName: 'nginx', rules } });
    }
    return app;
  },
};

function newChart(): { app: App; chart: Chart } {
  const app = new App({ outdir: 'bench/.out' });
  const chart = new Chart(app, 'bench', { namespace: SYNTH_NAMESPACE });
  return { app, chart };
}

/** Size of a generated cluster for the model. */
export interface ClusterSize {
  readonly services: number;
  /** Ports per Service; each port is one kube-proxy Service-port rule. */
  readonly portsPerService: number;
  /** Replicas of the Deployment behind each Service. */
  readonly podsPerService: number;
  readonly ingresses: number;
  readonly rulesPerIngress: number;
  readonly namespaces: number;
}

/** A pod range large enough for 100k pods (the default /16 holds 65k), clear of the service range. */
export const MODEL_OPTIONS = { nodes: 20, podCidr: '100.64.0.0/10', seed: 1 };

export const modelNamespace = (i: number, size: ClusterSize) => `team-${i % size.namespaces}`;
export const modelHost = (j: number, k: number) => `r${k}.ing-${j}.bench.example`;
export const modelPath = (k: number) => `/api/v${k}`;

/**
 * Service i lives in namespace i mod n; rule k of Ingress j goes to a Service of the Ingress's
 * namespace (an Ingress can only route to its own), cycling through Services and ports.
 */
export function modelRuleTarget(size: ClusterSize, j: number, k: number): { service: number; port: number } {
  const perNamespace = Math.ceil(size.services / size.namespaces);
  const slot = j * size.rulesPerIngress + k;
  const service = ((slot % perNamespace) * size.namespaces + (j % size.namespaces)) % size.services;
  return { service, port: Math.floor(slot / perNamespace) % size.portsPerService };
}

/** Plain manifests: an IngressClass, then per Service a Deployment and the Service, then the Ingresses. */
export function modelManifests(size: ClusterSize): any[] {
  const out: any[] = [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx' },
  }];
  const ports = Array.from({ length: size.portsPerService }, (_, p) => p);
  for (let i = 0; i < size.services; i++) {
    const name = serviceName(i);
    const namespace = modelNamespace(i, size);
    const labels = { app: name };
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas: size.podsPerService,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'registry.example/app:1', ports: ports.map((p) => ({ name: `p${p}`, containerPort: TARGET_PORT + p })) }] },
        },
      },
    });
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: labels, ports: ports.map((p) => ({ name: `p${p}`, port: SERVICE_PORT + p, targetPort: TARGET_PORT + p })) },
    });
  }
  for (let j = 0; j < size.ingresses; j++) {
    const namespace = modelNamespace(j, size);
    const rules = Array.from({ length: size.rulesPerIngress }, (_, k) => {
      const target = modelRuleTarget(size, j, k);
      return {
        host: modelHost(j, k),
        http: { paths: [{ path: modelPath(k), pathType: 'Prefix', backend: { service: { name: serviceName(target.service), port: { number: SERVICE_PORT + target.port } } } }] },
      };
    });
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: ingressName(j), namespace },
      spec: { ingressClassName: 'nginx', rules },
    });
  }
  return out;
}

/** Route rules per HTTPRoute in the Gateway workload (the CRD's maximum is 16). */
export const GATEWAY_RULES_PER_ROUTE = 16;
export const GATEWAY_CONTROLLER = 'example.com/gateway-controller';
export const gatewayHost = (route: number) => `g${route}.gw.bench.example`;
export const gatewayPath = (rule: number) => `/svc/v${rule}`;

/**
 * A Gateway with one HTTP listener (routes from every namespace) and `rules` HTTPRoute rules:
 * HTTPRoutes of GATEWAY_RULES_PER_ROUTE PathPrefix rules each, one hostname per route, each rule
 * to a Service of the route's namespace (one port, one pod).
 */
export function gatewayManifests(rules: number, services: number, namespaces: number): any[] {
  const size: ClusterSize = { services, portsPerService: 1, podsPerService: 1, ingresses: 0, rulesPerIngress: 0, namespaces };
  const out = modelManifests(size).filter((o) => o.kind !== 'IngressClass');
  out.push(
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'bench' }, spec: { controllerName: GATEWAY_CONTROLLER } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'team-0' },
      spec: { gatewayClassName: 'bench', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
    },
  );
  const perNamespace = Math.ceil(services / namespaces);
  for (let r = 0; r < rules / GATEWAY_RULES_PER_ROUTE; r++) {
    const ns = r % namespaces;
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `route-${r}`, namespace: `team-${ns}` },
      spec: {
        parentRefs: [{ name: 'edge', namespace: 'team-0' }],
        hostnames: [gatewayHost(r)],
        rules: Array.from({ length: GATEWAY_RULES_PER_ROUTE }, (_, k) => ({
          matches: [{ path: { type: 'PathPrefix', value: gatewayPath(k) } }],
          backendRefs: [{ name: serviceName((((r * GATEWAY_RULES_PER_ROUTE + k) % perNamespace) * namespaces + ns) % services), port: SERVICE_PORT }],
        })),
      },
    });
  }
  return out;
}

/**
 * One NetworkPolicy per Service, as apps that ship policies do (Online Boutique has one per
 * service): it isolates the Service's pods for ingress and allows the ingress-nginx controller
 * on the first port by name, and any pod of any namespace on every port.
 */
export function modelPolicies(size: ClusterSize): any[] {
  const out: any[] = [];
  for (let i = 0; i < size.services; i++) {
    const name = serviceName(i);
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${name}-ingress`, namespace: modelNamespace(i, size) },
      spec: {
        podSelector: { matchLabels: { app: name } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
            ports: [{ port: 'p0' }],
          },
          { from: [{ namespaceSelector: {}, podSelector: {} }] },
        ],
      },
    });
  }
  return out;
}
