import {
  applicationProvider,
  grantProvider,
  secretProvider,
  userSetProvider,
} from "../../lib/pulumi/providers";
import { RUNTIME_MODULE } from "../../lib/pulumi/runtime-module";
import * as runtime from "../../lib/pulumi/runtime";
import { serializedProvider } from "../helpers/provider-host";

/**
 * The state keeps provider text that calls the runtime module by name; later versions of the
 * package must answer it (README, "The state and package updates"). These names are the contract.
 */
const KINDS = ["application", "grant", "secret", "userSet"] as const;
const METHODS = ["check", "diff", "create", "read", "update", "remove"] as const;

describe("the runtime contract with state already written", () => {
  it("the module is named, never a path", () => {
    expect(RUNTIME_MODULE).toBe("alicloud-ram-scim/pulumi-runtime");
  });

  it("exports configure and every provider method the serialized text calls", async () => {
    expect(typeof runtime.configure).toBe("function");
    for (const kind of KINDS)
      for (const method of METHODS) expect(typeof runtime.providers[kind][method]).toBe("function");
    const texts = await Promise.all(
      [applicationProvider, grantProvider, secretProvider, userSetProvider].map(serializedProvider),
    );
    for (const [i, text] of texts.entries()) {
      const called = [...text.matchAll(/providers\[kind\]\.(\w+)\(/g)].map((m) => m[1]).sort();
      expect(called).toEqual([...METHODS].sort());
      expect(text).toContain(`"${KINDS[i]}"`);
      expect(text).toContain(`"${RUNTIME_MODULE}"`);
    }
  });
});
