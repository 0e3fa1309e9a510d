import {
  applicationDrift,
  DEFAULT_TOKEN_VALIDITY,
  ImsValidationError,
  validateApplicationSpec,
  SCIM_SCOPE,
  type ApplicationSpec,
  type OAuthApplication,
} from "../../core/ims";
import { defined, imsClient, isUnknown, providerHoldsPath } from "./context";

export interface ApplicationInputs {
  appName: string;
  displayName: string;
  accessTokenValidity?: number;
  scopes?: string[];
  imsEndpoint?: string;
  /** On create, take over the application of this AppName that exists already. @default false */
  adoptExisting?: boolean;
  /** On create, take over the application with this AppId (its AppName must be appName). */
  adoptAppId?: string;
  /** Filled in by check() on create when an application is taken over: which one, and what changes. */
  adoption?: string;
  /**
   * Set by RamScimApplication when `appName` was not given: an application made under an
   * earlier default name keeps it (a new default would replace it).
   */
  appNameDefault?: boolean;
}

export interface ApplicationOutputs extends ApplicationInputs {
  appId: string;
  appType: string;
  accessTokenValidity: number;
  /** The scopes the application declares (IMS's predefined scopes). */
  scopes: string[];
  /** Of those, the required ones; absent in states written before it was recorded. */
  requiredScopes?: string[];
}

type CheckFailure = { property: string; reason: string };

function spec(inputs: ApplicationInputs): ApplicationSpec {
  return {
    appName: inputs.appName,
    displayName: inputs.displayName,
    accessTokenValidity: inputs.accessTokenValidity ?? DEFAULT_TOKEN_VALIDITY,
    scopes: inputs.scopes ?? [SCIM_SCOPE],
  };
}

/** The application a create would take over, or a reason to refuse the create. */
async function existing(
  inputs: ApplicationInputs,
): Promise<{ app?: OAuthApplication; refused?: CheckFailure }> {
  const ims = imsClient(inputs.imsEndpoint);
  if (inputs.adoptAppId) {
    const app = await ims.getApplication(inputs.adoptAppId);
    if (!app)
      return {
        refused: {
          property: "adoptAppId",
          reason: `no application with AppId ${inputs.adoptAppId} in this account`,
        },
      };
    if (app.appName !== inputs.appName)
      return {
        refused: {
          property: "appName",
          reason: `application ${app.appId} is named "${app.appName}", and AppName cannot change: set appName: "${app.appName}" to adopt it`,
        },
      };
    return { app };
  }
  const app = await ims.findApplication(inputs.appName);
  if (!app || inputs.adoptExisting) return app ? { app } : {};
  return {
    refused: {
      property: "appName",
      reason:
        `an application named "${inputs.appName}" already exists in this account (AppId ${app.appId}); ` +
        `another stack may own it. Set adoptExisting: true to take it over, or choose another appName.`,
    },
  };
}

function adoptionText(app: OAuthApplication, inputs: ApplicationInputs): string {
  const changes = Object.entries(applicationDrift(app, spec(inputs))).map(
    ([k, v]) => `${k} -> ${JSON.stringify(v)}`,
  );
  return `adopts AppId ${app.appId} ("${app.appName}")${changes.length > 0 ? `: ${changes.join(", ")}` : ", unchanged"}`;
}

/** Validates; on create, also looks the AppName up so that the preview shows an adoption or a clash. */
export async function check(
  olds: Partial<ApplicationInputs> | undefined,
  news: ApplicationInputs,
): Promise<{ inputs: ApplicationInputs; failures: CheckFailure[] }> {
  const { adoption: _stale, ...inputs } = news;
  if (isUnknown(inputs)) return { inputs, failures: [] };
  try {
    validateApplicationSpec(spec(inputs));
  } catch (e) {
    if (!(e instanceof ImsValidationError)) throw e;
    return {
      inputs,
      failures: e.problems.map((p) => ({ property: p.field, reason: p.message })),
    };
  }
  if (olds?.appName !== undefined)
    return {
      inputs:
        inputs.appNameDefault && olds.appName !== inputs.appName
          ? { ...inputs, appName: olds.appName }
          : inputs,
      failures: [],
    };
  const found = await existing(inputs);
  if (found.refused) return { inputs, failures: [found.refused] };
  return {
    inputs: found.app ? { ...inputs, adoption: adoptionText(found.app, inputs) } : inputs,
    failures: [],
  };
}

/**
 * AppName cannot change through the API: a new name is a new application, made before the old
 * one goes. Everything else is an update; the adoption inputs matter only on create.
 */
export async function diff(_id: string, olds: ApplicationOutputs, news: ApplicationInputs) {
  const replaces = olds.appName !== news.appName ? ["appName"] : [];
  // The same drift rule as an adoption's; a state without required scopes had them equal.
  const drift = applicationDrift(
    {
      displayName: olds.displayName,
      accessTokenValidity: olds.accessTokenValidity,
      predefinedScopes: olds.scopes,
      requiredScopes: olds.requiredScopes ?? olds.scopes,
    },
    spec(news),
  );
  const changes =
    replaces.length > 0 ||
    Object.keys(drift).length > 0 ||
    (olds.imsEndpoint ?? "") !== (news.imsEndpoint ?? "") ||
    providerHoldsPath(olds);
  return { changes, replaces, deleteBeforeReplace: false };
}

function outputs(inputs: ApplicationInputs, app: OAuthApplication): ApplicationOutputs {
  return defined({
    ...inputs,
    appId: app.appId,
    appName: app.appName,
    displayName: app.displayName,
    appType: app.appType,
    accessTokenValidity: app.accessTokenValidity,
    scopes: [...app.predefinedScopes],
    requiredScopes: [...app.requiredScopes],
  });
}

export async function create(inputs: ApplicationInputs) {
  const { adoption: _shown, ...rest } = inputs;
  if (!rest.adoptExisting && !rest.adoptAppId) {
    const app = await imsClient(rest.imsEndpoint).createApplication(spec(rest));
    return { id: app.appId, outs: outputs(rest, app) };
  }
  const found = await existing(rest);
  if (found.refused) throw new Error(found.refused.reason);
  if (!found.app) {
    const app = await imsClient(rest.imsEndpoint).createApplication(spec(rest));
    return { id: app.appId, outs: outputs(rest, app) };
  }
  const changes = applicationDrift(found.app, spec(rest));
  const app =
    Object.keys(changes).length > 0
      ? await imsClient(rest.imsEndpoint).updateApplication(found.app.appId, changes)
      : found.app;
  return { id: app.appId, outs: outputs(rest, app) };
}

export async function update(id: string, _olds: ApplicationOutputs, news: ApplicationInputs) {
  const s = spec(news);
  const app = await imsClient(news.imsEndpoint).updateApplication(id, {
    displayName: s.displayName,
    accessTokenValidity: s.accessTokenValidity,
    scopes: s.scopes,
  });
  return { outs: outputs(news, app) };
}

/**
 * `pulumi refresh`. (`pulumi import` cannot reach a dynamic provider: the engine sends no provider
 * text with it. Adopt with `adoptExisting` or `adoptAppId` instead.)
 */
export async function read(id: string, props?: Partial<ApplicationOutputs>) {
  const app = await imsClient(props?.imsEndpoint).getApplication(id);
  if (!app) return {};
  const base: ApplicationInputs = {
    appName: app.appName,
    displayName: app.displayName,
    ...(props?.imsEndpoint ? { imsEndpoint: props.imsEndpoint } : {}),
  };
  return { id, props: outputs(base, app) };
}

export async function remove(id: string, props: ApplicationOutputs): Promise<void> {
  await imsClient(props.imsEndpoint).deleteApplication(id);
}
