/**
 * The six incident scenarios behind fixtures/. Each runs on twelve web hosts, starts at least 35
 * minutes before its first deploy or incident (so a 30-minute baseline exists) and runs on for
 * at least 10 minutes after the last event of interest.
 */
import type { CronSpec, ScenarioSpec } from './dsl.js';
import { climbingIds, MINUTE, on } from './dsl.js';
import {
  CART_WARNINGS_FIXED_SECOND,
  CART_WARNINGS_FIXED_THIRD,
  CRON_PHP,
  INT32_OVERFLOW,
  MEMCACHE_HOT_KEY,
  MEMCACHE_NGINX,
  QUANTITY_FORM,
  SEARCH_FATAL,
} from './messages.js';

const iso = (ms: number): string => new Date(ms).toISOString();
/** How long after an incident's first line an action verdict may come and still count. */
const DETECT_WITHIN = 3 * MINUTE;
const WEB_TIER = { hostCount: 12, app: 'website' } as const;
const ORDINARY_DAY = { phpPerHostPerMinute: 3, nginxPerHostPerMinute: 0.15 };

const shippingCron = (): CronSpec => ({
  label: 'cron/shipping-estimates', host: 'web-01', everyMinutes: 15, offsetSeconds: 20,
  linesPerRun: 30, spreadSeconds: 40, makers: CRON_PHP,
});

const int32Overflow: ScenarioSpec = {
  name: 'int32-overflow',
  description: 'The ID server passes 2^31; inserts into several tables fail on every host; no deploy is near.',
  whatHappened: [
    'The ticket server that hands out row ids passes 2147483647 (INT32_MAX) at 14:08:20. Columns that are still',
    'signed INT refuse the new ids (`SQLSTATE[22003] … Out of range value`), and tables in non-strict mode clamp',
    "them to 2147483647 so the next insert collides (`Duplicate entry '2147483647'`). Listings, images,",
    'favorites, carts and checkout transactions fail on all twelve hosts until the columns are widened at',
    '14:20:20. The last deploy was at 13:36:00, 32 minutes earlier. Before the crossing, the ids in ordinary',
    'notices (`Listing 2147480123 has no shipping profile`) climb towards 2147483647 and then past it.',
  ].join('\n'),
  reviewerSees: [
    'A `stop` verdict within seconds of 14:08:20, attributed to no deploy, with 2147483647 (INT32_MAX) shown',
    'as a telling value and the overflow signatures grouped as one incident. Reverting would not help: the',
    'verdict must not blame the 13:36 deploy. The verdict resolves after 14:20:20 without a deploy.',
  ].join('\n'),
  seed: 2147483647,
  start: on('13:00:00'),
  end: on('14:32:00'),
  ...WEB_TIER,
  noise: ORDINARY_DAY,
  recentId: climbingIds(on('14:08:20'), 350),
  deploys: [{ at: on('13:36:00'), by: 'dana' }],
  incidents: [
    { label: 'overflow', hosts: 'all', from: on('14:08:20'), to: on('14:20:20'), perHostPerMinute: 5, rampSeconds: 20, makers: INT32_OVERFLOW },
  ],
  expect: (f) => [
    {
      verdict: 'stop', attribution: 'none', telling: '2147483647',
      between: [iso(f.firstLine('overflow')), iso(f.firstLine('overflow') + DETECT_WITHIN)],
      incidentStart: iso(f.firstLine('overflow')),
      why: 'ids passed 2^31: a data problem no revert can fix, on every host',
    },
    { resolved: true, why: 'the columns were widened at 14:20:20; the errors stop without a deploy' },
  ],
};

const memcacheHotKey: ScenarioSpec = {
  name: 'memcache-hot-key',
  description: "Holiday traffic; one hot key saturates one memcache server's network; timeouts on every host; no deploy.",
  whatHappened: [
    'Thanksgiving week, code freeze: no deploys all morning, traffic (and so ordinary noise) 1.5 times a',
    "normal day. At 09:40 the gift-guide homepage key `gift_guide:homepage:v3` turns hot and saturates the",
    'network of memcached 10.0.3.7. Every host times out on `Memcached::get()`/`getMulti()` against that',
    'server, marks it failed (`SERVER HAS FAILED AND IS DISABLED UNTIL TIMED RETRY`), rebuilds the key in a',
    'stampede, and nginx sees slow upstreams. The key is split across servers at 09:53 and the timeouts stop.',
    'A few memcache timeouts against random servers are part of the ordinary noise, as is the shipping-estimates',
    'cron burst on web-01 every 15 minutes.',
  ].join('\n'),
  reviewerSees: [
    'A `stop` verdict within seconds of the onset (the timeouts ramp up over about 90 s), attributed to no',
    'deploy, naming 10.0.3.7:11211 as the value common to every line. It resolves after 09:53 with no deploy.',
  ].join('\n'),
  seed: 1121,
  start: on('09:00:00'),
  end: on('10:05:00'),
  ...WEB_TIER,
  noise: { phpPerHostPerMinute: 4.5, nginxPerHostPerMinute: 0.25 },
  cron: shippingCron(),
  deploys: [],
  incidents: [
    { label: 'hot-key', hosts: 'all', from: on('09:40:00'), to: on('09:53:00'), perHostPerMinute: 10, rampSeconds: 90, makers: MEMCACHE_HOT_KEY },
    { label: 'hot-key/nginx', hosts: 'all', from: on('09:40:00'), to: on('09:53:00'), perHostPerMinute: 1.5, rampSeconds: 90, makers: MEMCACHE_NGINX },
  ],
  expect: (f) => [
    {
      verdict: 'stop', attribution: 'none',
      between: [iso(f.firstLine('hot-key')), iso(f.firstLine('hot-key') + DETECT_WITHIN)],
      incidentStart: iso(f.firstLine('hot-key')),
      why: 'timeouts on every host and no deploy to blame: hold the line',
    },
    { resolved: true, why: 'the hot key was split at 09:53' },
  ],
};

const sellerQuantityPage: ScenarioSpec = {
  name: 'seller-quantity-page',
  description: "A deploy breaks editing an item's quantity on a few hosts; the next deploy, 6 minutes later, fixes it.",
  whatHappened: [
    "Deploy #1 at 10:36:00 renames the field the seller's quantity form posts. The seller tools are served by",
    'web-10, web-11 and web-12; on those hosts each save of a quantity now logs `Undefined array key',
    '"variation_quantities"` and a `foreach()` warning, a few times a minute. Nothing is fatal and buyers are',
    'not affected. The author pushes a fix as deploy #2 at 10:42:00; the warnings stop once it has rolled out.',
  ].join('\n'),
  reviewerSees: [
    '`roll-forward` attributed to deploy #1 (a new, confined, non-fatal error) before deploy #2, with the',
    'countdown running; never `revert` (the fix lands well inside the countdown); then resolved by deploy #2.',
  ].join('\n'),
  seed: 4242,
  start: on('10:00:00'),
  end: on('10:55:00'),
  ...WEB_TIER,
  noise: ORDINARY_DAY,
  deploys: [{ at: on('10:36:00'), by: 'priya' }, { at: on('10:42:00'), by: 'priya' }],
  incidents: [
    { label: 'quantity-form', hosts: ['web-10', 'web-11', 'web-12'], from: on('10:36:00'), to: on('10:42:20'), perHostPerMinute: 1.5, staggerSeconds: 40, makers: QUANTITY_FORM },
  ],
  expect: (f) => [
    {
      verdict: 'roll-forward', attribution: 'deploy', deploy: 1,
      between: [iso(f.firstLine('quantity-form')), iso(f.deployAt(2))],
      incidentStart: iso(f.firstLine('quantity-form')),
      why: 'a new warning from deploy #1, on 3 of 12 hosts, a few a minute, not fatal',
    },
    { maxLevel: 'roll-forward', why: 'the fix lands 6 minutes in, inside the countdown' },
    { resolved: true, resolvedBy: 2, why: 'deploy #2 fixed the form' },
  ],
};

const phpWarningsThreeDeploys: ScenarioSpec = {
  name: 'php-warnings-three-deploys',
  description: 'A deploy sets off warnings on all hosts; a second deploy ~10 minutes later fixes most; a third squashes the rest.',
  whatHappened: [
    'Deploy #1 at 15:36:00 refactors cart totals. Every page with a cart now logs four new warnings on all',
    'twelve hosts (`Undefined array key "currency_code"`, an array offset on null, `Undefined variable',
    '$exchange_rate`, `Undefined property: Market\\Cart\\Cart::$gift_card_balance`), about ten a minute per host.',
    'Deploy #2 at 15:46:00 fixes the first three; the gift-card warning goes on until deploy #3 at 15:53:00.',
    'The shipping-estimates cron writes its usual burst on web-01 every 15 minutes throughout.',
  ].join('\n'),
  reviewerSees: [
    'An action verdict (`roll-forward` or `revert`) attributed to deploy #1 shortly after 15:36, the remaining',
    'gift-card warning still visible after deploy #2, and resolution by deploy #3.',
  ].join('\n'),
  seed: 3,
  start: on('15:00:00'),
  end: on('16:05:00'),
  ...WEB_TIER,
  noise: ORDINARY_DAY,
  cron: shippingCron(),
  deploys: [{ at: on('15:36:00'), by: 'lee' }, { at: on('15:46:00'), by: 'lee' }, { at: on('15:53:00'), by: 'sam' }],
  incidents: [
    { label: 'cart-warnings', hosts: 'all', from: on('15:36:00'), to: on('15:46:20'), perHostPerMinute: 7, staggerSeconds: 40, makers: CART_WARNINGS_FIXED_SECOND },
    { label: 'gift-card-warning', hosts: 'all', from: on('15:36:00'), to: on('15:53:20'), perHostPerMinute: 2.5, staggerSeconds: 40, makers: CART_WARNINGS_FIXED_THIRD },
  ],
  expect: (f) => {
    const start = Math.min(f.firstLine('cart-warnings'), f.firstLine('gift-card-warning'));
    return [
      {
        verdict: ['roll-forward', 'revert'], attribution: 'deploy', deploy: 1,
        between: [iso(start), iso(start + DETECT_WITHIN)], incidentStart: iso(start),
        why: 'new warnings on every host right after deploy #1',
      },
      { resolved: true, resolvedBy: 3, why: 'deploy #3 removed the last of them' },
    ];
  },
};

/** Minutes between the sixteen deploys: a busy afternoon of small pushes. */
const CLEAN_DEPLOY_GAPS = [5, 4, 6, 7, 5, 4, 6, 5, 7, 4, 5, 6, 4, 7, 5];
const DEPLOYERS = ['ana', 'ben', 'chris', 'dee', 'eli'];

function cleanDeploys(first: number): ScenarioSpec['deploys'] {
  const times = CLEAN_DEPLOY_GAPS.reduce((acc, gap) => [...acc, (acc[acc.length - 1] as number) + gap * MINUTE], [first]);
  const blips: Record<number, number> = { 4: 1, 9: 2, 13: 1 };
  return times.map((at, i) => ({ at, by: DEPLOYERS[i % DEPLOYERS.length] as string, rolloutBlips: blips[i + 1] ?? 0 }));
}

const sixteenCleanDeploys: ScenarioSpec = {
  name: 'sixteen-clean-deploys',
  description: 'Sixteen deploys over ordinary noise, including a periodic cron burst that the baseline knows.',
  whatHappened: [
    'An ordinary afternoon: sixteen small deploys 4 to 7 minutes apart from 11:36 to 12:56, none of which',
    'breaks anything. The shipping-estimates cron writes a burst of 30 warnings on web-01 every 15 minutes, in',
    'the baseline as much as after any deploy. During three rollouts (#4, #9, #13) one request on one host sees',
    'a half-synced release and logs a single `require_once(…Bootstrap.php)` warning (two for #9).',
  ].join('\n'),
  reviewerSees: [
    'Nothing above `watch` all afternoon: the cron bursts match their history, and a one- or two-line',
    'rollout blip may at most be worth a glance.',
  ].join('\n'),
  seed: 16,
  start: on('11:00:00'),
  end: on('13:08:00'),
  ...WEB_TIER,
  noise: ORDINARY_DAY,
  cron: shippingCron(),
  deploys: cleanDeploys(on('11:36:00')),
  incidents: [],
  expect: () => [{ maxLevel: 'watch', why: 'clean deploys and known noise never call for action' }],
};

const fatalDeploy: ScenarioSpec = {
  name: 'fatal-deploy',
  description: 'A deploy brings a fatal error with a stack trace on every host; it is reverted 5 minutes later.',
  whatHappened: [
    'Deploy #1 at 16:36:00 ships a search page that calls `QueryBuilder::withTaxonomyBoost()`, a method the',
    'deployed QueryBuilder does not have. As the release rolls across the hosts over about 40 s, every search',
    'request dies with `PHP Fatal error:  Uncaught Error: Call to undefined method …` and a stack trace, on all',
    'twelve hosts. The author reverts: deploy #2 at 16:41:30, and the fatals stop once it has rolled out.',
  ].join('\n'),
  reviewerSees: [
    '`revert` attributed to deploy #1 within seconds of the first fatal, with the stack trace in the samples;',
    'not `stop` (the rest of the site works, and the cause is known); resolved by deploy #2, the revert.',
  ].join('\n'),
  seed: 500,
  start: on('16:00:00'),
  end: on('16:55:00'),
  ...WEB_TIER,
  noise: ORDINARY_DAY,
  deploys: [{ at: on('16:36:00'), by: 'kim' }, { at: on('16:41:30'), by: 'kim' }],
  incidents: [
    { label: 'search-fatal', hosts: 'all', from: on('16:36:00'), to: on('16:41:50'), perHostPerMinute: 3, staggerSeconds: 40, makers: SEARCH_FATAL },
  ],
  expect: (f) => [
    {
      verdict: 'revert', attribution: 'deploy', deploy: 1,
      between: [iso(f.firstLine('search-fatal')), iso(f.firstLine('search-fatal') + DETECT_WITHIN)],
      incidentStart: iso(f.firstLine('search-fatal')),
      why: 'a new fatal error on every host right after deploy #1',
    },
    { maxLevel: 'revert', why: 'the cause is a deploy, so revert it; the rest of the site works' },
    { resolved: true, resolvedBy: 2, why: 'deploy #2 is the revert' },
  ],
};

export const SCENARIOS: ReadonlyMap<string, ScenarioSpec> = new Map(
  [int32Overflow, memcacheHotKey, sellerQuantityPage, phpWarningsThreeDeploys, sixteenCleanDeploys, fatalDeploy].map((s) => [s.name, s]),
);
