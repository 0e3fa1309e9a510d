import { describeCliFlow } from "./cli-flow";
import { tool } from "./helpers";

// cdktf-cli 0.21 (the last release; CDK for Terraform was archived in December 2025).
describeCliFlow({ name: "cdktf", cli: tool(".bin/cdktf"), node: process.execPath });
