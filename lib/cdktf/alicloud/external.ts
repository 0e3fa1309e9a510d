import { TerraformDataSource, TerraformProvider, Token } from "cdktf";
import type { Construct } from "constructs";

/** The `external` provider (hashicorp/external); one per stack is enough. */
export class ExternalProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: "external",
      terraformGeneratorMetadata: { providerName: "external" },
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
    });
  }

  /** One key of the program's answer, as a Terraform expression. */
  result(key: string): string {
    return Token.asString(this.interpolationForAttribute(`result.${key}`));
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      program: this.config.program,
      query: this.config.query,
      working_dir: this.config.workingDir,
    };
  }
}
