/**
 * Preloaded into the CLI by bench/feed-fanout.mjs (`node --import`): stamps every event the feed
 * hub fans out with `sentAt`, the wall time in ms (sub-ms, from performance.timeOrigin) at which
 * the hub took it, before serializing it once and sending it to each client. Kept in the bench,
 * not the product, so the feed's messages stay exactly the NDJSON events (the feed tests compare
 * them whole).
 */
import { FeedHub } from '../dist/feed/hub.js';

const dispatch = FeedHub.prototype.dispatch;
FeedHub.prototype.dispatch = function dispatchStamped(event) {
  return dispatch.call(this, { ...event, sentAt: performance.timeOrigin + performance.now() });
};
