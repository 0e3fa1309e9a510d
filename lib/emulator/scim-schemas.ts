import { LIST_RESPONSE_SCHEMA, USER_SCHEMA, scimError, type Reply } from "./reply";

/** `/ResourceTypes` and `/Schemas`: RAM has one resource type, User, with four attributes. */

function attribute(name: string, extra: Record<string, unknown>) {
  return {
    name,
    type: "string",
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...extra,
  };
}

function userSchema(baseUrl: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    id: USER_SCHEMA,
    name: "User",
    description: "RAM user",
    attributes: [
      attribute("userName", {
        required: true,
        uniqueness: "server",
        description:
          "The part of the principal name before '@': 1-64 letters, digits, '.', '-', '_'",
      }),
      attribute("displayName", { description: "1-24 characters" }),
      attribute("externalId", { caseExact: true, uniqueness: "server" }),
    ],
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${USER_SCHEMA}` },
  };
}

function userResourceType(baseUrl: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "RAM user",
    schema: USER_SCHEMA,
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` },
  };
}

function listOf(resources: unknown[]): Reply {
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: resources.length,
      itemsPerPage: resources.length,
      startIndex: 1,
      Resources: resources,
    },
  };
}

export function resourceTypes(baseUrl: string, id: string | undefined): Reply {
  if (id === undefined) return listOf([userResourceType(baseUrl)]);
  return id === "User"
    ? { status: 200, body: userResourceType(baseUrl) }
    : scimError(404, `Resource type ${id} not found`);
}

export function schemas(baseUrl: string, id: string | undefined): Reply {
  if (id === undefined) return listOf([userSchema(baseUrl)]);
  return id === USER_SCHEMA
    ? { status: 200, body: userSchema(baseUrl) }
    : scimError(404, `Schema ${id} not found`);
}
