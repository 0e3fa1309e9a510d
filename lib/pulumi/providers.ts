/*
 * Dynamic providers, and why they look like this.
 *
 * Pulumi serializes each provider object *with its closure* into the resource's `__provider`
 * property, and the engine's provider host evaluates that text in another process, later, maybe
 * on another machine. So, for contributors:
 *   - a provider method may capture only plain, immutable values (here: two strings);
 *   - no Map/Set, class instances, `#private` fields, sockets, agents, native functions, and no
 *     `this` in the methods;
 *   - code is reached with `require(…)` inside the method, by the package name only (see
 *     runtime-module.ts: never a path, and a contract with the state already written);
 *   - credentials are read at run time in the host (`configure()` gets the stack's `alicloud:*`
 *     config; environment variables otherwise), never captured, never stored in state;
 *   - endpoints travel as inputs, so nothing about the test or emulator is baked in.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "./runtime";
import { RUNTIME_MODULE } from "./runtime-module";

/** One resource type's functions in the runtime module (see RUNTIME_MODULE's contract in runtime-module.ts). */
export interface RuntimeProvider {
  check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: unknown): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props?: unknown): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult>;
  remove(id: string, props: unknown): Promise<void>;
}

/** The resource types the runtime module serves. */
export type ProviderKind = "application" | "grant" | "secret" | "userSet";

/** What RUNTIME_MODULE exports, as the serialized providers call it. */
export interface RuntimeModule {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  providers: Record<ProviderKind, RuntimeProvider>;
}

/** The runtime module keeps that contract (checked here, so its declarations need no Pulumi types). */
type KeepsContract = typeof Runtime extends RuntimeModule ? true : never;
const _keepsContract: KeepsContract = true;

/** The module the host `require`s: a string, so it serializes as itself. */
const RUNTIME = RUNTIME_MODULE;

/* eslint-disable @typescript-eslint/no-require-imports -- the host resolves the module at run time */
function providerFor(kind: ProviderKind, runtime: string): pulumi.dynamic.ResourceProvider {
  // Each method names the module itself: a shared helper would be one more closure to serialize.
  return {
    configure: (req) => (require(runtime) as RuntimeModule).configure(req),
    check: (olds, news) => (require(runtime) as RuntimeModule).providers[kind].check(olds, news),
    diff: (id, olds, news) =>
      (require(runtime) as RuntimeModule).providers[kind].diff(id, olds, news),
    create: (inputs) => (require(runtime) as RuntimeModule).providers[kind].create(inputs),
    read: (id, props) => (require(runtime) as RuntimeModule).providers[kind].read(id, props),
    update: (id, olds, news) =>
      (require(runtime) as RuntimeModule).providers[kind].update(id, olds, news),
    delete: (id, props) => (require(runtime) as RuntimeModule).providers[kind].remove(id, props),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * One module-level provider object per resource type (internal: the resources in resources.ts
 * pass them to Pulumi; they are not part of the package's public surface).
 */
export const applicationProvider = providerFor("application", RUNTIME);
export const grantProvider = providerFor("grant", RUNTIME);
export const secretProvider = providerFor("secret", RUNTIME);
export const userSetProvider = providerFor("userSet", RUNTIME);
