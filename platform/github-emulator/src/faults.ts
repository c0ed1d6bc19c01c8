import type { ServerResponse } from 'node:http';
import { drop, type RecordedRequest, record } from './requestLog.js';

// Faults the emulator injects on demand, so tests can prove the publisher survives them.

export type FaultKind =
  /** 502 before the request is handled. */
  | 'server-error'
  /** Handle the request, then answer 500: the change happened but the client cannot know. */
  | 'server-error-after'
  /** 429 with Retry-After. */
  | 'rate-limit'
  /** 403 "You have exceeded a secondary rate limit" with Retry-After. */
  | 'secondary-rate-limit'
  /** 403 with x-ratelimit-remaining: 0 (the primary limit is spent until x-ratelimit-reset). */
  | 'primary-rate-limit'
  /** Destroy the socket before handling. */
  | 'drop'
  /** Handle the request, then destroy the socket: the response is lost. */
  | 'drop-after'
  /** Answer normally, after a delay. */
  | 'slow';

export interface FaultRule {
  kind: FaultKind;
  /** Only requests whose "METHOD /path" (path without /api/v3) matches. Default: every request. */
  match?: RegExp | ((request: FaultTarget) => boolean);
  /** Let this many matching requests pass first. Default 0. */
  after?: number;
  /** How many matching requests to fault. Default 1; Infinity for all. */
  times?: number;
  /** Seconds sent in Retry-After for the rate-limit kinds. Default 0. */
  retryAfterSeconds?: number;
  /** Delay for `slow`. Default 50 ms. */
  delayMs?: number;
}

export interface FaultTarget {
  method: string;
  /** The path as requested, without the /api/v3 prefix for REST calls (git paths start /OWNER/REPO.git). */
  path: string;
  /** The OpenAPI operationId, for REST calls that matched one. */
  operationId?: string;
}

export interface ActiveRule extends Required<Omit<FaultRule, 'match'>> {
  match?: FaultRule['match'];
  seen: number;
  fired: number;
}

export class Faults {
  #rules: ActiveRule[] = [];
  #log: Array<{ kind: FaultKind; request: string }> = [];

  /** Adds a rule; rules are checked in the order they were added. */
  inject(rule: FaultRule): void {
    this.#rules.push({ after: 0, times: 1, retryAfterSeconds: 0, delayMs: 50, ...rule, seen: 0, fired: 0 });
  }

  /** Removes every rule and forgets the faults that fired. */
  clear(): void {
    this.#rules = [];
    this.#log = [];
  }

  /** The faults that fired, in order. */
  fired(): ReadonlyArray<{ kind: FaultKind; request: string }> {
    return this.#log;
  }

  /** The rule a request triggers, if any (and counts it). */
  take(target: FaultTarget): ActiveRule | undefined {
    const text = `${target.method.toUpperCase()} ${target.path}`;
    for (const rule of this.#rules) {
      if (rule.fired >= rule.times) continue;
      const matches = !rule.match || (rule.match instanceof RegExp ? rule.match.test(text) : rule.match(target));
      if (!matches) continue;
      rule.seen++;
      if (rule.seen <= rule.after) continue;
      rule.fired++;
      this.#log.push({ kind: rule.kind, request: text });
      return rule;
    }
    return undefined;
  }
}

/**
 * Applies a fault that acts before the request is handled (a delay, a dropped connection, an error
 * or rate-limit answer); true when the request is answered. The `-after` kinds act once it is handled.
 */
export async function applyFaultBefore(
  fault: ActiveRule,
  log: RecordedRequest[],
  response: ServerResponse,
  entry: RecordedRequest,
): Promise<boolean> {
  const retryAfter = String(fault.retryAfterSeconds);
  switch (fault.kind) {
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      return false;
    case 'drop':
      drop(log, response, entry);
      return true;
    case 'server-error':
      record(log, response, entry, { status: 502, body: { message: 'Server Error' } });
      return true;
    case 'rate-limit':
      record(log, response, entry, { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': retryAfter } });
      return true;
    case 'secondary-rate-limit':
      record(log, response, entry, {
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        headers: { 'retry-after': retryAfter },
      });
      return true;
    case 'primary-rate-limit':
      record(log, response, entry, {
        status: 403,
        body: { message: 'API rate limit exceeded for user.' },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + fault.retryAfterSeconds) },
      });
      return true;
    default:
      return false;
  }
}
