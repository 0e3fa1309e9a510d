import { checkAppId, defined, imsClient, providerHoldsPath } from "./context";

export interface SecretInputs {
  appId: string;
  /** Change it (a date, a counter) to rotate: the new secret is made before the old is deleted. */
  rotation?: string;
  imsEndpoint?: string;
}

export interface SecretOutputs extends SecretInputs {
  appSecretId: string;
  /** Marked secret by the resource (additionalSecretOutputs). */
  clientSecret: string;
  createDate?: string;
}

export async function check(_olds: unknown, news: SecretInputs) {
  return checkAppId(news);
}

/** A new appId or rotation value replaces the secret, new one first (deleteBeforeReplace: false). */
export async function diff(_id: string, olds: SecretOutputs, news: SecretInputs) {
  const replaces = (["appId", "rotation"] as const).filter(
    (k) => (olds[k] ?? "") !== (news[k] ?? ""),
  );
  return {
    changes:
      replaces.length > 0 ||
      (olds.imsEndpoint ?? "") !== (news.imsEndpoint ?? "") ||
      providerHoldsPath(olds),
    replaces,
    deleteBeforeReplace: false,
  };
}

export async function create(inputs: SecretInputs) {
  const made = await imsClient(inputs.imsEndpoint).createSecret(inputs.appId);
  return {
    id: made.appSecretId,
    outs: defined({
      ...inputs,
      appSecretId: made.appSecretId,
      clientSecret: made.value.reveal(),
      createDate: made.createDate,
    }),
  };
}

export async function update(_id: string, olds: SecretOutputs, news: SecretInputs) {
  return { outs: { ...olds, ...defined({ ...news }) } };
}

/** The value cannot be read back: refresh keeps it from state while the secret still exists. */
export async function read(id: string, props?: Partial<SecretOutputs>) {
  if (!props?.appId) return {};
  const secrets = await imsClient(props.imsEndpoint).listSecrets(props.appId);
  const found = secrets.find((s) => s.appSecretId === id);
  return found ? { id, props } : {};
}

export async function remove(id: string, props: SecretOutputs): Promise<void> {
  await imsClient(props.imsEndpoint).deleteSecret(props.appId, id);
}
