import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IpFamily, IpFamilyPolicy } from './enums';
import { NodePortServicePortOptions, ServicePortOptions } from './ports';
import { IServiceReference, Protocol, ServicePortInfo } from './reference';
import { podTemplateOf } from '../api/workloads';
import { apiObjectOf } from '../core/kubernetes-resource';
import { ValidatedApiObject } from '../core/validated-api-object';

/** Props every Service construct takes. */
export interface ServiceBaseProps {
  /**
   * Metadata: name, namespace, labels, annotations. Service names are DNS-1035 labels.
   * @default - a name generated from the construct path, the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
}

/** Props of Services that select pods (every type but ExternalName). */
export interface SelectingServiceProps extends ServiceBaseProps {
  /**
   * The pods this Service targets: a label map, or a workload construct (a cdk8s-plus
   * Deployment, StatefulSet, DaemonSet, Job or Pod of any major, or any construct synthesizing
   * one) or a cdk8s-plus pod selector, whose labels are read at synth time. Leave out for a
   * Service whose endpoints you manage yourself.
   * @default - no selector
   */
  readonly selector?: { [key: string]: string } | IConstruct;
  /**
   * A workload construct or cdk8s-plus pod selector, in addition to a label-map `selector`
   * (labels combine with AND).
   * @default - none
   */
  readonly selectPods?: IConstruct;
  /**
   * Publish endpoints of pods that are not ready, e.g. for peer discovery in a StatefulSet.
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * IP families in order of preference.
   * @default - chosen by the cluster from `ipFamilyPolicy`
   */
  readonly ipFamilies?: IpFamily[];
  /**
   * How many IP families the Service uses.
   * @default - SingleStack, unless two families or cluster IPs are given
   */
  readonly ipFamilyPolicy?: IpFamilyPolicy;
}

/** A construct has a construct node; a label map holds only strings. */
function isConstruct(selector: unknown): selector is IConstruct {
  return typeof selector === 'object' && selector !== null && typeof (selector as IConstruct).node === 'object';
}

/**
 * What a cdk8s-plus pod selector (`Pods.select`, any major) gives: its label selector in
 * Kubernetes form and the namespaces it looks in. Read by shape, so no cdk8s-plus copy is needed.
 */
interface PlusPodSelectorConfig {
  readonly labelSelector: { _toKube(): { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } };
  readonly namespaces?: { readonly names?: string[]; readonly labelSelector?: unknown };
}

function plusPodSelectorConfig(construct: IConstruct): PlusPodSelectorConfig | undefined {
  const selector = construct as { toPodSelectorConfig?: () => PlusPodSelectorConfig };
  return typeof selector.toPodSelectorConfig === 'function' ? selector.toPodSelectorConfig() : undefined;
}

interface PortEntry {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: Protocol;
  readonly appProtocol?: string;
  readonly nodePort?: number;
}

/**
 * The common base of this library's Service constructs. It owns the `v1/Service` object, whose
 * spec is rendered at synth time (so ports and selectors added later count) and checked with
 * the API server's rules.
 */
export abstract class ServiceBase extends Construct implements IServiceReference {
  /** The underlying `v1/Service` object, e.g. to add labels or annotations. */
  public readonly apiObject: ApiObject;
  /** The Service's `metadata.name`. */
  public readonly serviceName: string;
  /** The Service's namespace, when it has one. */
  public readonly serviceNamespace?: string;

  private readonly ports: PortEntry[] = [];
  private readonly labels: Record<string, string> = {};
  private readonly podSelectors: IConstruct[] = [];

  protected constructor(scope: Construct, id: string, props: ServiceBaseProps) {
    super(scope, id);
    this.apiObject = new ValidatedApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    this.serviceName = this.apiObject.name;
    this.serviceNamespace = this.apiObject.metadata.namespace;
  }

  /** The Service's ports as they will be synthesized. */
  public listPorts(): ServicePortInfo[] {
    return this.ports.map((p) => ({ port: p.port, name: p.name, protocol: p.protocol ?? Protocol.TCP }));
  }

  /** The type-specific part of the spec, in output order; undefined values are left out. */
  protected abstract renderTypeSpec(): Record<string, unknown>;

  /** The part of the spec that follows the ports; undefined values are left out. */
  protected renderTrailingSpec(): Record<string, unknown> {
    return {};
  }

  /** Adds a port; NodePort-capable types pass `nodePort`. */
  protected addPortEntry(options: NodePortServicePortOptions): void {
    if (options.targetPort !== undefined && options.targetPortName !== undefined) {
      throw new Error(`${this.node.path}: port ${options.port}: give targetPort or targetPortName, not both`);
    }
    this.ports.push({
      name: options.name,
      port: options.port,
      targetPort: options.targetPortName ?? options.targetPort,
      protocol: options.protocol,
      appProtocol: options.appProtocol,
      nodePort: options.nodePort,
    });
  }

  protected addPorts(ports?: ServicePortOptions[]): void {
    for (const port of ports ?? []) this.addPortEntry(port);
  }

  protected addSelectorLabel(key: string, value: string): void {
    this.labels[key] = value;
  }

  protected addPodSelector(selector: IConstruct): void {
    this.podSelectors.push(selector);
  }

  /** The selector: explicit labels plus the labels of each pod selector, or undefined when none. */
  private renderSelector(): Record<string, string> | undefined {
    const selector: Record<string, string> = { ...this.labels };
    for (const pods of this.podSelectors) {
      for (const [key, value] of Object.entries(this.labelsOf(pods))) {
        if (key in selector && selector[key] !== value) {
          throw new Error(`${this.node.path}: spec.selector: ${pods.node.path} needs ${key}=${value} but the selector already has ${key}=${selector[key]}; no pod can match both`);
        }
        selector[key] = value;
      }
    }
    const hasSelector = Object.keys(this.labels).length > 0 || this.podSelectors.length > 0;
    return hasSelector ? selector : undefined;
  }

  /**
   * The labels that pick a workload's or pod selector's pods. A workload's own match labels are
   * on every pod of its template; failing those, the template's labels are. Other selectors must
   * be plain label selectors in this Service's namespace, as a Service can express nothing else.
   */
  private labelsOf(pods: IConstruct): Record<string, string> {
    const fail = (why: string): never => {
      throw new Error(`${this.node.path}: spec.selector: cannot select the pods of ${pods.node.path}: ${why}`);
    };
    const apiObject = apiObjectOf(pods);
    if (apiObject) {
      const manifest = apiObject.toJson();
      const template = podTemplateOf(manifest);
      if (!template) return fail(`it is a ${manifest.apiVersion} ${manifest.kind}, which runs no pods`);
      const workloadNamespace = apiObject.metadata.namespace;
      if (workloadNamespace && this.serviceNamespace && workloadNamespace !== this.serviceNamespace) {
        fail(`it is in namespace ${workloadNamespace} and a Service selects pods in its own namespace (${this.serviceNamespace})`);
      }
      const matchLabels = template === manifest ? {} : (manifest.spec?.selector?.matchLabels ?? {});
      const labels = Object.keys(matchLabels).length ? matchLabels : (template.metadata?.labels ?? {});
      if (Object.keys(labels).length === 0) fail('its pod template has no labels');
      return labels;
    }
    const config = plusPodSelectorConfig(pods);
    if (!config) return fail('it is neither a workload (it synthesizes no ApiObject) nor a cdk8s-plus pod selector');
    const kube = config.labelSelector._toKube();
    if (kube.matchExpressions?.length) {
      fail('it uses label expressions, and a Service selector can only match labels exactly');
    }
    const names = config.namespaces?.names ?? [];
    if (config.namespaces?.labelSelector || names.some((name) => name !== this.serviceNamespace)) {
      fail(`it selects pods in other namespaces, and a Service selects pods in its own namespace (${this.serviceNamespace ?? 'default'})`);
    }
    const labels = kube.matchLabels ?? {};
    if (Object.keys(labels).length === 0) fail('it has no labels to match');
    return labels;
  }

  private renderSpec(): Record<string, unknown> {
    const ports = this.ports.map((p) => omitUndefined({
      name: p.name,
      protocol: p.protocol,
      appProtocol: p.appProtocol,
      port: p.port,
      targetPort: p.targetPort,
      nodePort: p.nodePort,
    }));
    return omitUndefined({
      ...this.renderTypeSpec(),
      selector: this.renderSelector(),
      ports: ports.length ? ports : undefined,
      ...this.renderTrailingSpec(),
    });
  }
}

/** A Service that selects pods: every type but ExternalName. */
export abstract class SelectingService extends ServiceBase {
  private readonly publishNotReadyAddresses?: boolean;
  private readonly ipFamilies?: IpFamily[];
  private readonly ipFamilyPolicy?: IpFamilyPolicy;

  protected constructor(scope: Construct, id: string, props: SelectingServiceProps) {
    super(scope, id, props);
    if (isConstruct(props.selector)) {
      this.addPodSelector(props.selector);
    } else {
      for (const [key, value] of Object.entries(props.selector ?? {})) this.addSelectorLabel(key, value);
    }
    if (props.selectPods) this.addPodSelector(props.selectPods);
    this.publishNotReadyAddresses = props.publishNotReadyAddresses;
    this.ipFamilies = props.ipFamilies;
    this.ipFamilyPolicy = props.ipFamilyPolicy;
  }

  /** Also require pods to carry this label (labels combine with AND). */
  public selectLabel(key: string, value: string): void {
    this.addSelectorLabel(key, value);
  }

  /** Also target the pods of a workload construct or cdk8s-plus pod selector (labels combine with AND). */
  public select(pods: IConstruct): void {
    this.addPodSelector(pods);
  }

  /** ipFamilies and ipFamilyPolicy, shared by all selecting types. */
  protected renderIpFamilies(): Record<string, unknown> {
    return {
      ipFamilies: this.ipFamilies?.length ? [...this.ipFamilies] : undefined,
      ipFamilyPolicy: this.ipFamilyPolicy,
    };
  }

  protected renderTrailingSpec(): Record<string, unknown> {
    return { publishNotReadyAddresses: this.publishNotReadyAddresses };
  }
}

/** Drops undefined values so the output holds only what was set. */
export function omitUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
