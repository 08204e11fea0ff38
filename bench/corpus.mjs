/**
 * Seeded generator of a multi-host PHP/nginx error-log corpus for the throughput benchmark.
 * Same seed and size → byte-identical files, so runs on different days compare.
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../dist/sim/random.js';

/** The simulator's seeded generator (mulberry32), as a function. */
export function random(seed) {
  const generator = new Random(seed);
  return () => generator.next();
}

const TABLES = ['listings', 'carts', 'favorites', 'users', 'shops', 'orders', 'reviews', 'payments'];
const FILES = ['Listing.php', 'Cart.php', 'Shop.php', 'User.php', 'Search.php', 'Api/Router.php', 'Payments/Gateway.php'];
const KEYS = ['listing_id', 'shop_id', 'user_id', 'quantity', 'currency', 'variation', 'locale', 'ref'];

/** ~60 message shapes; variable parts drawn from the generator. */
function messageMaker(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (max) => Math.floor(rand() * max);
  const ip = () => `10.${int(256)}.${int(256)}.${int(256)}`;
  const shapes = [
    () => `PHP Warning:  Undefined array key "${pick(KEYS)}" in /var/www/html/lib/${pick(FILES)} on line ${int(900)}`,
    () => `PHP Notice:  Undefined index: ${pick(KEYS)} in /var/www/html/lib/${pick(FILES)} on line ${int(900)}`,
    () => `PHP Warning:  Memcached::get(): Server ${ip()}:11211 (tcp 11211, udp 0) failed with: Connection timed out (110) in /var/www/html/lib/Cache.php on line 77`,
    () => `PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/lib/Db.php:${int(300)}`,
    () => `PHP Warning:  mysqli_query(): (HY000/2006): MySQL server has gone away in /var/www/html/lib/Db.php on line ${int(300)}`,
    () => `PHP Deprecated:  Function strftime() is deprecated in /var/www/html/lib/${pick(FILES)} on line ${int(900)}`,
    () => `PHP Warning:  file_get_contents(https://api.example.com/v2/rates?id=${int(1e6)}&t=${int(1e9)}): Failed to open stream: HTTP request failed! HTTP/1.1 503 Service Unavailable in /var/www/html/lib/Rates.php on line 41`,
    () => `PHP Notice:  Trying to access array offset on value of type null in /var/www/html/lib/${pick(FILES)} on line ${int(900)}`,
    () => `PHP Warning:  Duplicate entry '${int(1e7)}' for key '${pick(TABLES)}.PRIMARY' in /var/www/html/lib/Db.php on line 120`,
    () => `PHP Warning:  session_start(): Failed to read session data: memcached (path: ${ip()}:11211) in /var/www/html/lib/Session.php on line 12`,
    () => `PHP Warning:  Request for user ${int(1e8)} took ${int(9000)}ms, over budget of 2000ms in /var/www/html/lib/Api/Router.php on line 230`,
    () => `PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate ${int(1e6)} bytes) in /var/www/html/lib/${pick(FILES)} on line ${int(900)}`,
  ];
  return () => pick(shapes)();
}

const pad = (n) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const phpDate = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
};

/** Writes `hosts` files under dir/logs/<host>/php_errors.log totalling about `bytes`. Returns the paths. */
export async function writeCorpus(dir, { bytes, hosts = 8, seed = 42 }) {
  const paths = [];
  const perHost = Math.ceil(bytes / hosts);
  for (let h = 0; h < hosts; h++) {
    const host = `web-${pad(h + 1)}`;
    const file = path.join(dir, 'logs', host, 'php_errors.log');
    paths.push({ host, file });
    if (existsSync(file) && statSync(file).size >= perHost) continue;
    mkdirSync(path.dirname(file), { recursive: true });
    await writeHost(file, perHost, random(seed + h));
  }
  return paths;
}

async function writeHost(file, bytes, rand) {
  const out = createWriteStream(file);
  const message = messageMaker(rand);
  let written = 0;
  let ms = Date.parse('2026-11-23T00:00:00Z');
  while (written < bytes) {
    const lines = [];
    for (let i = 0; i < 2000; i++) {
      ms += Math.floor(rand() * 40);
      let line = `[${phpDate(ms)}] ${message()}\n`;
      // One record in fifty carries a PHP stack trace, as fatal errors do.
      if (rand() < 0.02) {
        line += `[${phpDate(ms)}] PHP Stack trace:\n[${phpDate(ms)}] PHP   1. {main}() /var/www/html/index.php:0\n[${phpDate(ms)}] PHP   2. Router->dispatch() /var/www/html/index.php:42\n`;
      }
      lines.push(line);
    }
    const chunk = lines.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}
