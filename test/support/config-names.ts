// Which environment variables loadConfig looks at: each `env` is wrapped in a Proxy that records
// every lookup, and a configuration it refuses still counts (the names were read to refuse it).
import { ConfigError, loadConfig } from '../../src/config.ts';

export function configNamesRead(...envs: Array<Record<string, string | undefined>>): Set<string> {
  const names = new Set<string>();
  for (const env of envs) {
    const spy = new Proxy(env, {
      get(target, name) {
        if (typeof name === 'string') names.add(name);
        return target[name as string];
      },
    });
    try {
      loadConfig(spy);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return names;
}
