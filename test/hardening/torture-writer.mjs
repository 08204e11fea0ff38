// Rotation torture writer (RELIABILITY.md A3/A5/A6/A9 at once): HOSTS hosts append numbered lines
// at a high rate while each host's log is rotated every 200–600 ms, cycling through rename (the old
// fd writes a few late lines first), copytruncate (same fd, O_APPEND) and delete-and-recreate (the
// deleted file gets late lines too). Prints a JSON summary on stdout at the end.
// Usage: node torture-writer.mjs DIR SECONDS LINES_PER_HOST_PER_TICK
import { closeSync, copyFileSync, mkdirSync, openSync, renameSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const [dir, secondsText, perTickText] = process.argv.slice(2);
const HOSTS = 5;
const seconds = Number(secondsText);
const perTick = Number(perTickText);
const STRATEGIES = ['rename', 'copytruncate', 'recreate'];
const PAD = 'x'.repeat(60);

let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const hosts = Array.from({ length: HOSTS }, (_, index) => {
  const file = path.join(dir, 'logs', `host-${index}`, 'app.log');
  mkdirSync(path.dirname(file), { recursive: true });
  return { index, file, fd: openSync(file, 'a'), next: 0, generationStart: 0, rotations: 0, nextRotateAt: Date.now() + 200 + random() * 400 };
});
const summary = { written: 0, rotations: { rename: 0, copytruncate: 0, recreate: 0 }, copytruncated: [], generations: [] };

const write = (host, fd) => {
  writeSync(fd, `host-${host.index} ${String(host.next).padStart(8, '0')} ${PAD}\n`);
  host.next++;
  summary.written++;
};

function rotate(host) {
  // Rotated names are unique (as with logrotate's dateext): copying onto a name that a renamed log
  // still being drained holds would rewrite that file, which a follower rightly reads again.
  const rotated = `${host.file}.${host.rotations}`;
  const strategy = STRATEGIES[host.rotations++ % STRATEGIES.length];
  summary.rotations[strategy]++;
  if (strategy === 'copytruncate') {
    copyFileSync(host.file, rotated);
    truncateSync(host.file, 0);
    // Lines of this generation: only those not yet read when truncated can be lost.
    summary.copytruncated.push([host.index, host.generationStart, host.next]);
  } else {
    if (strategy === 'rename') renameSync(host.file, rotated);
    else unlinkSync(host.file);
    for (let late = 0; late < 3; late++) write(host, host.fd);
    closeSync(host.fd);
    host.fd = openSync(host.file, 'a');
  }
  summary.generations.push([host.index, strategy, host.generationStart, host.next]);
  host.generationStart = host.next;
  host.nextRotateAt = Date.now() + 200 + random() * 400;
}

const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
  for (const host of hosts) {
    for (let i = 0; i < perTick; i++) write(host, host.fd);
    if (Date.now() >= host.nextRotateAt) rotate(host);
  }
  await sleep(2);
}
for (const host of hosts) closeSync(host.fd);
summary.perHost = hosts.map((host) => host.next);
process.stdout.write(JSON.stringify(summary));
