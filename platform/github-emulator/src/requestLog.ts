import type { ServerResponse } from 'node:http';
import type { FaultKind } from './faults.js';
import type { RouteResult } from './routes/http.js';

/** One request the emulator received, with what the OpenAPI description said about it. */
export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  /** The status answered; -1 when the connection was dropped instead. */
  status: number;
  /** Where the request broke GitHub's OpenAPI description; empty when it matched. */
  problems: string[];
  fault?: FaultKind;
}

/** Logs the request with the status it gets, and answers it. */
export function record(log: RecordedRequest[], response: ServerResponse, entry: RecordedRequest, result: RouteResult): void {
  entry.status = result.status;
  log.push(entry);
  send(response, result);
}

/** Logs the request as dropped and closes its connection without an answer. */
export function drop(log: RecordedRequest[], response: ServerResponse, entry: RecordedRequest): void {
  entry.status = -1;
  log.push(entry);
  response.socket?.destroy();
}

/** Answers as GitHub Enterprise 3.19 does: its version and rate-limit headers, JSON bodies. */
export function send(response: ServerResponse, result: RouteResult): void {
  const headers: Record<string, string> = { 'x-github-enterprise-version': '3.19.0', 'x-ratelimit-remaining': '4999', ...result.headers };
  if (result.body === undefined) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  if (Buffer.isBuffer(result.body)) {
    response.writeHead(result.status, headers);
    response.end(result.body);
    return;
  }
  response.writeHead(result.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(result.body));
}
