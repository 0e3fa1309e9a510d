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

  /** The provider block takes no arguments. */
  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

/**
 * `data "external"`: runs `program` (a list: no shell, no interpolation) with `query` as a JSON
 * object on standard input; `result` is the flat map of strings it prints.
 */
export interface ExternalDataConfig {
  /** The program and its arguments, run without a shell: the first element is the executable. */
  readonly program: string[];
  /**
   * Strings handed to the program as one JSON object on standard input.
   * @default - none: `query` is left out of the data block
   */
  readonly query?: Record<string, string>;
  /**
   * Folder the program runs in.
   * @default - none: `working_dir` is left out, and the provider's default applies
   */
  readonly workingDir?: string;
  /**
   * The `external` provider to use.
   * @default - none: the stack's default `external` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Resources to read after, e.g. the resource that writes a file the program reads.
   * @default - none: only the dependencies Terraform finds in the references
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A `data "external"` block: a program's JSON answer read at plan time (see {@link
 * ExternalDataConfig}).
 */
export class ExternalData extends TerraformDataSource {
  /** Terraform's type name, `external`. */
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

  /**
   * The arguments in the provider's attribute names; unset ones are left out of the configuration.
   */
  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      program: this.config.program,
      query: this.config.query,
      working_dir: this.config.workingDir,
    };
  }
}
