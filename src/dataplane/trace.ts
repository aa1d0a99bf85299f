import { Hop } from './types';

/** Collects the hops of one answer (internal; the ingress controller model appends to it too). */
export class Trace {
  public readonly hops: Hop[] = [];

  public add(component: string, action: string, text: string, object?: string): this {
    this.hops.push(object === undefined ? { component, action, text } : { component, action, text, object });
    return this;
  }

  /** Appends the hops of a sub-answer (a DNS lookup inside a request). */
  public append(hops: readonly Hop[]): this {
    for (const hop of hops) this.hops.push(hop);
    return this;
  }
}

/** The one-line text form of a hop: `[component] action: text`. */
export function formatHop(hop: Hop): string {
  return `[${hop.component}] ${hop.action}: ${hop.text}`;
}

/** A whole trace, one hop per line. */
export function formatTrace(hops: readonly Hop[]): string {
  return hops.map(formatHop).join('\n');
}
