/**
 * How many times something happened in the last minute of event time, in per-second counts so
 * memory stays at about sixty entries however many events there are (a flood of new signatures
 * evicts thousands a second).
 */
const SECOND_MS = 1_000;
const WINDOW_MS = 60_000;

export class EventRate {
  /** Oldest first: [second start, count]. */
  private readonly seconds: Array<[number, number]> = [];
  private total = 0;

  /** Counts one event at event time `at`. */
  add(at: number): void {
    const second = Math.floor(at / SECOND_MS) * SECOND_MS;
    const last = this.seconds[this.seconds.length - 1];
    if (last !== undefined && last[0] === second) last[1]++;
    else if (last === undefined || second > last[0]) this.seconds.push([second, 1]);
    else this.addOutOfOrder(second);
    this.total++;
    this.forgetBefore(this.seconds[this.seconds.length - 1]![0] - WINDOW_MS);
  }

  /** Events in the minute ending at `at` (those after it, from a host clock ahead, count too). */
  lastMinute(at: number): number {
    this.forgetBefore(Math.floor(at / SECOND_MS) * SECOND_MS - WINDOW_MS);
    return this.total;
  }

  /** A late event (a host clock behind): counted in its own second, kept in order; forgotten once past the minute. */
  private addOutOfOrder(second: number): void {
    const i = this.seconds.findIndex(([start]) => start >= second);
    if (this.seconds[i]![0] === second) this.seconds[i]![1]++;
    else this.seconds.splice(i, 0, [second, 1]);
  }

  private forgetBefore(start: number): void {
    while (this.seconds.length > 0 && this.seconds[0]![0] < start) this.total -= this.seconds.shift()![1];
  }
}
