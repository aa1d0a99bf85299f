/**
 * The ready endpoints of a Service port as L7 front doors proxy to them (straight to the pods),
 * shared by the ingress controller and the Gateway controller.
 */
import type { CompiledModel } from './model';
import type { ResolvedServicePort, UpstreamEndpoint } from './routing/ir';

export type ReadyEndpoints = (namespace: string, service: string, port: ResolvedServicePort) => readonly UpstreamEndpoint[];

/** Looks up the ready endpoints of `namespace/service` port; each list is built once, on first use (they never change after compile). */
export function readyEndpointLookup(model: CompiledModel): ReadyEndpoints {
  const upstreams = new Map<string, readonly UpstreamEndpoint[]>();
  return (namespace, service, port) => {
    const key = `${namespace}/${service}|${port.port}|${port.protocol}`;
    let list = upstreams.get(key);
    if (!list) {
      const ports = model.endpoints.byService.get(`${namespace}/${service}`) ?? [];
      const entry = ports.find((p) => p.port.port === port.port && p.port.protocol === port.protocol);
      list = (entry?.ready ?? []).map((e) => ({ ip: e.ip, port: e.port, ...(e.pod ? { pod: e.pod.key } : {}) }));
      upstreams.set(key, list);
    }
    return list;
  };
}
