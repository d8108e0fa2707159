// Last line of defence for logs: text that reaches a log line (error messages, stacks) is scrubbed
// of what looks like personal data or secrets. The first line is that log lines carry only
// chosen fields — never variables, results, headers or upstream bodies.

const PATTERNS: Array<[RegExp, string]> = [
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[jwt]'],
  [/\b(bearer|apikey|api[_-]?key|authorization|access_token)(["':=\s]+)[^\s"',;]+/gi, '$1$2[secret]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // Calendar dates (birth dates), but not the date part of an ISO timestamp.
  [/\b(19|20)\d\d-\d\d-\d\d\b(?!T)/g, '[date]'],
  // Phone numbers in international (+49 …) or national (030 …) form.
  [/\+\d[\d ()/-]{6,}\d/g, '[number]'],
  [/\b0\d{2,5}[ /-]?\d{3,}(?:[ -]\d+)*\b/g, '[number]'],
];

/** Secrets the process knows (the operator's org keys): never printed, whatever they look like. */
const knownSecrets = new Set<string>();

/**
 * The last text found to hold nothing to scrub. Most lines are the operation line, whose message is
 * one constant: six patterns run on it once, not once per request (~3 µs each time). A secret
 * registered later could hide in it, so registering one forgets it. Short texts only: no stack is kept.
 */
let lastClean: string | undefined;

export function registerSecret(secret: string): void {
  if (secret.length >= 6) knownSecrets.add(secret);
  lastClean = undefined;
}

export function scrubText(text: string): string {
  if (text === lastClean) return text;
  let result = text;
  for (const secret of knownSecrets) result = result.split(secret).join('[secret]');
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  if (result === text && text.length <= 256) lastClean = text;
  return result;
}
