import { describeCliFlow } from "./cli-flow";
import { tool } from "./helpers";

// cdktf-cli 0.21 (the last release; CDK for Terraform was archived in December 2025).
// Its terminal binding is a native module installed for the Node.js that installed the tools
// (scripts/test-on-node.mjs names it when the suite runs under another): the CLI runs there,
// everything it starts (the app, our constructs, local-exec) under the Node.js of this run.
describeCliFlow({
  name: "cdktf",
  cli: tool("cdktf-cli/bundle/bin/cdktf"),
  node: process.execPath,
  cliNode: process.env.RAM_SCIM_TOOLS_NODE || process.execPath,
});
