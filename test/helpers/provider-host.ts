/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Pulumi's own dynamic-provider host (the one the engine starts for `pulumi.dynamic.Resource`),
 * run as a child process and driven over gRPC with the SDK's protobuf stubs, as the engine drives
 * it (../../shared/notes/pulumi-provider-host.md).
 */
const PULUMI_DIR = dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [PULUMI_DIR] }));
const grpc = fromPulumi("@grpc/grpc-js");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const services = require(join(PULUMI_DIR, "proto/provider_grpc_pb.js"));
const messages = require(join(PULUMI_DIR, "proto/provider_pb.js"));
const { serializeFunction } = require(join(PULUMI_DIR, "runtime/closure/serializeClosure.js"));
const statusProto = require(join(PULUMI_DIR, "proto/status_pb.js"));

/**
 * What the engine records from a failed Create or Update that carries `ErrorResourceInitFailed`:
 * the resource's id and state (it keeps them, and the next update continues), or undefined.
 */
export function initFailure(
  error: unknown,
): { id: string; properties: Record<string, unknown>; reasons: string[] } | undefined {
  const bin = (error as any)?.metadata?.get?.("grpc-status-details-bin")?.[0];
  if (!bin) return undefined;
  const status = statusProto.Status.deserializeBinary(bin);
  for (const any of status.getDetailsList()) {
    if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const detail = messages.ErrorResourceInitFailed.deserializeBinary(any.getValue());
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

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
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
      child.stderr?.on("data", (d) => (stderr += d));
      child.stdout?.on("data", (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (/^\d+$/.test(line.trim()) && output.length === 0 && !(child as any).port) {
            (child as any).port = Number(line.trim());
            resolve(Number(line.trim()));
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

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
      this.client[method](
        request,
        { deadline: Date.now() + DEADLINE_MS },
        (err: Error | null, res: T) => (err ? reject(err) : resolve(res)),
      ),
    );
  }

  /** The engine always configures first; args must be set or the call hangs. */
  async configure(config: Record<string, string>): Promise<void> {
    const req = new messages.ConfigureRequest();
    req.setArgs(Struct.fromJavaScript(config));
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) variables.set(k, v);
    await this.call("configure", req);
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new messages.CheckRequest();
    req.setUrn(urn);
    req.setOlds(Struct.fromJavaScript(olds));
    req.setNews(Struct.fromJavaScript(news));
    const res: any = await this.call("check", req);
    return {
      inputs: res.getInputs()?.toJavaScript() ?? {},
      failures: res
        .getFailuresList()
        .map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new messages.CreateRequest();
    req.setUrn(urn);
    req.setProperties(Struct.fromJavaScript(properties));
    const res: any = await this.call("create", req);
    return { id: res.getId(), properties: res.getProperties().toJavaScript() };
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
    req.setOlds(Struct.fromJavaScript(olds));
    req.setNews(Struct.fromJavaScript(news));
    req.setOldInputs(Struct.fromJavaScript(oldInputs));
    const res: any = await this.call("diff", req);
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
    req.setOlds(Struct.fromJavaScript(olds));
    req.setNews(Struct.fromJavaScript(news));
    req.setOldInputs(Struct.fromJavaScript(oldInputs));
    const res: any = await this.call("update", req);
    return res.getProperties().toJavaScript();
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
    req.setProperties(Struct.fromJavaScript(properties));
    req.setInputs(Struct.fromJavaScript(inputs));
    const res: any = await this.call("read", req);
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
    req.setProperties(Struct.fromJavaScript(properties));
    req.setOldInputs(Struct.fromJavaScript(oldInputs));
    await this.call("delete", req);
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
