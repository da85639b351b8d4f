import { request, type Dispatcher } from "undici";
import type { z } from "zod";
import { SourceError } from "./types";

/**
 * The one place that talks HTTP to a JVB or Jicofo. Every failure becomes a SourceError whose kind and message
 * say what the operator should look at (see SourceErrorKind in ./types).
 */

/** A stats answer is a few KB; /debug?full=true is ~25 KB per endpoint. Anything beyond this is not a Jitsi answer. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** How much of an error body goes into a message: enough for "Not found: conference …", not a whole HTML page. */
const SNIPPET_CHARS = 200;

export interface RequestOptions {
  /** e.g. a keep-alive undici Agent or Pool shared by all polls; undici's global dispatcher otherwise */
  dispatcher?: Dispatcher;
  /** Deadline for the whole exchange: connect, headers and body. */
  timeoutMs: number;
  method?: "GET" | "POST";
  /** Sent as application/json */
  json?: unknown;
  /** When set, a 404 means this REST group is switched off; this text says how to switch it on. */
  disabledHint?: string;
  maxBodyBytes?: number;
}

export interface TextResponse {
  status: number;
  contentType: string | null;
  text: string;
}

/** base "http://jvb1:8080/" + "/colibri/stats" (+ query). Keeps a path prefix, for bridges behind a reverse proxy. */
export function joinUrl(baseUrl: string, path: string, query?: Record<string, string | number | undefined>): string {
  const url = baseUrl.replace(/\/+$/, "") + path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

/** Fails fast, at client creation, on a base URL that could never work. */
export function checkBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(`not a URL: ${JSON.stringify(baseUrl)} (expected e.g. http://10.0.0.5:8080)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`expected an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  return baseUrl;
}

/**
 * Sends one request and reads the whole body (capped). Throws SourceError only when there is no complete answer
 * (timeout, unreachable, oversized body); what a status code means is up to the caller.
 */
export async function requestText(url: string, options: RequestOptions): Promise<TextResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const hasBody = options.json !== undefined;
    const res = await request(url, {
      method: options.method ?? "GET",
      headers: { accept: "application/json", ...(hasBody ? { "content-type": "application/json" } : {}) },
      body: hasBody ? JSON.stringify(options.json) : undefined,
      dispatcher: options.dispatcher,
      signal: controller.signal,
    });
    const contentType = headerValue(res.headers["content-type"]);
    // Reading the body to its end (even for errors) is what lets a keep-alive socket be reused.
    const text = await readCapped(res.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, url);
    return { status: res.statusCode, contentType, text };
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw networkError(err, url, controller.signal.aborted, options.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/** GET/POST expecting a 2xx JSON body that the schema accepts. */
export async function requestJson<T>(url: string, schema: z.ZodType<T>, options: RequestOptions): Promise<T> {
  const res = await requestText(url, options);
  if (!isOk(res.status)) throw statusError(url, res, options.disabledHint);
  return parseBody(url, res, schema);
}

/** A request whose answer carries no data (drain, shutdown): any 2xx is success, its body is ignored. */
export async function requestOk(url: string, options: RequestOptions): Promise<void> {
  const res = await requestText(url, options);
  if (!isOk(res.status)) throw statusError(url, res, options.disabledHint);
}

export function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The SourceError for a non-2xx answer: "disabled" for a 404 the caller says means a switched-off REST group. */
export function statusError(url: string, res: TextResponse, disabledHint?: string): SourceError {
  if (res.status === 404 && disabledHint) {
    return new SourceError("disabled", `${disabledHint} (404 from ${url})`, url, 404);
  }
  const body = snippet(res.text);
  return new SourceError("http", `HTTP ${res.status} from ${url}${body ? `: ${body}` : ""}`, url, res.status);
}

export function parseBody<T>(url: string, res: TextResponse, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    const what = res.text.trim() === "" ? "an empty body" : `${res.contentType ?? "no content type"}: ${snippet(res.text)}`;
    throw new SourceError("invalid", `expected JSON from ${url}, got ${what}`, url, res.status);
  }
  const parsed = schema.safeParse(json, { error: missingFieldMessage });
  if (!parsed.success) {
    throw new SourceError("invalid", `unexpected answer from ${url}: ${describeIssues(parsed.error.issues)}`, url, res.status);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** zod says "expected number, received undefined" for a missing key; "missing" is what an operator needs to read. */
function missingFieldMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.input === undefined) return `missing (expected ${issue.expected})`;
  return undefined;
}

const MAX_ISSUES = 5;

/** "stress_level: missing (expected number); bridge_selector.bridge["jvb@x/jvb1"].stress: …" */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((i) => `${formatPath(i.path)}: ${i.message}`);
  if (issues.length > MAX_ISSUES) parts.push(`and ${issues.length - MAX_ISSUES} more`);
  return parts.join("; ");
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(body)";
  return path
    .map((key, i) => {
      if (typeof key === "number") return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_][\w-]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join("");
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

async function readCapped(body: Dispatcher.ResponseData["body"], maxBytes: number, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buf.length;
    if (size > maxBytes) {
      // Leaving the loop destroys the stream (and that socket): cheaper than downloading the rest.
      throw new SourceError("invalid", `answer from ${url} is larger than ${maxBytes} bytes; not a Jitsi REST answer`, url);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

/** Node and undici put the code on the error, on its cause, or (happy eyeballs) on each of an AggregateError's errors. */
function errorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === "string") return own;
  if (err.cause !== undefined) return errorCode(err.cause);
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  return undefined;
}

function networkError(err: unknown, url: string, timedOut: boolean, timeoutMs: number): SourceError {
  const code = errorCode(err);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new SourceError("timeout", `no answer from ${url} within ${timeoutMs} ms`, url);
  }
  const host = URL.canParse(url) ? new URL(url).host : url;
  switch (code) {
    case "ECONNREFUSED":
      return new SourceError("unreachable", `connection refused by ${host}: is the service running and listening there?`, url);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new SourceError("unreachable", `cannot resolve the host name in ${host} (${code})`, url);
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
      return new SourceError("unreachable", `connection to ${host} was closed or reset before the answer was complete (${code})`, url);
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return new SourceError("unreachable", `cannot reach ${url}: ${detail}${code ? ` (${code})` : ""}`, url);
    }
  }
}
