export * from "./core/scim";
export { Secret } from "./core/secret";
export * from "./core/users";
export * from "./core/sync";
export * from "./core/ims";
