import { SCIM_SCOPE } from "../../core/ims";
import { checkAppId, defined, imsClient, providerHoldsPath } from "./context";

export interface GrantInputs {
  appId: string;
  scopes?: string[];
  imsEndpoint?: string;
}

export async function check(_olds: unknown, news: GrantInputs) {
  return checkAppId(news);
}

export async function diff(_id: string, olds: GrantInputs, news: GrantInputs) {
  const scopes = (g: GrantInputs) => [...(g.scopes ?? [SCIM_SCOPE])].sort().join(";");
  const replaces = olds.appId !== news.appId ? ["appId"] : [];
  return {
    changes: replaces.length > 0 || scopes(olds) !== scopes(news) || providerHoldsPath(olds),
    replaces,
    // Another application's grant is another grant: the new one is made before the old goes.
    // The same application's (a forced replacement): revoke first, or the delete would undo it.
    deleteBeforeReplace: olds.appId === news.appId,
  };
}

export async function create(inputs: GrantInputs) {
  const grant = await imsClient(inputs.imsEndpoint).grant(
    inputs.appId,
    inputs.scopes ?? [SCIM_SCOPE],
  );
  return { id: inputs.appId, outs: defined({ ...inputs, scopes: [...grant.scopes] }) };
}

/** ProvisionApplication again replaces the granted scopes. */
export async function update(_id: string, _olds: GrantInputs, news: GrantInputs) {
  return { outs: (await create(news)).outs };
}

export async function read(id: string, props?: Partial<GrantInputs>) {
  const grant = await imsClient(props?.imsEndpoint).getGrant(id);
  if (!grant) return {};
  return { id, props: defined({ ...props, appId: id, scopes: [...grant.scopes] }) };
}

export async function remove(id: string, props: GrantInputs): Promise<void> {
  await imsClient(props.imsEndpoint).revoke(id);
}
