/**
 * The simulator's message catalog: what a PHP web tier's error logs say on an ordinary day, and
 * what each incident adds. Messages follow PHP 8.2's wording (two spaces after `PHP Warning:`).
 */
import type { LogEntry } from './log-format.js';
import { uncaught } from './log-format.js';
import type { Random, Weighted } from './random.js';

export interface MessageContext {
  rng: Random;
  /** A recently issued row id (the ID server's counter, or an ordinary id). */
  recentId(): number;
}

export type MessageMaker = (context: MessageContext) => LogEntry;

const php = (...lines: string[]): LogEntry => ({ format: 'php', lines });
const nginx = (line: string): LogEntry => ({ format: 'nginx', lines: [line] });
const fixed = (line: string): MessageMaker => () => php(line);

const WWW = '/var/www/html';
const memcacheTimeout = (method: string, server: string, line: number): string =>
  `PHP Warning:  Memcached::${method}(): Server ${server}:11211 (tcp 11211, udp 0) failed with: Connection timed out (110) in ${WWW}/lib/Cache/Memcache.php on line ${line}`;
const clientIp = (rng: Random): string => `${rng.pick(['203.0.113', '198.51.100', '192.0.2'])}.${rng.int(1, 254)}`;

/** A dozen common warnings and notices, weighted by how often they show up. */
export const BASELINE_PHP: readonly Weighted<MessageMaker>[] = [
  { weight: 8, value: fixed(`PHP Warning:  Undefined array key "listing_id" in ${WWW}/lib/Listing.php on line 412`) },
  { weight: 6, value: (c) => php(`PHP Notice:  Listing ${c.recentId()} has no shipping profile; using the shop default in ${WWW}/lib/Shipping/Profile.php on line 77`) },
  { weight: 6, value: fixed(`PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in ${WWW}/lib/Util/Text.php on line 58`) },
  { weight: 5, value: fixed(`PHP Warning:  Trying to access array offset on value of type null in ${WWW}/lib/Shop/Policies.php on line 131`) },
  { weight: 5, value: fixed(`PHP Warning:  Undefined property: stdClass::$thumbnail_url in ${WWW}/lib/Image/ListingImage.php on line 203`) },
  { weight: 4, value: (c) => php(`PHP Warning:  file_get_contents(http://10.0.4.${c.rng.int(20, 23)}:8080/v1/taxonomy/${c.rng.int(1, 6800)}): Failed to open stream: HTTP request failed! HTTP/1.1 503 Service Unavailable in ${WWW}/lib/Taxonomy/Client.php on line 44`) },
  { weight: 4, value: fixed(`PHP Warning:  Cannot modify header information - headers already sent by (output started at ${WWW}/templates/header.php:12) in ${WWW}/lib/Http/Response.php on line 66`) },
  { weight: 4, value: (c) => php(`PHP Warning:  getimagesize(/mnt/images/il_570xN.${c.recentId()}_${c.rng.hex(4)}.jpg): Failed to open stream: No such file or directory in ${WWW}/lib/Image/Resize.php on line 95`) },
  { weight: 3, value: fixed(`PHP Deprecated:  Creation of dynamic property Market\\Cart\\CartItem::$gift_wrap is deprecated in ${WWW}/lib/Cart/CartItem.php on line 48`) },
  { weight: 3, value: (c) => php(`PHP Warning:  Undefined array key ${c.rng.int(0, 40)} in ${WWW}/lib/Search/Facets.php on line 155`) },
  { weight: 2, value: (c) => php(`PHP Notice:  fwrite(): Write of ${c.rng.int(60, 900)} bytes failed with errno=32 Broken pipe in ${WWW}/lib/Log/Statsd.php on line 31`) },
  { weight: 2, value: fixed(`PHP Warning:  PDOStatement::execute(): MySQL server has gone away in ${WWW}/lib/Db/Statement.php on line 88`) },
  { weight: 1, value: (c) => php(memcacheTimeout('get', `10.0.3.${c.rng.int(1, 12)}`, 118)) },
];

/** nginx's own errors: slow upstreams and missing files, a trickle on every host. */
export const BASELINE_NGINX: readonly Weighted<MessageMaker>[] = [
  { weight: 3, value: (c) => nginx(`[error] ${c.rng.int(2000, 2400)}#0: *${c.rng.int(1000, 999999)} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${clientIp(c.rng)}, server: www.example.com, request: "GET /listing/${c.recentId()}/handmade-mug HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock", host: "www.example.com"`) },
  { weight: 2, value: (c) => nginx(`[error] ${c.rng.int(2000, 2400)}#0: *${c.rng.int(1000, 999999)} open() "/var/www/html/htdocs/apple-touch-icon-precomposed.png" failed (2: No such file or directory), client: ${clientIp(c.rng)}, server: www.example.com, request: "GET /apple-touch-icon-precomposed.png HTTP/1.1", host: "www.example.com"`) },
  { weight: 1, value: (c) => nginx(`[warn] ${c.rng.int(2000, 2400)}#0: *${c.rng.int(1000, 999999)} an upstream response is buffered to a temporary file /var/cache/nginx/fastcgi_temp/${c.rng.int(1, 9)}/0${c.rng.int(1, 9)}/00000${c.rng.int(10000, 99999)} while reading upstream, client: ${clientIp(c.rng)}, server: www.example.com, request: "GET /search?q=linen HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock", host: "www.example.com"`) },
];

/** The nightly-ish shipping-estimates cron: a burst of the same few warnings every run. */
export const CRON_PHP: readonly Weighted<MessageMaker>[] = [
  { weight: 5, value: fixed(`PHP Warning:  Undefined array key "shipping_profile_id" in ${WWW}/bin/cron/recompute_shipping_estimates.php on line 57`) },
  { weight: 2, value: (c) => php(`PHP Notice:  Shop ${c.rng.int(10000, 99999)} has no active listings, skipping in ${WWW}/bin/cron/recompute_shipping_estimates.php on line 88`) },
];

/** A half-synced release: one request sees a file that is not there yet. */
export const ROLLOUT_BLIP: MessageMaker = fixed(
  `PHP Warning:  require_once(${WWW}/lib/Market/Bootstrap.php): Failed to open stream: No such file or directory in ${WWW}/htdocs/index.php on line 4`,
);

const INT32_MAX = 2147483647;
const OVERFLOW_TABLES = [
  { table: 'listings', column: 'listing_id', model: 'Listing/Listing', endpoint: 'your/listings/create' },
  { table: 'listing_images', column: 'listing_image_id', model: 'Listing/ListingImage', endpoint: 'your/listings/edit' },
  { table: 'favorites', column: 'favorite_id', model: 'Favorites/Favorite', endpoint: 'api/v3/favorites' },
  { table: 'cart_listings', column: 'cart_listing_id', model: 'Cart/CartListing', endpoint: 'cart/add' },
  { table: 'receipt_transactions', column: 'transaction_id', model: 'Checkout/Transaction', endpoint: 'checkout/submit' },
] as const;

function insertFrames(target: (typeof OVERFLOW_TABLES)[number], rng: Random): string[] {
  const className = target.model.replace('/', '\\');
  return [
    `${WWW}/lib/Db/Statement.php(88): PDOStatement->execute(Array)`,
    `${WWW}/lib/Orm/Model.php(214): Market\\Db\\Statement->execute(Array)`,
    `${WWW}/lib/${target.model}.php(${rng.int(40, 300)}): Market\\Orm\\Model->insert()`,
    `${WWW}/htdocs/${target.endpoint}.php(${rng.int(20, 120)}): Market\\${className}->save()`,
  ];
}

/** Inserts whose new ids passed 2^31: strict tables refuse them, non-strict ones clamp to INT32_MAX. */
export const INT32_OVERFLOW: readonly Weighted<MessageMaker>[] = [
  {
    weight: 4,
    value: (c) => {
      const target = c.rng.pick(OVERFLOW_TABLES);
      return php(...uncaught('PDOException', `SQLSTATE[22003]: Numeric value out of range: 1264 Out of range value for column '${target.column}' at row 1`, `${WWW}/lib/Db/Statement.php`, 88, insertFrames(target, c.rng)));
    },
  },
  {
    weight: 3,
    value: (c) => {
      const target = c.rng.pick(OVERFLOW_TABLES);
      return php(...uncaught('PDOException', `SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry '${INT32_MAX}' for key '${target.table}.PRIMARY'`, `${WWW}/lib/Db/Statement.php`, 88, insertFrames(target, c.rng)));
    },
  },
  { weight: 2, value: (c) => php(`PHP Warning:  Market\\Favorites\\FavoriteWriter::add(): insert into favorites failed for listing_id=${INT32_MAX} user_id=${c.rng.int(10_000_000, 99_999_999)}, giving up in ${WWW}/lib/Favorites/FavoriteWriter.php on line 52`) },
];

/** One memcached box whose network is saturated by a single hot key. */
export const HOT_KEY_SERVER = '10.0.3.7';
export const MEMCACHE_HOT_KEY: readonly Weighted<MessageMaker>[] = [
  { weight: 6, value: () => php(memcacheTimeout('get', HOT_KEY_SERVER, 118)) },
  { weight: 3, value: () => php(memcacheTimeout('getMulti', HOT_KEY_SERVER, 141)) },
  { weight: 2, value: fixed(`PHP Warning:  Memcached::set(): Server ${HOT_KEY_SERVER}:11211 (tcp 11211, udp 0) failed with: SERVER HAS FAILED AND IS DISABLED UNTIL TIMED RETRY in ${WWW}/lib/Cache/Memcache.php on line 163`) },
  { weight: 1, value: (c) => php(`PHP Notice:  Cache rebuild stampede on key 'gift_guide:homepage:v3' (${c.rng.int(20, 400)} concurrent rebuilds) in ${WWW}/lib/Cache/Rebuild.php on line 72`) },
];
export const MEMCACHE_NGINX: readonly Weighted<MessageMaker>[] = [
  { weight: 1, value: (c) => nginx(`[error] ${c.rng.int(2000, 2400)}#0: *${c.rng.int(1000, 999999)} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${clientIp(c.rng)}, server: www.example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock", host: "www.example.com"`) },
];

/** The seller's quantity form after a refactor renamed the posted field. */
export const QUANTITY_FORM: readonly Weighted<MessageMaker>[] = [
  { weight: 2, value: fixed(`PHP Warning:  Undefined array key "variation_quantities" in ${WWW}/lib/Seller/ListingEditor/QuantityForm.php on line 87`) },
  { weight: 2, value: fixed(`PHP Warning:  foreach() argument must be of type array|object, null given in ${WWW}/lib/Seller/ListingEditor/QuantityForm.php on line 91`) },
];

/** A cart-totals refactor: four new warnings on every page with a cart. */
export const CART_WARNINGS_FIXED_SECOND: readonly Weighted<MessageMaker>[] = [
  { weight: 3, value: fixed(`PHP Warning:  Undefined array key "currency_code" in ${WWW}/lib/Cart/Totals.php on line 219`) },
  { weight: 2, value: fixed(`PHP Warning:  Trying to access array offset on value of type null in ${WWW}/lib/Cart/Totals.php on line 224`) },
  { weight: 2, value: fixed(`PHP Warning:  Undefined variable $exchange_rate in ${WWW}/lib/Currency/Converter.php on line 61`) },
];
export const CART_WARNINGS_FIXED_THIRD: readonly Weighted<MessageMaker>[] = [
  { weight: 1, value: fixed(`PHP Warning:  Undefined property: Market\\Cart\\Cart::$gift_card_balance in ${WWW}/lib/Cart/GiftCards.php on line 37`) },
];

/** Search calls a method that the deployed QueryBuilder does not have. */
export const SEARCH_FATAL: readonly Weighted<MessageMaker>[] = [
  {
    weight: 1,
    value: () =>
      php(...uncaught('Error', 'Call to undefined method Market\\Search\\QueryBuilder::withTaxonomyBoost()', `${WWW}/lib/Search/ListingSearch.php`, 214, [
        `${WWW}/lib/Search/SearchController.php(88): Market\\Search\\ListingSearch->run(Object(Market\\Search\\Query))`,
        `${WWW}/lib/Http/Router.php(131): Market\\Search\\SearchController->index(Object(Market\\Http\\Request))`,
        `${WWW}/htdocs/index.php(27): Market\\Http\\Router->dispatch(Object(Market\\Http\\Request))`,
      ])),
  },
];
