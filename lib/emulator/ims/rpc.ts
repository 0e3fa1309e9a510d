import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { formOf, type Reply } from "../reply";
import type { ImsApi } from "./api";
import type { SignatureVerifier } from "./signature";

/** An IMS or RAM RPC call: the action named in a header (the SDK's V3 style) or the query. */
export function isRpcCall(req: IncomingMessage, url: URL): boolean {
  return url.pathname === "/" && (!!req.headers["x-acs-action"] || url.searchParams.has("Action"));
}

/** The action's name for counters, `IMS <Action>`. */
export function rpcRouteName(req: IncomingMessage, url: URL): string {
  return `IMS ${String(req.headers["x-acs-action"] ?? url.searchParams.get("Action"))}`;
}

/** An IMS RPC call as the official SDK sends it: parameters in the query (or a form body). */
export function answerRpc(
  signatures: SignatureVerifier,
  api: ImsApi,
  req: IncomingMessage,
  url: URL,
  body: string,
): Reply {
  const refused = signatures.verify(req, url, body);
  if (refused)
    return {
      status: refused.status,
      body: {
        RequestId: randomUUID().toUpperCase(),
        HostId: "ims.aliyuncs.com",
        Code: refused.code,
        Message: refused.message,
      },
    };
  const params = new Map(url.searchParams);
  for (const [k, v] of formOf(req, body)) params.set(k, v);
  const action = String(req.headers["x-acs-action"] ?? params.get("Action") ?? "") || undefined;
  const version = String(req.headers["x-acs-version"] ?? params.get("Version") ?? "") || undefined;
  return api.call(action, version, params);
}
