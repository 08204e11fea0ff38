import { describe, expect, it } from 'vitest';
import { packEntries, planScreen, tableLayout, visibleWindow } from '../../src/tui/layout.js';

const ids = (width: number) => tableLayout(width).columns.map((column) => column.id);
const total = (width: number) => tableLayout(width).columns.reduce((sum, column) => sum + column.width, 0);

describe('tableLayout', () => {
  it('shows every column at 80 columns', () => {
    expect(ids(80)).toEqual(['marker', 'level', 'new', 'count', 'baseline', 'ratio', 'hosts', 'spark', 'first', 'template']);
  });

  it('drops first seen, then baseline, as the width shrinks, never the template', () => {
    expect(ids(75)).not.toContain('first');
    expect(ids(66)).not.toContain('baseline');
    expect(ids(66)).toContain('template');
  });

  it('goes compact below 60 columns: level, count, template', () => {
    expect(tableLayout(59)).toMatchObject({ compact: true });
    expect(ids(59)).toEqual(['marker', 'level', 'count', 'template']);
  });

  it('fills exactly the width from 20 to 300 columns and widens the trend when roomy', () => {
    for (let width = 20; width <= 300; width++) expect(total(width)).toBe(width);
    const spark = (width: number) => tableLayout(width).columns.find((column) => column.id === 'spark')?.width ?? 0;
    expect(spark(200)).toBeGreaterThan(spark(80));
  });

  it('survives absurd widths', () => {
    expect(() => tableLayout(0)).not.toThrow();
    expect(() => tableLayout(3)).not.toThrow();
  });
});

describe('planScreen', () => {
  it('never plans more than rows - 1 lines', () => {
    for (let rows = 1; rows <= 80; rows++) {
      for (let banner = 1; banner <= 3; banner++) {
        const plan = planScreen(rows, banner);
        const used = (plan.header ? 1 : 0) + plan.bannerLines + (plan.bannerBox ? 2 : 0) + plan.footerLines + plan.bodyLines;
        expect(used, `rows=${rows} banner=${banner}`).toBeLessThanOrEqual(Math.max(1, rows - 1));
      }
    }
  });

  it('gives 80x24 a boxed banner and room for a table', () => {
    expect(planScreen(24, 3)).toEqual({ header: true, bannerBox: true, bannerLines: 3, footerLines: 2, bodyLines: 15 });
  });

  it('keeps the verdict line on a tiny terminal', () => {
    expect(planScreen(2, 3)).toMatchObject({ bannerLines: 1, bodyLines: 0 });
  });
});

describe('visibleWindow', () => {
  it('scrolls so the selected row is the last visible', () => {
    expect(visibleWindow(200, 0, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleWindow(200, 15, 10)).toEqual({ start: 6, end: 16 });
    expect(visibleWindow(200, 199, 10)).toEqual({ start: 190, end: 200 });
    expect(visibleWindow(5, 3, 10)).toEqual({ start: 0, end: 5 });
  });
});

describe('packEntries', () => {
  it('packs greedily and ends with +N more when out of lines', () => {
    const entries = ['web-01 50', 'web-02 40', 'web-03 30', 'web-04 20', 'web-05 10'];
    expect(packEntries(entries, 20, 2)).toEqual(['web-01 50  web-02 40', 'web-03 30 +2 more']);
    expect(packEntries(entries.slice(0, 2), 40, 2)).toEqual(['web-01 50  web-02 40']);
  });
});
