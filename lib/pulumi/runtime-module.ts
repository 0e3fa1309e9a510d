export const PACKAGE_NAME = "alicloud-ram-scim";

/**
 * The module Pulumi's dynamic-provider host `require`s to run the providers, by package name,
 * however the package was installed (a copy, `npm link`, a `file:` dependency, a workspace): the
 * serialized provider in state must hold no path of this machine, so that refresh and destroy
 * work from any checkout. The host resolves it from its working directory, the project's.
 *
 * A contract with the state already written: this specifier, its exports `configure` and
 * `providers.{application,grant,secret,userSet}.{check,diff,create,read,update,remove}`, and
 * the inputs each takes stay valid for every later version of the package within a major
 * version. The state keeps the text that calls them; the package behind it is the one installed.
 */
export const RUNTIME_MODULE = `${PACKAGE_NAME}/pulumi-runtime`;
