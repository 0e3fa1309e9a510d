import type { Random } from "./random";

/**
 * A numeric id like RAM's (`prefix` then `length` digits), built from 8-digit pieces: one random
 * number past 2^53 would lose its low digits. `taken` rejects ids already in use.
 */
export function numericId(
  random: Random,
  prefix: string,
  length: number,
  taken: (id: string) => boolean,
): string {
  for (;;) {
    let digits = "";
    while (digits.length < length) digits += String(random.between(0, 99_999_999)).padStart(8, "0");
    const id = prefix + digits.slice(0, length);
    if (!taken(id)) return id;
  }
}

/** RAM and IMS times: seconds, no fraction (`2020-02-14T03:58:59Z`). */
export function isoSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
