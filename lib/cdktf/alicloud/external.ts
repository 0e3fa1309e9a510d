import { TerraformDataSource, TerraformProvider, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";

/** The hashicorp/external versions these bindings are written for. */
export const EXTERNAL_PROVIDER_VERSION = "~> 2.3";

/** The `external` provider (hashicorp/external); one per stack is enough. */
export class ExternalProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, versionConstraint = EXTERNAL_PROVIDER_VERSION) {
    super(scope, id, {
      terraformResourceType: "external",
      terraformGeneratorMetadata: {
        providerName: "external",
        providerVersionConstraint: versionConstraint,
      },
      terraformProviderSource: "hashicorp/external",
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

/**
 * `data "external"`: runs `program` (a list: no shell, no interpolation) with `query` as a JSON
 * object on standard input; `result` is the flat map of strings it prints.
 */
export interface ExternalDataConfig {
  readonly program: string[];
  readonly query?: Record<string, string>;
  readonly workingDir?: string;
  readonly provider?: TerraformProvider;
  readonly dependsOn?: ITerraformDependable[];
}

export class ExternalData extends TerraformDataSource {
  static readonly tfResourceType = "external";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: ExternalDataConfig,
  ) {
    super(scope, id, {
      terraformResourceType: ExternalData.tfResourceType,
      terraformGeneratorMetadata: { providerName: "external" },
      provider: config.provider,
      dependsOn: config.dependsOn,
    });
  }

  /** The program's whole answer, as a Terraform map expression. */
  resultMap(): Record<string, string> {
    return this.getStringMapAttribute("result");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      program: this.config.program,
      query: this.config.query,
      working_dir: this.config.workingDir,
    };
  }
}
