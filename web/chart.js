// The error-rate chart: total errors per minute and the top signatures over the last hour, with
// every deploy drawn on the canvas as a vertical line labelled #id. Uses the global uPlot that
// vendor/uPlot.iife.min.js defines (served from node_modules: no CDN, no build step).

const HOUR_S = 3600;
const TOP_SIGNATURES = 5;
const COLORS = ['#f4a261', '#2a9d8f', '#e9c46a', '#8ab4f8', '#c792ea'];

/** Draws deploy markers after uPlot draws the series, and reports how many it drew. */
function deployLinesPlugin(getDeploys, container) {
  return {
    hooks: {
      draw: [(u) => {
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        let drawn = 0;
        ctx.save();
        ctx.strokeStyle = '#79c0ff';
        ctx.fillStyle = '#79c0ff';
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.font = `${12 * devicePixelRatio}px sans-serif`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        for (const deploy of getDeploys()) {
          const x = Math.round(u.valToPos(deploy.at / 1000, 'x', true));
          if (!(x >= left && x <= left + width)) continue;
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          ctx.fillText(`#${deploy.id}`, x + 4 * devicePixelRatio, top + 2 * devicePixelRatio);
          drawn += 1;
        }
        ctx.restore();
        container.dataset.deployLines = String(drawn);
      }],
    },
  };
}

/** Bucket counts, oldest first, ending at `end`, as errors per minute at each bucket's start. */
function seriesData(snapshot, top) {
  const { bucketMs, end, counts } = snapshot.rate;
  const perMinute = 60_000 / bucketMs;
  const xs = counts.map((_, i) => (end - (counts.length - i) * bucketMs) / 1000);
  const total = counts.map((count) => count * perMinute);
  // A sparkline covers the most recent buckets, so it lines up with the end of the rate ring.
  const lines = top.map((view) => {
    const offset = counts.length - view.sparkline.length;
    return counts.map((_, i) => (i >= offset ? view.sparkline[i - offset] * perMinute : null));
  });
  return [xs, total, ...lines];
}

function topSignatures(snapshot) {
  return [...snapshot.signatures].sort((a, b) => b.score - a.score).slice(0, TOP_SIGNATURES);
}

function options(container, top, deploys, windowEnd) {
  const axis = { stroke: '#c9d1d9', grid: { stroke: '#30363d' }, ticks: { stroke: '#30363d' } };
  return {
    width: Math.max(container.clientWidth, 320),
    height: 260,
    scales: { x: { time: true, range: () => [windowEnd() - HOUR_S, windowEnd()] } },
    axes: [axis, { ...axis, label: 'errors / min' }],
    series: [
      {},
      { label: 'all errors', stroke: '#ff7b72', width: 2, fill: 'rgba(255,123,114,0.12)' },
      ...top.map((view, i) => ({ label: `${view.id}`, stroke: COLORS[i % COLORS.length], width: 1 })),
    ],
    plugins: [deployLinesPlugin(deploys, container)],
  };
}

export function createRateChart(container) {
  let plot = null;
  let seriesKey = '';
  let deploys = [];
  let endS = 0;

  function render(snapshot) {
    deploys = snapshot.deploys;
    endS = snapshot.rate.end / 1000;
    const top = topSignatures(snapshot);
    const key = top.map((view) => view.id).join(',');
    const data = seriesData(snapshot, top);
    // The series set changes only when the top signatures do; otherwise new data is enough
    // (setData re-ranges the scales, and the x range follows endS).
    if (plot === null || key !== seriesKey) {
      plot?.destroy();
      plot = new uPlot(options(container, top, () => deploys, () => endS), data, container);
      seriesKey = key;
    } else {
      plot.setData(data);
    }
  }

  window.addEventListener('resize', () => plot?.setSize({ width: Math.max(container.clientWidth, 320), height: 260 }));

  return {
    render,
    /** New deploys (from events) drawn without waiting for the next snapshot. */
    setDeploys(next) {
      deploys = next;
      plot?.redraw(false);
    },
  };
}
