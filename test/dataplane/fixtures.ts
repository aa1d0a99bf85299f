/** Manifest builders for the dataplane model tests. */

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface DeploymentOptions {
  readonly labels?: Record<string, string>;
  readonly replicas?: number;
  readonly ports?: ContainerPort[];
  readonly podSpec?: any;
}

export function deployment(namespace: string, name: string, opts: DeploymentOptions = {}): any {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'example/app', ports: opts.ports ?? [{ name: 'http', containerPort: 8080 }] }], ...opts.podSpec } },
    },
  };
}

export function statefulSet(namespace: string, name: string, serviceName: string, replicas = 3): any {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace },
    spec: {
      replicas,
      serviceName,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'example/db', ports: [{ name: 'pg', containerPort: 5432 }] }] } },
    },
  };
}

export function pod(namespace: string, name: string, opts: { labels?: Record<string, string>; spec?: any; status?: any } = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: opts.labels ?? {} },
    spec: { containers: [{ name: 'c', image: 'example/c' }], ...opts.spec },
    ...(opts.status ? { status: opts.status } : {}),
  };
}

export function service(namespace: string, name: string, spec: any): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

export function clusterIpService(namespace: string, name: string, selector: Record<string, string> | undefined, ports: any[], extra: any = {}): any {
  return service(namespace, name, { ...(selector ? { selector } : {}), ports, ...extra });
}
