/** Lines per second over the last few seconds of wall time, from a growing counter. */
const WINDOW_MS = 5_000;

export class RateMeter {
  /** (wall ms, counter) samples, oldest first; at most a few per second are kept. */
  private samples: Array<[number, number]> = [];

  perSecond(counter: number, now: number = Date.now()): number {
    const last = this.samples.at(-1);
    if (last === undefined || now - last[0] >= 200) this.samples.push([now, counter]);
    while (this.samples.length > 2 && now - this.samples[0]![0] > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (now - first[0]) / 1000;
    return seconds > 0 ? (counter - first[1]) / seconds : 0;
  }
}
