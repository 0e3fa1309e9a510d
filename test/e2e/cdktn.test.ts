import { describeCliFlow } from "./cli-flow";
import { node22, tool } from "./helpers";

// cdktn-cli 0.24 (CDK Terrain, the maintained fork), on the Node.js 22 it requires.
describeCliFlow({ name: "cdktn", cli: tool("cdktn-cli/bin/cdktn"), node: node22() });
