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
import { RUNTIME_MODULE } from "./runtime-module";

export type ProviderKind = "application" | "grant" | "secret" | "userSet";

/** The module the host `require`s: a string, so it serializes as itself. */
const RUNTIME = RUNTIME_MODULE;

/* eslint-disable @typescript-eslint/no-require-imports */
function providerFor(kind: ProviderKind, runtime: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: async (req) => require(runtime).configure(req),
    check: async (olds, news) => require(runtime).providers[kind].check(olds, news),
    diff: async (id, olds, news) => require(runtime).providers[kind].diff(id, olds, news),
    create: async (inputs) => require(runtime).providers[kind].create(inputs),
    read: async (id, props) => require(runtime).providers[kind].read(id, props),
    update: async (id, olds, news) => require(runtime).providers[kind].update(id, olds, news),
    delete: async (id, props) => require(runtime).providers[kind].remove(id, props),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** One module-level provider object per resource type. */
export const applicationProvider = providerFor("application", RUNTIME);
export const grantProvider = providerFor("grant", RUNTIME);
export const secretProvider = providerFor("secret", RUNTIME);
export const userSetProvider = providerFor("userSet", RUNTIME);
