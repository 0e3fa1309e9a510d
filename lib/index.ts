export * from "./core/scim";
export { Secret } from "./core/secret";
