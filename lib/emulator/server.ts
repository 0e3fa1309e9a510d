import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { countRequest, emptyCounters, type EmulatorCounters } from "./counters";
import { RamDirectory } from "./directory";
import { FaultInjector } from "./faults";
import { ImsApi } from "./ims/api";
import { UserAdministration } from "./ims/user-admin";
import { OAuthApplications, SCIM_SCOPE } from "./ims/applications";
import { SignatureVerifier, type AccessKey } from "./ims/signature";
import { OAuthServer } from "./oauth";
import {
  EmulatorOptionsError,
  resolveOptions,
  type EmulatorClient,
  type EmulatorOptions,
  type FaultOptions,
  type ResolvedEmulatorOptions,
  type SeedBlockers,
  type SeedUser,
} from "./options";
import { Random } from "./random";
import { BodyError, readBody, scimError, writeReply, type Reply } from "./reply";
import { resourceTypes, schemas } from "./scim-schemas";
import { ScimUsersEndpoint } from "./scim-users";
import { loadState, StateSaver } from "./state-file";

/** Admin routes live under this prefix; they are not counted and take no faults. */
export const ADMIN_PREFIX = "/_emulator";

interface Route {
  /** Template used for counters, e.g. `PUT /Users/{id}`. */
  readonly name: string;
  readonly kind: "read" | "write" | "token";
  readonly handle: (req: IncomingMessage, url: URL, body: string) => Reply;
}

/**
 * An emulator of RAM's OAuth token endpoint and SCIM service (docs/ram-api.md §2–§4), served over
 * HTTP on loopback. Part of the product: the demo, the tests and users' pipelines run on it.
 */
export class RamEmulator {
  /**
   * @internal The options with their defaults filled in: read `url`, `client`, `accessKey` instead.
   */
  readonly options: ResolvedEmulatorOptions;
  /** The account's RAM users, for tests to inspect what a run left behind. */
  readonly directory: RamDirectory;
  /** The account's OAuth applications (IMS), their secrets and grants. */
  readonly applications: OAuthApplications;
  private readonly oauth: OAuthServer;
  private readonly ims: ImsApi;
  /** RAM groups, AccessKeys, MFA, login profiles and user policies (the leaver flow's calls). */
  readonly userAdmin: UserAdministration;
  private readonly signatures: SignatureVerifier;
  private readonly users: ScimUsersEndpoint;
  private faults: FaultInjector;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly saver: StateSaver | undefined;
  private counts: EmulatorCounters = emptyCounters();
  private address: AddressInfo | undefined;

  constructor(options: EmulatorOptions = {}) {
    this.options = resolveOptions(options, () => randomBytes(24).toString("base64url"));
    const o = this.options;
    this.directory = new RamDirectory(
      { accountAlias: o.accountAlias, lowercaseUserNames: o.lowercaseUserNames },
      new Random(o.faults.seed ^ 0x5eed),
    );
    this.applications = new OAuthApplications(new Random(o.faults.seed ^ 0xa995));
    const saved = o.stateFile ? loadState(o.stateFile) : undefined;
    try {
      if (saved) {
        this.directory.load(saved);
        this.applications.load(saved.applications ?? []);
      } else this.directory.seed(o.seedUsers);
    } catch (e) {
      // A seed or state entry RAM would refuse: the options are wrong, say which and why.
      throw new EmulatorOptionsError([
        `${saved ? `state file ${o.stateFile}` : "seed users"}: ${(e as Error).message}`,
      ]);
    }
    this.seedClients(o.clients);
    if (o.stateFile) {
      this.saver = new StateSaver(o.stateFile, () => ({
        ...this.directory.toJSON(),
        applications: this.applications.toJSON(),
      }));
      this.directory.onChange(() => this.saver?.schedule());
      this.applications.onChange(() => this.saver?.schedule());
    }
    this.oauth = new OAuthServer(
      (id, secret, same) => this.applications.checkGrant(id, secret, same),
      o.tokenLifetimeSeconds,
    );
    this.applications.onRevoke((appId) => this.oauth.revokeClient(appId));
    this.userAdmin = new UserAdministration(this.directory, o.accountAlias);
    for (const group of o.seedGroups) this.userAdmin.addGroup(group);
    this.ims = new ImsApi(this.applications, o.accountId, {
      ims: this.userAdmin.ims,
      ram: this.userAdmin.ram,
    });
    this.signatures = new SignatureVerifier(o.accessKeys);
    this.users = new ScimUsersEndpoint(this.directory, o, () => this.url);
    this.faults = new FaultInjector(o.faults);
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /**
   * Starts listening on the configured host and port; fails if the state file cannot be written.
   */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    try {
      this.saver?.flush(); // a state file that cannot be written fails the start, not a later timer
    } catch (e) {
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      throw e;
    }
    return this;
  }

  /** Stops listening, ends open connections and writes the state file if there is one. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.saver?.flush();
  }

  /**
   * Base URL, e.g. `http://127.0.0.1:40123`. Bound to every interface (`0.0.0.0`, `::`), it is
   * the loopback address: the URL this machine's clients use, and the only one they accept
   * over plain http.
   */
  get url(): string {
    if (!this.address) throw new Error("The emulator is not started: call start() first");
    const { address, family, port } = this.address;
    if (address === "0.0.0.0") return `http://127.0.0.1:${port}`;
    if (address === "::") return `http://[::1]:${port}`;
    return `http://${family === "IPv6" ? `[${address}]` : address}:${port}`;
  }

  /** True when listening beyond this machine: anyone who reaches the port can use the emulator. */
  get exposed(): boolean {
    const address = this.address?.address ?? this.options.host;
    return !/^(127\.|::1$|::ffff:127\.|localhost$)/.test(address);
  }

  /** SCIM base URL (resources directly under it, as at scim.aliyun.com). */
  get scimUrl(): string {
    return this.url;
  }

  /** OAuth token endpoint, `<url>/v1/token`: what RAM_SCIM_TOKEN_URL should be. */
  get tokenUrl(): string {
    return `${this.url}/v1/token`;
  }

  /** The first application's credentials: the demo's. */
  get client(): EmulatorClient {
    return this.options.clients[0] as EmulatorClient;
  }

  /** The first AccessKey for IMS calls: the demo's. */
  get accessKey(): AccessKey {
    return this.options.accessKeys[0] as AccessKey;
  }

  /** What the official SDK takes as `endpoint` (no scheme; use protocol "http"). */
  get imsEndpoint(): string {
    return this.url.replace(/^http:\/\//, "");
  }

  /** A copy of the request counts since the start or the last `resetCounters()`. */
  counters(): EmulatorCounters {
    return structuredClone(this.counts);
  }

  /** Sets every request count back to zero, e.g. between the set-up and the step measured. */
  resetCounters(): void {
    this.counts = emptyCounters();
  }

  /** Adds users as if they existed before (console users when they have no externalId). */
  seedUsers(users: readonly SeedUser[]): void {
    this.directory.seed(users);
  }

  /** Replaces the deletion blockers of the user with this id (an omitted kind is cleared). */
  setBlockers(id: string, blockers: SeedBlockers): void {
    this.directory.setBlockers(id, blockers);
  }

  /** The configured clients exist as ServerApps granted /acs/scim, each with its secret. */
  private seedClients(clients: readonly EmulatorClient[]): void {
    clients.forEach((c, i) => {
      this.applications.create(
        {
          AppName: `emulator-app-${i + 1}`,
          DisplayName: `Emulator app ${i + 1}`,
          AppType: "ServerApp",
          AccessTokenValidity: 3600,
          RefreshTokenValidity: 2592000,
          SecretRequired: true,
          IsMultiTenant: false,
          ProtocolVersion: "2.0",
          PredefinedScopes: [SCIM_SCOPE],
          RequiredScopes: [SCIM_SCOPE],
          RedirectUris: [],
          seeded: true,
        },
        c.clientId,
      );
      this.applications.createSecret(c.clientId, c.clientSecret);
      this.applications.provision(c.clientId, [SCIM_SCOPE]);
    });
  }

  /** Replaces the fault injection from now on (e.g. after the token is obtained). */
  setFaults(faults: FaultOptions): void {
    const checked = resolveOptions({ ...this.options, faults }, () => "");
    this.faults = new FaultInjector(checked.faults);
  }

  /** Invalidates every token issued so far (a token that expires in the middle of a run). */
  expireTokens(): void {
    this.oauth.expireAll();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const contentType =
      this.options.responseContentType === "scim+json"
        ? "application/scim+json;charset=UTF-8"
        : "application/json;charset=UTF-8";
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
        const refused = adminRefusal(req);
        writeReply(res, refused ?? this.admin(req.method ?? "GET", url, body), "application/json");
        return;
      }
      if (url.pathname === "/" && (req.headers["x-acs-action"] || url.searchParams.has("Action"))) {
        const reply = this.imsCall(req, url, body);
        countRequest(
          this.counts,
          `IMS ${String(req.headers["x-acs-action"] ?? url.searchParams.get("Action"))}`,
          reply.status,
        );
        writeReply(res, reply, "application/json;charset=utf-8");
        return;
      }
      const route = this.route(req.method ?? "GET", url.pathname);
      const latency = this.faults.latencyMs();
      if (latency > 0) await sleep(latency);
      const decision = this.faults.decide(route.kind);
      let reply: Reply;
      switch (decision.kind) {
        case "throttle":
          this.counts.throttled += 1;
          reply = scimError(
            429,
            "Throttling.User: Request was denied due to user flow control",
            undefined,
            {
              "Retry-After": String(decision.retryAfterSeconds),
            },
          );
          break;
        case "transient":
          this.counts.injectedErrors += 1;
          reply = scimError(decision.status, "ServiceUnavailable: the request failed, try again");
          break;
        case "drop":
          if (decision.when === "after") route.handle(req, url, body);
          this.counts.dropped += 1;
          countRequest(this.counts, route.name, "dropped");
          req.socket.destroy();
          return;
        case "none":
          reply = route.handle(req, url, body);
      }
      countRequest(this.counts, route.name, reply.status);
      writeReply(res, reply, contentType);
    } catch (e) {
      const reply =
        e instanceof BodyError
          ? scimError(e.status, e.message, e.status === 400 ? "invalidSyntax" : undefined)
          : scimError(500, `Internal emulator error: ${(e as Error).message}`);
      if (!res.headersSent) writeReply(res, reply, contentType);
      else res.destroy();
    }
  }

  private route(method: string, path: string): Route {
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [resource, id, extra] = segments;
    const scim = (
      name: string,
      kind: "read" | "write",
      handle: (body: string, url: URL) => Reply,
    ): Route => ({
      name,
      kind,
      handle: (req, url, body) =>
        this.oauth.authenticate(req.headers.authorization) ?? handle(body, url),
    });
    const unsupported = (name: string, detail: string): Route =>
      scim(name, method === "GET" ? "read" : "write", () => scimError(501, detail));

    if (path === "/v1/token") {
      return {
        name: `${method} /v1/token`,
        kind: "token",
        handle: (req, url, body) =>
          method === "POST"
            ? this.oauth.issue(url.searchParams, formOf(req, body), req.headers.authorization)
            : {
                status: 405,
                headers: { Allow: "POST" },
                body: { error: "invalid_request", error_description: "Use POST" },
              },
      };
    }
    if (resource === "Users" && extra === undefined) {
      if (id === undefined) {
        if (method === "GET")
          return scim("GET /Users", "read", (_b, url) => this.users.list(url.searchParams));
        if (method === "POST")
          return scim("POST /Users", "write", (b) => this.users.create(parseJson(b)));
      } else {
        if (method === "GET") return scim("GET /Users/{id}", "read", () => this.users.get(id));
        if (method === "PUT")
          return scim("PUT /Users/{id}", "write", (b) => this.users.replace(id, parseJson(b)));
        if (method === "DELETE")
          return scim("DELETE /Users/{id}", "write", () => this.users.delete(id));
        if (method === "PATCH")
          return unsupported(
            "PATCH /Users/{id}",
            "PATCH is not supported by RAM's SCIM service: use PUT",
          );
      }
      return unsupported(`${method} /Users`, `Method ${method} is not supported on ${path}`);
    }
    if (resource === "Groups" || resource === "Bulk")
      return unsupported(
        `${method} /${resource}`,
        `/${resource} is not supported: RAM's SCIM service takes users only`,
      );
    if (
      (resource === "ResourceTypes" || resource === "Schemas") &&
      extra === undefined &&
      method === "GET"
    ) {
      const answer = resource === "Schemas" ? schemas : resourceTypes;
      return scim(`GET /${resource}`, "read", () => answer(this.url, id));
    }
    return scim(`${method} (unknown)`, method === "GET" ? "read" : "write", () =>
      scimError(404, `No resource at ${method} ${path}`),
    );
  }

  /** An IMS RPC call as the official SDK sends it: parameters in the query (or a form body). */
  private imsCall(req: IncomingMessage, url: URL, body: string): Reply {
    const refused = this.signatures.verify(req, url, body);
    if (refused)
      return {
        status: refused.status,
        body: {
          RequestId: randomUUID().toUpperCase(),
          HostId: "ims.aliyuncs.com",
          Code: refused.code,
          Message: refused.message,
        },
      };
    const params = new Map(url.searchParams);
    for (const [k, v] of formOf(req, body)) params.set(k, v);
    const action = String(req.headers["x-acs-action"] ?? params.get("Action") ?? "") || undefined;
    const version =
      String(req.headers["x-acs-version"] ?? params.get("Version") ?? "") || undefined;
    return this.ims.call(action, version, params);
  }

  private admin(method: string, url: URL, body: string): Reply {
    const path = url.pathname.slice(ADMIN_PREFIX.length);
    try {
      if (method === "GET" && path === "/counters") return { status: 200, body: this.counts };
      if (method === "POST" && path === "/counters/reset") {
        this.resetCounters();
        return { status: 204 };
      }
      if (method === "GET" && path === "/state")
        return { status: 200, body: this.directory.toJSON() };
      if (method === "POST" && path === "/users") {
        const users = parseJson(body) as SeedUser[];
        if (!Array.isArray(users))
          return scimError(400, "Expected a JSON array of users", "invalidSyntax");
        this.seedUsers(users);
        return { status: 201, body: { seeded: users.length } };
      }
      const blockers = /^\/users\/([^/]+)\/blockers$/.exec(path);
      if (method === "PUT" && blockers) {
        this.setBlockers(
          decodeURIComponent(blockers[1] as string),
          parseJson(body) as SeedBlockers,
        );
        return { status: 204 };
      }
      if (method === "PUT" && path === "/faults") {
        this.setFaults(parseJson(body) as FaultOptions);
        return { status: 204 };
      }
      if (method === "POST" && path === "/tokens/expire") {
        this.expireTokens();
        return { status: 204 };
      }
    } catch (e) {
      return scimError(
        e instanceof Error && "status" in e ? Number(e.status) : 400,
        (e as Error).message,
      );
    }
    return scimError(404, `No admin route ${method} ${url.pathname}`);
  }
}

/**
 * Admin routes change the emulator's world, so they answer only this machine: a Host that is a
 * loopback name (a web page's DNS rebinding sends its own) and, for a change, a JSON body (a
 * cross-origin page can POST text/plain without asking, but not application/json).
 */
function adminRefusal(req: IncomingMessage): Reply | undefined {
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

function parseJson(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new BodyError(400, "The request body is not valid JSON");
  }
}

function formOf(req: IncomingMessage, body: string): URLSearchParams {
  const type = req.headers["content-type"] ?? "";
  return type.startsWith("application/x-www-form-urlencoded")
    ? new URLSearchParams(body)
    : new URLSearchParams();
}

/** Starts an emulator; `close()` it when done. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RamEmulator> {
  return new RamEmulator(options).start();
}
