// The shape memo answers exactly as the masker does: every Loghub-2k line and the PHP corpus's
// lines, each with three variants whose digits are redrawn (the same shapes, other values), asked
// twice over, as the fingerprinter asks (recall, else mask and learn). Prints how many answers
// came from the memo and how many of them differ from the masker's (must be 0). Run after a build:
//   npx tsc -p tsconfig.json && node bench/shape-memo-check.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanLine } from '../dist/detect/mask.js';
import { ShapeMemo } from '../dist/detect/shape-memo.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const loghub = path.resolve(here, '..', '..', 'shared', 'bench', 'loghub-2k');
const corpus = path.join(here, 'out', 'corpus-100mb', 'logs', 'web-01', 'php_errors.log');

const lines = [];
if (existsSync(loghub)) {
  for (const name of readdirSync(loghub)) {
    const file = path.join(loghub, name, `${name}_2k.log`);
    if (existsSync(file)) lines.push(...readFileSync(file, 'utf8').split('\n').filter(Boolean));
  }
}
// The PHP corpus (written by `npm run bench`'s replay part); its date prefix is part of the line here.
if (existsSync(corpus)) lines.push(...readFileSync(corpus, 'utf8').split('\n').filter(Boolean).slice(0, 20_000));

let seed = 1;
const digit = () => String(((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % 10);
const redrawn = (line) => line.replace(/[0-9]/g, digit);

const asked = lines.flatMap((line) => [line, redrawn(line), redrawn(line), redrawn(line)]);
const memo = new ShapeMemo(100_000);
let answered = 0;
let wrong = 0;
for (let pass = 0; pass < 2; pass++) {
  for (const line of asked) {
    const recalled = memo.recall(line, 0);
    const masked = scanLine(line);
    const truth = { template: masked.template(), values: masked.maskedValues, telling: masked.tellingValues, key: masked.key, check: masked.check };
    if (recalled === undefined) {
      memo.learn(line, 0, truth, truth.template);
      continue;
    }
    answered++;
    if (recalled !== truth.template || JSON.stringify(memo.values) !== JSON.stringify(truth.values) || truth.telling.length > 0) {
      if (wrong++ < 5) console.log(`differs: ${JSON.stringify(line)}\n  memo   ${recalled} ${JSON.stringify(memo.values)}\n  masker ${truth.template} ${JSON.stringify(truth.values)}`);
    }
  }
}
console.log(`shape memo check: ${asked.length * 2} lines asked, ${answered} answered by the memo, ${wrong} differ from the masker`);
process.exitCode = wrong === 0 ? 0 : 1;
