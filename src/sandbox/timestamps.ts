// PharmaOne timestamps carry microseconds ("2026-06-14T10:05:55.806759Z"). Records keep them as
// those fixed-width strings, which therefore sort chronologically as plain strings.

export type Micros = number;

export function microsToIso(micros: Micros): string {
  const millis = Math.floor(micros / 1000);
  const extra = String(micros - millis * 1000).padStart(3, '0');
  return `${new Date(millis).toISOString().slice(0, 23)}${extra}Z`;
}

export function isoToMicros(iso: string): Micros {
  const millis = Date.parse(`${iso.slice(0, 23)}Z`);
  const extra = /^\.\d{3}(\d{3})Z$/.exec(iso.slice(19))?.[1] ?? '000';
  return millis * 1000 + Number(extra);
}

/** "20260614" — the date part of record ids. */
export function idDate(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '');
}
