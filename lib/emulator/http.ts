import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { ADMIN_PREFIX, adminRefusal } from "./admin";
import type { RequestLog } from "./counters";
import type { FaultDecision, FaultInjector } from "./faults";
import { isRpcCall, rpcRouteName } from "./ims/rpc";
import { BodyError, readBody, scimError, writeReply, type Reply } from "./reply";
import type { Route } from "./scim-routes";

/** Where the HTTP front hands each kind of request, and what it counts them in. */
export interface HttpFront {
  /** Content type of SCIM answers (`responseContentType`). */
  readonly contentType: string;
  readonly log: RequestLog;
  /** The fault injection in force now (`setFaults` replaces it). */
  faults(): FaultInjector;
  admin(method: string, url: URL, body: string): Reply;
  rpc(req: IncomingMessage, url: URL, body: string): Reply;
  route(method: string, path: string): Route;
}

/**
 * Serves one request: an admin route, an IMS RPC call, or the token endpoint and SCIM (these
 * two through fault injection). An error the handlers did not answer becomes a SCIM error.
 */
export async function serve(
  front: HttpFront,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator");
  try {
    const body = await readBody(req);
    if (url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      const refused = adminRefusal(req);
      writeReply(res, refused ?? front.admin(req.method ?? "GET", url, body), "application/json");
    } else if (isRpcCall(req, url)) {
      const reply = front.rpc(req, url, body);
      front.log.answered(rpcRouteName(req, url), reply.status);
      writeReply(res, reply, "application/json;charset=utf-8");
    } else await serveScim(front, req, res, url, body);
  } catch (e) {
    const reply =
      e instanceof BodyError
        ? scimError(e.status, e.message, e.status === 400 ? "invalidSyntax" : undefined)
        : scimError(500, `Internal emulator error: ${(e as Error).message}`);
    if (!res.headersSent) writeReply(res, reply, front.contentType);
    else res.destroy();
  }
}

/** The token endpoint and SCIM: latency first, then a fault or the route's own answer. */
async function serveScim(
  front: HttpFront,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
): Promise<void> {
  const route = front.route(req.method ?? "GET", url.pathname);
  const latency = front.faults().latencyMs();
  if (latency > 0) await sleep(latency);
  // Read again: faults replaced during the latency apply to this request's fate.
  const decision = front.faults().decide(route.kind);
  if (decision.kind === "drop") {
    if (decision.when === "after") route.handle(req, url, body);
    front.log.fault("dropped");
    front.log.answered(route.name, "dropped");
    req.socket.destroy();
    return;
  }
  const reply = faultReply(decision, front.log) ?? route.handle(req, url, body);
  front.log.answered(route.name, reply.status);
  writeReply(res, reply, front.contentType);
}

/** The answer an injected fault gives instead of the route's; undefined when there is none. */
function faultReply(decision: FaultDecision, log: RequestLog): Reply | undefined {
  switch (decision.kind) {
    case "throttle":
      log.fault("throttled");
      return scimError(
        429,
        "Throttling.User: Request was denied due to user flow control",
        undefined,
        { "Retry-After": String(decision.retryAfterSeconds) },
      );
    case "transient":
      log.fault("injectedErrors");
      return scimError(decision.status, "ServiceUnavailable: the request failed, try again");
    default:
      return undefined;
  }
}
