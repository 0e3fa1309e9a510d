/** RAM user names (docs/ram-api.md §4): compared without regard to case or principal suffix. */

const PRINCIPAL_SUFFIX = /@[^@]+\.onaliyun\.com$/i;

/** `alice@acme.onaliyun.com` → `alice`; a bare name is returned as it is. */
export function bareUserName(name: string): string {
  return name.replace(PRINCIPAL_SUFFIX, "");
}

/** The form two names are compared in: bare and lower-cased. */
export function foldUserName(name: string): string {
  return bareUserName(name).toLowerCase();
}

/** Whether two names are the same RAM user: `Alice` and `alice@acme.onaliyun.com` are. */
export function sameUserName(a: string, b: string): boolean {
  return foldUserName(a) === foldUserName(b);
}
