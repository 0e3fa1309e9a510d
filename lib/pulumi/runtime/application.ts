import {
  ImsValidationError,
  validateApplicationSpec,
  SCIM_SCOPE,
  type ApplicationSpec,
} from "../../core/ims";
import { defined, imsClient, isUnknown } from "./context";

export interface ApplicationInputs {
  appName: string;
  displayName: string;
  accessTokenValidity?: number;
  scopes?: string[];
  imsEndpoint?: string;
}

export interface ApplicationOutputs extends ApplicationInputs {
  appId: string;
  appType: string;
  accessTokenValidity: number;
  scopes: string[];
}

type CheckFailure = { property: string; reason: string };

function spec(inputs: ApplicationInputs): ApplicationSpec {
  return {
    appName: inputs.appName,
    displayName: inputs.displayName,
    accessTokenValidity: inputs.accessTokenValidity ?? 3600,
    scopes: inputs.scopes ?? [SCIM_SCOPE],
  };
}

export async function check(
  _olds: unknown,
  news: ApplicationInputs,
): Promise<{ inputs: ApplicationInputs; failures: CheckFailure[] }> {
  if (isUnknown(news)) return { inputs: news, failures: [] };
  try {
    validateApplicationSpec(spec(news));
    return { inputs: news, failures: [] };
  } catch (e) {
    if (!(e instanceof ImsValidationError)) throw e;
    return {
      inputs: news,
      failures: e.problems.map((p) => ({ property: p.field, reason: p.message })),
    };
  }
}

/** AppName cannot change through the API: a new name is a new application (made before the old goes). */
export async function diff(_id: string, olds: ApplicationOutputs, news: ApplicationInputs) {
  const s = spec(news);
  const replaces = olds.appName !== news.appName ? ["appName"] : [];
  const changes =
    replaces.length > 0 ||
    olds.displayName !== s.displayName ||
    olds.accessTokenValidity !== s.accessTokenValidity ||
    [...olds.scopes].sort().join(";") !== [...(s.scopes ?? [])].sort().join(";") ||
    (olds.imsEndpoint ?? "") !== (news.imsEndpoint ?? "");
  return { changes, replaces, deleteBeforeReplace: false };
}

function outputs(
  inputs: ApplicationInputs,
  app: {
    appId: string;
    appType: string;
    accessTokenValidity: number;
    predefinedScopes: readonly string[];
    displayName: string;
    appName: string;
  },
): ApplicationOutputs {
  return defined({
    ...inputs,
    appId: app.appId,
    appName: app.appName,
    displayName: app.displayName,
    appType: app.appType,
    accessTokenValidity: app.accessTokenValidity,
    scopes: [...app.predefinedScopes],
  });
}

export async function create(inputs: ApplicationInputs) {
  const app = await imsClient(inputs.imsEndpoint).createApplication(spec(inputs));
  return { id: app.appId, outs: outputs(inputs, app) };
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

/** `pulumi refresh` and `pulumi import` (by AppId). */
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
