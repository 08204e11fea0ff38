/**
 * `logwatch.config.json` (or `--config FILE`): what a team sets once so that plain `logwatch`
 * does the right thing during a push. Flags override it. Validated strictly: an unknown or
 * mistyped field is an error naming the field, exit 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_THRESHOLDS, resolveThresholds, type Thresholds } from '../detect/thresholds.js';
import { isTimeZone, TIME_ZONE_HINT } from '../pipeline/parse-header.js';
import { UsageError } from './errors.js';

export const DEFAULT_CONFIG_FILE = 'logwatch.config.json';

/** The zone `--zone` names (else the config's), checked: times written without one are read in it. */
export function zoneFrom(flag: string | undefined, config: Config): string | undefined {
  return checkedZone(flag ?? config.zone);
}

/** `zone` when it is one `parseHeader` knows; else a usage error naming `--zone`. */
export function checkedZone(zone: string | undefined): string | undefined {
  if (zone !== undefined && !isTimeZone(zone)) throw new UsageError(`--zone: "${zone}" is not a time zone; ${TIME_ZONE_HINT}`);
  return zone;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Every threshold may be overridden; each must be a finite, non-negative number. */
const thresholdsSchema = z
  .object(Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS).map((key) => [key, z.number().finite().nonnegative()])))
  .partial()
  .strict();

const listenSchema = z.union([z.literal(false), z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected HOST:PORT')]);

export const configSchema = z
  .object({
    /** Paths and globs to follow when none are given on the command line. */
    paths: z.array(z.string().min(1)).optional(),
    hostPattern: z.string().min(1).optional(),
    /** Backfill window at start, e.g. "30m". */
    since: z.string().optional(),
    fromStart: z.boolean().optional(),
    /** Known-signature catalog file kept across runs, as `--catalog`. */
    catalog: z.string().min(1).optional(),
    /** Zone of log times written without one, as `--zone`. */
    zone: z.string().refine(isTimeZone, TIME_ZONE_HINT).optional(),
    /** Feed address, "127.0.0.1:7077", or false for none. */
    listen: listenSchema.optional(),
    deploys: z
      .object({
        /** Graphite plaintext deploy listener port (0 = any free port). */
        port: z.number().int().min(0).max(65_535).optional(),
        host: z.string().min(1).optional(),
        /** A file of Graphite plaintext deploy lines to follow. */
        file: z.string().min(1).optional(),
        /** Graphite path patterns naming deploys, e.g. "events.deploy.{app}". */
        patterns: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    thresholds: thresholdsSchema.optional(),
  })
  .strict();

export type Config = Omit<z.infer<typeof configSchema>, 'thresholds'> & { thresholds?: Partial<Thresholds> };

/** Loads `file`, or `./logwatch.config.json` when present, or nothing. */
export function loadConfig(file: string | undefined, cwd: string = process.cwd()): Config {
  const chosen = file ?? path.join(cwd, DEFAULT_CONFIG_FILE);
  if (file === undefined && !existsSync(chosen)) return {};
  let text: string;
  try {
    text = readFileSync(chosen, 'utf8');
  } catch (error) {
    throw new ConfigError(`config ${chosen}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path given to --config`);
  }
  return parseConfig(text, chosen);
}

export function parseConfig(text: string, where: string): Config {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config ${where}: not valid JSON (${(error as Error).message}); fix the file`);
  }
  const result = configSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const fieldPath = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
    const field = fieldPath.length > 0 ? fieldPath.join('.') : '(top level)';
    const problem = unknownKey === undefined ? issue.message : 'unknown field';
    throw new ConfigError(`config ${where}: ${field}: ${problem}; see "Configuration" in the README`);
  }
  const config = result.data as Config;
  try {
    // Rules across fields (the ring must hold a baseline and a window) live with the thresholds.
    resolveThresholds(config.thresholds);
  } catch (error) {
    throw new ConfigError(`config ${where}: thresholds: ${(error as Error).message}; see "Configuration" in the README`);
  }
  return config;
}
