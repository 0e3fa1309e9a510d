export * from "./core/scim";
export { Secret } from "./core/secret";
export { RamScimError } from "./core/errors";
export * from "./core/users";
export * from "./core/sync";
export * from "./core/ims";
