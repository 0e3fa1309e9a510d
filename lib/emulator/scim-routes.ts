import type { IncomingMessage } from "node:http";
import type { OAuthServer } from "./oauth";
import { formOf, parseJson, scimError, type Reply } from "./reply";
import { resourceTypes, schemas } from "./scim-schemas";
import type { ScimUsersEndpoint } from "./scim-users";

/** One SCIM or OAuth request, resolved to what answers it. */
export interface Route {
  /** Template used for counters, e.g. `PUT /Users/{id}`. */
  readonly name: string;
  readonly kind: "read" | "write" | "token";
  readonly handle: (req: IncomingMessage, url: URL, body: string) => Reply;
}

/** What the routes answer with. */
export interface RouteTargets {
  readonly oauth: OAuthServer;
  readonly users: ScimUsersEndpoint;
  /** The emulator's base URL, for the `meta.location` of schemas and resource types. */
  readonly baseUrl: () => string;
}

type Handle = (body: string, url: URL) => Reply;

/** Resolves a request for the token endpoint or the SCIM service to its route. */
export function route(targets: RouteTargets, method: string, path: string): Route {
  const [resource, id, extra] = path.split("/").filter(Boolean).map(decodeURIComponent);
  const scim = scimRoutes(targets, method);
  if (path === "/v1/token") return tokenRoute(targets.oauth, method);
  if (resource === "Users" && extra === undefined) return usersRoute(targets, method, path, id);
  if (resource === "Groups" || resource === "Bulk")
    return scim.unsupported(
      `${method} /${resource}`,
      `/${resource} is not supported: RAM's SCIM service takes users only`,
    );
  if (
    (resource === "ResourceTypes" || resource === "Schemas") &&
    extra === undefined &&
    method === "GET"
  ) {
    const answer = resource === "Schemas" ? schemas : resourceTypes;
    return scim.route(`GET /${resource}`, "read", () => answer(targets.baseUrl(), id));
  }
  return scim.route(`${method} (unknown)`, method === "GET" ? "read" : "write", () =>
    scimError(404, `No resource at ${method} ${path}`),
  );
}

/** `/Users` and `/Users/{id}`: RAM answers GET, POST, PUT and DELETE; PATCH is refused. */
function usersRoute(
  targets: RouteTargets,
  method: string,
  path: string,
  id: string | undefined,
): Route {
  const { users } = targets;
  const scim = scimRoutes(targets, method);
  if (id === undefined) {
    if (method === "GET")
      return scim.route("GET /Users", "read", (_b, url) => users.list(url.searchParams));
    if (method === "POST")
      return scim.route("POST /Users", "write", (b) => users.create(parseJson(b)));
  } else {
    if (method === "GET") return scim.route("GET /Users/{id}", "read", () => users.get(id));
    if (method === "PUT")
      return scim.route("PUT /Users/{id}", "write", (b) => users.replace(id, parseJson(b)));
    if (method === "DELETE")
      return scim.route("DELETE /Users/{id}", "write", () => users.delete(id));
    if (method === "PATCH")
      return scim.unsupported(
        "PATCH /Users/{id}",
        "PATCH is not supported by RAM's SCIM service: use PUT",
      );
  }
  return scim.unsupported(`${method} /Users`, `Method ${method} is not supported on ${path}`);
}

/** The OAuth token endpoint: POST only. */
function tokenRoute(oauth: OAuthServer, method: string): Route {
  return {
    name: `${method} /v1/token`,
    kind: "token",
    handle: (req, url, body) =>
      method === "POST"
        ? oauth.issue(url.searchParams, formOf(req, body), req.headers.authorization)
        : {
            status: 405,
            headers: { Allow: "POST" },
            body: { error: "invalid_request", error_description: "Use POST" },
          },
  };
}

/** Makers of SCIM routes: each answers only a request with a valid bearer token. */
function scimRoutes(targets: RouteTargets, method: string) {
  const scimRoute = (name: string, kind: "read" | "write", handle: Handle): Route => ({
    name,
    kind,
    handle: (req, url, body) =>
      targets.oauth.authenticate(req.headers.authorization) ?? handle(body, url),
  });
  return {
    route: scimRoute,
    /** A 501 for what RAM's SCIM service does not offer. */
    unsupported: (name: string, detail: string): Route =>
      scimRoute(name, method === "GET" ? "read" : "write", () => scimError(501, detail)),
  };
}
