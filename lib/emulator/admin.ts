import type { IncomingMessage } from "node:http";
import type { EmulatorCounters } from "./counters";
import type { RamUser } from "./directory";
import type { FaultOptions, SeedBlockers, SeedUser } from "./options";
import { parseJson, scimError, type Reply } from "./reply";

/** Admin routes live under this prefix; they are not counted and take no faults. */
export const ADMIN_PREFIX = "/_emulator";

/** What the admin routes read and change: the emulator's own in-process methods. */
export interface AdminTarget {
  readonly directory: { toJSON(): { users: RamUser[] } };
  counters(): EmulatorCounters;
  resetCounters(): void;
  seedUsers(users: readonly SeedUser[]): void;
  setBlockers(id: string, blockers: SeedBlockers): void;
  setFaults(faults: FaultOptions): void;
  expireTokens(): void;
}

/**
 * Admin routes change the emulator's world, so they answer only this machine: a Host that is a
 * loopback name (a web page's DNS rebinding sends its own) and, for a change, a JSON body (a
 * cross-origin page can POST text/plain without asking, but not application/json).
 */
export function adminRefusal(req: IncomingMessage): Reply | undefined {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  if (!/^(localhost|127\.\d+\.\d+\.\d+|::1)$/i.test(host))
    return scimError(403, `Admin routes answer only a loopback Host, got "${host.slice(0, 100)}"`);
  if (req.method !== "GET" && req.method !== "HEAD") {
    const type = String(req.headers["content-type"] ?? "");
    if (!/^application\/json\b/i.test(type))
      return scimError(415, "Admin routes take Content-Type: application/json");
  }
  return undefined;
}

/** Answers an admin route (`<ADMIN_PREFIX>/counters`, `/state`, `/users`, `/faults`, …). */
export function adminReply(target: AdminTarget, method: string, url: URL, body: string): Reply {
  const path = url.pathname.slice(ADMIN_PREFIX.length);
  try {
    const reply = adminAction(target, method, path, body);
    if (reply) return reply;
  } catch (e) {
    return scimError(
      e instanceof Error && "status" in e ? Number(e.status) : 400,
      (e as Error).message,
    );
  }
  return scimError(404, `No admin route ${method} ${url.pathname}`);
}

/** The admin route's answer; undefined when no route matches. */
function adminAction(
  target: AdminTarget,
  method: string,
  path: string,
  body: string,
): Reply | undefined {
  if (method === "GET" && path === "/counters") return { status: 200, body: target.counters() };
  if (method === "POST" && path === "/counters/reset") {
    target.resetCounters();
    return { status: 204 };
  }
  if (method === "GET" && path === "/state")
    return { status: 200, body: target.directory.toJSON() };
  if (method === "POST" && path === "/users") {
    const users = parseJson(body) as SeedUser[];
    if (!Array.isArray(users))
      return scimError(400, "Expected a JSON array of users", "invalidSyntax");
    target.seedUsers(users);
    return { status: 201, body: { seeded: users.length } };
  }
  const blockers = /^\/users\/([^/]+)\/blockers$/.exec(path);
  if (method === "PUT" && blockers) {
    target.setBlockers(decodeURIComponent(blockers[1] as string), parseJson(body) as SeedBlockers);
    return { status: 204 };
  }
  if (method === "PUT" && path === "/faults") {
    target.setFaults(parseJson(body) as FaultOptions);
    return { status: 204 };
  }
  if (method === "POST" && path === "/tokens/expire") {
    target.expireTokens();
    return { status: 204 };
  }
  return undefined;
}
