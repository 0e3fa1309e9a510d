/* eslint-disable @typescript-eslint/no-require-imports */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type * as grpcJs from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as statusPb from "@pulumi/pulumi/proto/status_pb";
import type * as closure from "@pulumi/pulumi/runtime/closure/serializeClosure";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";

/**
 * Pulumi's own dynamic-provider host (the one the engine starts for `pulumi.dynamic.Resource`),
 * run as a child process and driven over gRPC with the SDK's protobuf stubs, as the engine drives
 * it (../../shared/notes/pulumi-provider-host.md).
 */
const PULUMI_DIR = dirname(require.resolve("@pulumi/pulumi/package.json"));
// The modules are loaded from the SDK's own folder (as its host loads them); their types are the
// SDK's declarations of the same files.
const load = (path: string): unknown => require(path);
const fromPulumi = (id: string): unknown => load(require.resolve(id, { paths: [PULUMI_DIR] }));
const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcJs;
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb.js") as typeof structPb;
const services = load(join(PULUMI_DIR, "proto/provider_grpc_pb.js")) as typeof providerGrpc;
const messages = load(join(PULUMI_DIR, "proto/provider_pb.js")) as typeof providerPb;
const { serializeFunction } = load(
  join(PULUMI_DIR, "runtime/closure/serializeClosure.js"),
) as typeof closure;
const statusProto = load(join(PULUMI_DIR, "proto/status_pb.js")) as typeof statusPb;

/** The `grpc-status-details-bin` trailer of a failed call (a google.rpc.Status), if any. */
function statusDetails(error: unknown): Uint8Array | undefined {
  const metadata = (error as { metadata?: { get?: unknown } } | null | undefined)?.metadata;
  if (typeof metadata?.get !== "function") return undefined;
  const [bin] = (metadata as grpcJs.Metadata).get("grpc-status-details-bin");
  return bin instanceof Uint8Array ? bin : undefined;
}

/**
 * What the engine records from a failed Create or Update that carries `ErrorResourceInitFailed`:
 * the resource's id and state (it keeps them, and the next update continues), or undefined.
 */
export function initFailure(
  error: unknown,
): { id: string; properties: Record<string, unknown>; reasons: string[] } | undefined {
  const bin = statusDetails(error);
  if (!bin) return undefined;
  const status = statusProto.Status.deserializeBinary(bin);
  for (const any of status.getDetailsList()) {
    if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const detail = messages.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: detail.getProperties()?.toJavaScript() ?? {},
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const DIFF = { UNKNOWN: 0, NONE: 1, SOME: 2 } as const;
const DEADLINE_MS = 60_000;

/** The `__provider` text a real program registers for this provider object. */
export async function serializedProvider(
  provider: pulumi.dynamic.ResourceProvider,
): Promise<string> {
  return (await serializeFunction(() => provider, { allowSecrets: true })).text;
}

type Props = Record<string, unknown>;

/** The properties as a Struct: JSON values (fromJavaScript throws on anything else). */
function struct(props: Props): structPb.Struct {
  return Struct.fromJavaScript(props as Record<string, structPb.JavaScriptValue>);
}

/** The properties a Create or Update returned: it must return some. */
function returned(properties: structPb.Struct | undefined): Props {
  if (!properties) throw new Error("the provider returned no properties");
  return properties.toJavaScript();
}

type Callback<T> = (error: grpcJs.ServiceError | null, response: T) => void;

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
    /** Lines the provider printed after the port. */
    readonly output: string[],
  ) {}

  /**
   * Starts the host as the engine does: in the project's folder (`cwd`, where it resolves the
   * providers' `require("alicloud-ram-scim/pulumi-runtime")`), from that project's
   * `@pulumi/pulumi` (`pulumiDir`). By default, a folder where this repository is installed as
   * `npm link` would, with this repository's `@pulumi/pulumi`.
   */
  static async start(
    env: NodeJS.ProcessEnv = {},
    where: { cwd?: string; pulumiDir?: string } = {},
  ): Promise<ProviderHost> {
    const child = spawn(
      process.execPath,
      [join(where.pulumiDir ?? PULUMI_DIR, "cmd/dynamic-provider/index.js"), "127.0.0.1:0"],
      {
        cwd: where.cwd ?? linkedProject(),
        env: {
          ...process.env,
          PULUMI_NODEJS_PROJECT: "ram-scim-test",
          PULUMI_NODEJS_STACK: "test",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const output: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      let buffered = "";
      let stderr = "";
      let listening: number | undefined;
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout?.on("data", (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (/^\d+$/.test(line.trim()) && output.length === 0 && !listening) {
            listening = Number(line.trim());
            resolve(listening);
          } else output.push(line);
        }
      });
      child.on("exit", (code) => reject(new Error(`provider host exited with ${code}: ${stderr}`)));
    });
    const client = new services.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new ProviderHost(child, client, output);
  }

  stop(): void {
    this.client.close();
    this.child.kill("SIGKILL");
  }

  /** One unary call, with the engine's deadline: `invoke` passes its arguments to the stub. */
  private call<T>(
    invoke: (
      metadata: grpcJs.Metadata,
      options: Partial<grpcJs.CallOptions>,
      callback: Callback<T>,
    ) => void,
  ): Promise<T> {
    return new Promise((resolve, reject) =>
      invoke(new grpc.Metadata(), { deadline: Date.now() + DEADLINE_MS }, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  }

  /** The engine always configures first; args must be set or the call hangs. */
  async configure(config: Record<string, string>): Promise<void> {
    const req = new messages.ConfigureRequest();
    req.setArgs(struct(config));
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) variables.set(k, v);
    await this.call<providerPb.ConfigureResponse>((m, o, cb) =>
      this.client.configure(req, m, o, cb),
    );
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new messages.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call<providerPb.CheckResponse>((m, o, cb) =>
      this.client.check(req, m, o, cb),
    );
    return {
      inputs: res.getInputs()?.toJavaScript() ?? {},
      failures: res
        .getFailuresList()
        .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new messages.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(properties));
    const res = await this.call<providerPb.CreateResponse>((m, o, cb) =>
      this.client.create(req, m, o, cb),
    );
    return { id: res.getId(), properties: returned(res.getProperties()) };
  }

  /** olds are the old outputs, news the new (checked) inputs. */
  async diff(
    urn: string,
    id: string,
    olds: Props,
    news: Props,
    oldInputs: Props = olds,
  ): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace: boolean }> {
    const req = new messages.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const res = await this.call<providerPb.DiffResponse>((m, o, cb) =>
      this.client.diff(req, m, o, cb),
    );
    return {
      changes: res.getChanges(),
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async update(
    urn: string,
    id: string,
    olds: Props,
    news: Props,
    oldInputs: Props = olds,
  ): Promise<Props> {
    const req = new messages.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const res = await this.call<providerPb.UpdateResponse>((m, o, cb) =>
      this.client.update(req, m, o, cb),
    );
    return returned(res.getProperties());
  }

  async read(
    urn: string,
    id: string,
    properties: Props,
    inputs: Props = properties,
  ): Promise<{ id: string; properties: Props }> {
    const req = new messages.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(properties));
    req.setInputs(struct(inputs));
    const res = await this.call<providerPb.ReadResponse>((m, o, cb) =>
      this.client.read(req, m, o, cb),
    );
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
  }

  async delete(
    urn: string,
    id: string,
    properties: Props,
    oldInputs: Props = properties,
  ): Promise<void> {
    const req = new messages.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(properties));
    req.setOldInputs(struct(oldInputs));
    await this.call<unknown>((m, o, cb) => this.client.delete(req, m, o, cb));
  }
}

let linked: string | undefined;

/** A project folder whose node_modules/alicloud-ram-scim links to this repository (built). */
export function linkedProject(): string {
  if (linked) return linked;
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "ram-scim-linked-")));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(__dirname, "..", ".."), join(dir, "node_modules", "alicloud-ram-scim"), "dir");
  linked = dir;
  return dir;
}

export function urn(type: string, name: string): string {
  return `urn:pulumi:test::ram-scim-test::alicloud-ram-scim:index:${type}::${name}`;
}
