/**
 * Which files the patterns name: expanding paths and globs (tinyglobby, since chokidar 4+ has no
 * globs), deciding whether a path seen by the watcher belongs to a pattern, and which
 * directories to watch.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';

/** True when the pattern has glob syntax (`*`, `?`, `[…]`, `{a,b}`, extglobs) rather than naming one path. */
export function isGlob(pattern: string): boolean {
  return isDynamicPattern(pattern);
}

/**
 * Plain paths (not globs) that do not exist now. The CLI calls this before starting and exits 2
 * with one line naming them: a typo in a path would otherwise wait forever without a word.
 */
export function findMissingPlainPaths(patterns: string[], cwd: string = process.cwd()): string[] {
  return patterns.filter((pattern) => !isGlob(pattern) && !existsSync(path.resolve(cwd, pattern)));
}

/** One entry a scan found: a file to follow, or a directory the pattern matched by mistake. */
export interface DiscoveredPath {
  /** Absolute path: the follower's key. */
  absolute: string;
  /** The path as matched: relative to cwd for a relative pattern, absolute for an absolute one. */
  display: string;
  isDirectory: boolean;
}

interface CompiledPattern {
  /** Absolute, normalized pattern. */
  absolute: string;
  isGlob: boolean;
  relativeToCwd: boolean;
  isMatch: (absolutePath: string) => boolean;
  /** One matcher per path segment, or `null` from a `**` segment on (anything deeper may match). */
  segmentMatchers: Array<((segment: string) => boolean) | null>;
  /** The deepest directory without glob syntax: what the watcher watches. */
  base: string;
}

/** The follower's patterns, compiled once. */
export class PatternSet {
  private readonly compiled: CompiledPattern[];

  constructor(
    patterns: string[],
    private readonly cwd: string = process.cwd(),
  ) {
    this.compiled = patterns.map((pattern) => compilePattern(pattern, cwd));
  }

  /** Every existing path the patterns name now (files, and directories so the caller can warn about them). */
  async scan(): Promise<DiscoveredPath[]> {
    const found = new Map<string, DiscoveredPath>();
    for (const pattern of this.compiled) {
      for (const entry of await expand(pattern)) {
        const isDirectory = entry.endsWith('/');
        const absolute = isDirectory ? entry.slice(0, -1) : entry;
        if (!found.has(absolute)) found.set(absolute, { absolute, display: this.display(absolute, pattern), isDirectory });
      }
    }
    return [...found.values()];
  }

  /** The display path when `absolutePath` matches a pattern, else undefined. */
  match(absolutePath: string): string | undefined {
    const pattern = this.compiled.find((candidate) => candidate.isMatch(absolutePath));
    return pattern === undefined ? undefined : this.display(absolutePath, pattern);
  }

  /** True when the path matches a pattern or may be a directory on the way to a match: what the watcher must not ignore. */
  isRelevant(absolutePath: string): boolean {
    return this.compiled.some((pattern) => pattern.isMatch(absolutePath) || mayLeadToMatch(pattern, absolutePath));
  }

  /** Plain paths (not globs), whether they exist or not: followed as soon as they appear. */
  plainPaths(): Array<{ absolute: string; display: string }> {
    return this.compiled
      .filter((pattern) => !pattern.isGlob)
      .map((pattern) => ({ absolute: pattern.absolute, display: this.display(pattern.absolute, pattern) }));
  }

  /** Directories to watch, one per pattern, deduplicated. */
  watchBases(): string[] {
    return [...new Set(this.compiled.map((pattern) => pattern.base))];
  }

  private display(absolutePath: string, pattern: CompiledPattern): string {
    return pattern.relativeToCwd ? path.relative(this.cwd, absolutePath) : absolutePath;
  }
}

function compilePattern(pattern: string, cwd: string): CompiledPattern {
  const absolute = path.resolve(cwd, pattern);
  const glob = isGlob(pattern);
  const segments = absolute.split('/').slice(1);
  const globstarAt = segments.findIndex((segment) => segment.includes('**'));
  const segmentMatchers = segments.map((segment, index) => {
    if (globstarAt >= 0 && index >= globstarAt) return null;
    return glob ? picomatch(segment) : (candidate: string) => candidate === segment;
  });
  return {
    absolute,
    isGlob: glob,
    relativeToCwd: !path.isAbsolute(pattern),
    isMatch: glob ? picomatch(absolute) : (candidate) => candidate === absolute,
    segmentMatchers,
    base: glob ? picomatch.scan(absolute).base || '/' : path.dirname(absolute),
  };
}

function mayLeadToMatch(pattern: CompiledPattern, absolutePath: string): boolean {
  const segments = absolutePath.split('/').slice(1).filter((segment) => segment !== '');
  for (let index = 0; index < segments.length; index++) {
    if (index >= pattern.segmentMatchers.length) return false;
    const matcher = pattern.segmentMatchers[index];
    if (matcher === null || matcher === undefined) return true;
    if (!matcher(segments[index] ?? '')) return false;
  }
  return true;
}

async function expand(pattern: CompiledPattern): Promise<string[]> {
  if (!pattern.isGlob) {
    try {
      return [statSync(pattern.absolute).isDirectory() ? `${pattern.absolute}/` : pattern.absolute];
    } catch {
      return []; // not there (yet): the follower keeps checking plain paths
    }
  }
  // Directories are returned too (with a trailing slash) so a glob that names one can be reported.
  return glob([pattern.absolute], { absolute: true, onlyFiles: false, expandDirectories: false, followSymbolicLinks: true });
}
