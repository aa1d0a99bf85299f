import { Protocol } from './reference';

/** One port of a Service. */
export interface ServicePortOptions {
  /** The port the Service exposes. */
  readonly port: number;
  /**
   * The port's name (a DNS-1123 label); required when a Service has more than one port.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The port number on the pods that traffic goes to.
   * @default - `targetPortName` if set, else the same as `port`
   */
  readonly targetPort?: number;
  /**
   * The name of a container port on the pods that traffic goes to (resolved per pod).
   * Give either this or `targetPort`, not both.
   * @default - `targetPort`
   */
  readonly targetPortName?: string;
  /**
   * The transport protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * The application protocol, e.g. `http`, `https`, `kubernetes.io/h2c` (a qualified name).
   * @default - none
   */
  readonly appProtocol?: string;
}

/** One port of a NodePort or LoadBalancer Service. */
export interface NodePortServicePortOptions extends ServicePortOptions {
  /**
   * The port opened on every node, within the node-port range (30000-32767 by default).
   * @default - allocated by the API server
   */
  readonly nodePort?: number;
}
