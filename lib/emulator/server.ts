import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { adminReply } from "./admin";
import { RequestLog, type EmulatorCounters } from "./counters";
import { RamDirectory } from "./directory";
import { FaultInjector } from "./faults";
import { serve, type HttpFront } from "./http";
import { ImsApi } from "./ims/api";
import { UserAdministration } from "./ims/user-admin";
import { OAuthApplications, SCIM_SCOPE } from "./ims/applications";
import { answerRpc } from "./ims/rpc";
import { SignatureVerifier, type AccessKey } from "./ims/signature";
import { OAuthServer } from "./oauth";
import {
  EmulatorOptionsError,
  type EmulatorClient,
  type EmulatorOptions,
  type FaultOptions,
  type SeedBlockers,
  type SeedUser,
} from "./options";
import { resolveOptions, type ResolvedEmulatorOptions } from "./resolve-options";
import { Random } from "./random";
import { route } from "./scim-routes";
import { ScimUsersEndpoint } from "./scim-users";
import { loadState, StateSaver } from "./state-file";

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
  private readonly log = new RequestLog();
  private address: AddressInfo | undefined;

  constructor(options: EmulatorOptions = {}) {
    this.options = resolveOptions(options, () => randomBytes(24).toString("base64url"));
    const o = this.options;
    this.directory = new RamDirectory(
      { accountAlias: o.accountAlias, lowercaseUserNames: o.lowercaseUserNames },
      new Random(o.faults.seed ^ 0x5eed),
      () => new Date(o.clock()),
    );
    this.applications = new OAuthApplications(new Random(o.faults.seed ^ 0xa995), o.clock);
    this.loadOrSeed();
    this.seedClients(o.clients);
    this.saver = o.stateFile ? this.stateSaver(o.stateFile) : undefined;
    this.oauth = new OAuthServer(
      (id, secret, same) => this.applications.checkGrant(id, secret, same),
      o.tokenLifetimeSeconds,
      o.clock,
    );
    this.applications.onRevoke((appId) => this.oauth.revokeClient(appId));
    this.userAdmin = new UserAdministration(this.directory, o.accountAlias, o.clock);
    for (const group of o.seedGroups) this.userAdmin.addGroup(group);
    this.ims = new ImsApi(this.applications, o.accountId, {
      ims: this.userAdmin.ims,
      ram: this.userAdmin.ram,
    });
    this.signatures = new SignatureVerifier(o.accessKeys);
    this.users = new ScimUsersEndpoint(this.directory, o, () => this.url);
    this.faults = new FaultInjector(o.faults);
    this.server = this.httpServer();
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
    return structuredClone(this.log.current);
  }

  /** Sets every request count back to zero, e.g. between the set-up and the step measured. */
  resetCounters(): void {
    this.log.reset();
  }

  /**
   * Calls `listener` as each request that `counters()` counts is answered, just before the answer
   * is sent (or the connection dropped): e.g. to stop a client's run after its third write,
   * whatever the machine's speed.
   * @param listener gets the route template (`POST /Users`, `IMS CreateApplication`) and the
   * status answered, or "dropped"
   * @returns a function that removes the listener
   */
  onRequest(listener: (route: string, status: number | "dropped") => void): () => void {
    return this.log.listen(listener);
  }

  /** Adds users as if they existed before (console users when they have no externalId). */
  seedUsers(users: readonly SeedUser[]): void {
    this.directory.seed(users);
  }

  /** Replaces the deletion blockers of the user with this id (an omitted kind is cleared). */
  setBlockers(id: string, blockers: SeedBlockers): void {
    this.directory.setBlockers(id, blockers);
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

  /** The state file's users and applications, or else the seed users. */
  private loadOrSeed(): void {
    const o = this.options;
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
  }

  /** Saves users and applications to `file` after each change. */
  private stateSaver(file: string): StateSaver {
    const saver = new StateSaver(file, () => ({
      ...this.directory.toJSON(),
      applications: this.applications.toJSON(),
    }));
    this.directory.onChange(() => saver.schedule());
    this.applications.onChange(() => saver.schedule());
    return saver;
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

  /** The HTTP server, its requests handed to admin, IMS or SCIM; its sockets tracked for close. */
  private httpServer(): Server {
    const front: HttpFront = {
      contentType:
        this.options.responseContentType === "scim+json"
          ? "application/scim+json;charset=UTF-8"
          : "application/json;charset=UTF-8",
      log: this.log,
      faults: () => this.faults,
      admin: (method, url, body) => adminReply(this, method, url, body),
      rpc: (req, url, body) => answerRpc(this.signatures, this.ims, req, url, body),
      route: (method, path) =>
        route({ oauth: this.oauth, users: this.users, baseUrl: () => this.url }, method, path),
    };
    const server = createServer((req, res) => void serve(front, req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    return server;
  }
}

/** Starts an emulator; `close()` it when done. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RamEmulator> {
  return new RamEmulator(options).start();
}
