// Renders docs/configuration.md, the configuration reference, from the code that reads the
// environment: the names each configuration branch reads (CONFIG_BRANCHES in src/config.ts, and
// the sandbox's own reader), how each is read (kind, default, bounds: EnvReader.reads) and what
// each means (src/config/descriptions.ts). A variable read without a description, a description
// of nothing, or a default the reader cannot state and no description gives, fails the render, so
// `npm run codegen:check` (and `npm test`) fail with it.
import { CONFIG_BRANCHES, ConfigError, knownSettings, loadConfig, readGatewayConfig } from '../../src/config.ts';
import { SECTIONS, settingDescriptions } from '../../src/config/descriptions.ts';
import type { SettingDescription } from '../../src/config/descriptions.ts';
import { createEnvReader } from '../../src/config/env.ts';
import type { SettingRead } from '../../src/config/env.ts';
import { readSandboxOptions } from '../../src/sandbox/options.ts';
import type { GeneratedFile } from './generated-file.ts';

export const configurationDocPath = 'docs/configuration.md';

export interface SettingFacts {
  name: string;
  /** How each configuration that reads it reads it. */
  reads: SettingRead[];
  /** The gateway configuration it is read only in (undefined: always, or never by the gateway). */
  onlyWith: string | undefined;
  byGateway: boolean;
  bySandbox: boolean;
}

/** Every variable the gateway (in any of its branches) or `npm run sandbox` reads, with how. */
export function collectSettingFacts(): Map<string, SettingFacts> {
  const facts = new Map<string, SettingFacts>();
  const fact = (name: string) => {
    const known = facts.get(name) ?? { name, reads: [], onlyWith: undefined, byGateway: false, bySandbox: false };
    facts.set(name, known);
    return known;
  };
  const gateway = knownSettings().names;
  for (const { env } of CONFIG_BRANCHES) {
    const read = createEnvReader(env);
    readGatewayConfig(read);
    for (const [name, how] of read.reads) fact(name).reads.push(how);
  }
  for (const [name, onlyWith] of gateway) Object.assign(fact(name), { byGateway: true, onlyWith });
  // Every reader looks at NODE_ENV when it is made; the sandbox's own settings are what it reads after.
  const before = new Set(createEnvReader({}).reads.keys());
  const sandbox = createEnvReader({});
  readSandboxOptions(sandbox);
  for (const [name, how] of sandbox.reads) if (!before.has(name)) Object.assign(fact(name), { bySandbox: true }).reads.push(how);
  return facts;
}

/** The defaults the reader recorded for a variable, each once. */
export function recordedDefaults(facts: SettingFacts): string[] {
  return [...new Set(facts.reads.flatMap((read) => (read.fallback === undefined ? [] : [read.fallback])))];
}

/**
 * Problems with the descriptions against what the code reads: a variable without a description,
 * a description of a variable nothing reads, a default in words that does not name every default
 * the reader records (as `value`, or as `OTHER_VARIABLE` whose own default it is), and a default
 * that depends on the mode with no words for it.
 */
export function descriptionProblems(facts: Map<string, SettingFacts>, descriptions: SettingDescription[]): string[] {
  const problems: string[] = [];
  const described = new Map<string, SettingDescription>();
  for (const description of descriptions) {
    if (described.has(description.name)) problems.push(`${description.name} is described twice`);
    described.set(description.name, description);
  }
  for (const name of facts.keys())
    if (!described.has(name)) problems.push(`${name} is read but has no description in src/config/descriptions/`);
  for (const name of described.keys()) if (!facts.has(name)) problems.push(`${name} is described but nothing reads it`);
  for (const description of descriptions) {
    const known = facts.get(description.name);
    if (!known) continue;
    const defaults = recordedDefaults(known);
    if (description.defaultText === undefined) {
      if (defaults.length > 1)
        problems.push(`${description.name}'s default depends on the mode (${defaults.join(', ')}): describe it in DEFAULT_TEXTS`);
      continue;
    }
    for (const value of defaults) {
      const namesIt = description.defaultText.includes(`\`${value}\``);
      const other = [...description.defaultText.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].some(([, name]) => {
        const otherFacts = name ? facts.get(name) : undefined;
        return otherFacts !== undefined && recordedDefaults(otherFacts).join() === value;
      });
      if (!namesIt && !other)
        problems.push(
          `${description.name}'s default in words ("${description.defaultText}") does not name the default the code uses, ${value}`,
        );
    }
  }
  return problems;
}

const BIG = 2 ** 31;
const bounds = (read: SettingRead) =>
  read.min === undefined || read.max === undefined ? '' : read.max >= BIG ? `≥ ${read.min}` : `${read.min}–${read.max}`;

/** What a value looks like: its kind, unit and bounds. */
function valueCell(read: SettingRead): string {
  const range = bounds(read);
  switch (read.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return `whole number, ${range}`;
    case 'duration':
    case 'size':
    case 'percent':
      return `${read.unit ?? ''}, ${range}`;
    case 'choice':
      return `one of ${(read.values ?? []).map((value) => `\`${value}\``).join(', ')}`;
    case 'url':
      return `${(read.values ?? []).join('/')} URL`;
    case 'file':
      return 'readable file';
    default:
      return 'text';
  }
}

function defaultCell(facts: SettingFacts, description: SettingDescription): string {
  if (description.defaultText !== undefined) return description.defaultText;
  const [value] = recordedDefaults(facts);
  return value === undefined ? 'unset' : `\`${value}\``;
}

function whenRead(facts: SettingFacts): string {
  if (facts.bySandbox && facts.byGateway) return `*\`npm run sandbox\`, and the gateway with \`${facts.onlyWith ?? 'any setting'}\`.* `;
  if (facts.bySandbox) return '*`npm run sandbox` only.* ';
  return facts.onlyWith ? `*Read only with \`${facts.onlyWith}\`.* ` : '';
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The refusal a bad configuration prints, produced by the code itself. */
function exampleRefusal(): string {
  try {
    loadConfig({ NODE_ENV: 'production', PORT: '80000' });
  } catch (error) {
    if (error instanceof ConfigError) return `pharmaone-graph refuses to start. ${error.message}`;
    throw error;
  }
  throw new Error('the example configuration was accepted: pick one the gateway refuses');
}

const intro = (
  refusal: string,
) => `<!-- generated by npm run codegen from src/config/descriptions/ and the reads of src/config.ts and src/sandbox/options.ts — do not edit -->
# Configuration reference

Every environment variable the gateway (\`npm start\`, the image's \`node src/main.ts\`) and the
sandbox (\`npm run sandbox\`) read. This page is generated from the code that reads them
(\`npm run codegen\`; \`npm test\` fails when it drifts), so a variable is here exactly when the code
reads it, with the default and bounds the code uses.

**How values are read.** One parser (\`src/config/env.ts\`) reads every variable: booleans are
\`true/1/yes/on\` or \`false/0/no/off\` (any case); numbers are plain whole numbers, in the unit the
name ends with (\`_MS\`, \`_SECONDS\`, \`_MB\`, \`_BYTES\`, \`_PERCENT\`); URLs must be absolute
http(s) (Redis: redis/rediss); files must be readable. The whole configuration is checked at start,
and a bad one stops the process with exit code 78 (\`EX_CONFIG\`) after printing **every** problem
at once, e.g.

\`\`\`
$ NODE_ENV=production PORT=80000 npx node src/main.ts
${refusal}
\`\`\`

**Mistakes are reported.** A variable set under one of the gateway's prefixes that this
configuration does not read (a typo such as \`PHARMAONE_BASEURL\`, a retired name such as
\`UPSTREAM_ORG_QUEUE\`, a setting of another mode) is a warning at start naming the closest known
name, never its value; see \`CONFIG_STRICT\`.

**Modes** are decided once each, by the layer they belong to, and assembled with every other
section by \`src/config.ts\`: the upstream mode (\`src/upstream/upstream-config.ts\`; \`pharmaone\`:
\`PHARMAONE_BASE_URL\`; \`sandbox\`: the embedded sandbox) and the caller mode
(\`src/auth/auth-config.ts\`; \`AUTH_MODE\`: \`pass-through\` or \`bff\`). In pass-through mode the
caller's credential is its PharmaOne integration key in the \`apikey\` request header, and the org
comes from the query (\`org(id:)\`, \`input.orgId\`): a caller reaches an org only if its key's token
exchange for that org succeeds ([security](security.md)). Settings read only in one mode say so.

Sections: ${SECTIONS.map(({ id, title }) => `[${title}](#${id})`).join(' · ')}.
`;

export function renderConfigurationDoc(): GeneratedFile {
  const facts = collectSettingFacts();
  const descriptions = settingDescriptions();
  const problems = descriptionProblems(facts, descriptions);
  if (problems.length > 0) throw new Error(`the configuration reference cannot be generated:\n  ${problems.join('\n  ')}`);
  const parts = [intro(exampleRefusal())];
  for (const { id, title } of SECTIONS) {
    const rows = descriptions.filter((description) => description.section === id);
    if (rows.length === 0) continue;
    parts.push(`\n<a id="${id}"></a>\n## ${title}\n\n| variable | default | value | meaning |\n|---|---|---|---|`);
    for (const description of rows) {
      const known = facts.get(description.name);
      if (!known) continue;
      const [read] = known.reads.filter((each) => each.kind !== 'text').concat(known.reads);
      const value = read ? valueCell(read) : 'text';
      parts.push(
        `| \`${description.name}\` | ${cell(defaultCell(known, description))} | ${cell(value)} | ${cell(whenRead(known) + description.meaning)} |`,
      );
    }
  }
  return { path: configurationDocPath, content: `${parts.join('\n')}\n` };
}
