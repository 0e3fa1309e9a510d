/** An Alibaba-style API error: HTTP status, `Code`, `Message`. */
export class ImsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ImsError";
  }
}

/** An RPC call's parameters (query string and form body). */
export type Params = Map<string, string>;

/** A parameter the action cannot do without, refused as IMS refuses it. */
export function required(p: Params, name: string): string {
  const value = p.get(name);
  if (value === undefined || value === "")
    throw new ImsError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  return value;
}
