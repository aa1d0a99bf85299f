/**
 * What every cluster holds before any manifest is applied: kube-apiserver creates its own
 * namespaces and the `kubernetes` Service (pkg/controlplane/controller/systemnamespaces and
 * pkg/controlplane/controller/kubernetesservice/controller.go, CreateOrUpdateMasterServiceIfNeeded).
 */
import { ipFamilyOf } from './names';

/** The namespaces kube-apiserver creates at startup (systemnamespaces controller). */
export const INITIAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The API server's own Service: `default/kubernetes`. */
export const KUBERNETES_SERVICE_NAMESPACE = 'default';
export const KUBERNETES_SERVICE_NAME = 'kubernetes';

/** Its one port: `https` 443/TCP to the API server's secure port (kube-apiserver `--secure-port`, default 6443). */
export const KUBERNETES_SERVICE_PORT = { name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' } as const;

/** `Service/default/kubernetes`. */
export const KUBERNETES_SERVICE_REF = `Service/${KUBERNETES_SERVICE_NAMESPACE}/${KUBERNETES_SERVICE_NAME}`;

/**
 * The index of its ClusterIP in the service range: the first address after the network address
 * (`GetIndexedIP(serviceClusterIPRange, 1)`, so 10.96.0.1 in 10.96.0.0/12).
 */
export const KUBERNETES_SERVICE_IP_INDEX = 1;

/**
 * The `kubernetes` Service and the EndpointSlice the API server's endpoint reconciler keeps for
 * it (the `https` port to each API server's advertise address), as manifests.
 */
export function kubernetesServiceManifests(clusterIp: string, apiServerAddress: string): object[] {
  const { name, port, targetPort, protocol } = KUBERNETES_SERVICE_PORT;
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: KUBERNETES_SERVICE_NAME,
        namespace: KUBERNETES_SERVICE_NAMESPACE,
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: clusterIp,
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        ports: [{ name, port, targetPort, protocol }],
      },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: KUBERNETES_SERVICE_NAME,
        namespace: KUBERNETES_SERVICE_NAMESPACE,
        labels: { 'kubernetes.io/service-name': KUBERNETES_SERVICE_NAME },
      },
      addressType: ipFamilyOf(apiServerAddress),
      endpoints: [{ addresses: [apiServerAddress], conditions: { ready: true } }],
      ports: [{ name, port: targetPort, protocol }],
    },
  ];
}
