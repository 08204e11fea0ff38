/**
 * One signature in full: the numbers, the template, its telling values and what they mean, the
 * values common to every line, per-host counts, the timeline against the deploys, and samples
 * with their stack-trace lines, every line escaped. Cut from the bottom to fit `height`.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Deploy, SignatureView } from '../detect/model.js';
import { displayText } from './display-text.js';
import { formatBaseline, formatCount, formatDuration, formatRatio } from './format.js';
import { HighlightedText } from './HighlightedText.js';
import { packEntries } from './layout.js';
import { deployMarkers } from './sparkline.js';
import { Sparkline } from './Sparkline.js';
import { LOG_LEVEL_LABEL, logLevelStyle, newBadgeStyle, useTheme } from './theme.js';

export interface DetailViewProps {
  signature: SignatureView;
  deploys: readonly Deploy[];
  /** Event time now, and the bucket grid the sparkline is on (snapshot.rate). */
  at: number;
  rate: { bucketMs: number; end: number };
  width: number;
  height: number;
}

/** A piece of the view and how many lines it takes. */
interface Block {
  key: string;
  lines: number;
  node: ReactNode;
}

const MAX_TEMPLATE_LINES = 3;
const MAX_HOST_LINES = 2;
const TIMELINE_LABEL = 'timeline ';

export function DetailView(props: DetailViewProps) {
  const blocks = [
    summaryBlock(props),
    templateBlock(props.signature, props.width),
    ...tellingBlocks(props.signature),
    ...commonBlocks(props.signature),
    ...hostBlocks(props.signature, props.width),
    ...timelineBlocks(props),
    ...sampleBlocks(props.signature),
  ];
  return <Box flexDirection="column">{fit(blocks, props.height)}</Box>;
}

/** Whole blocks while they fit; the last one cut to what is left if it can be. */
function fit(blocks: readonly Block[], height: number): ReactNode[] {
  const shown: ReactNode[] = [];
  let left = height;
  for (const block of blocks) {
    if (left <= 0) break;
    const lines = Math.min(block.lines, left);
    shown.push(<Box key={block.key} height={lines} overflow="hidden" flexDirection="column">{block.node}</Box>);
    left -= lines;
  }
  return shown;
}

function line(key: string, node: ReactNode): Block {
  return { key, lines: 1, node: <Text wrap="truncate-end">{node}</Text> };
}

function summaryBlock({ signature, at }: DetailViewProps): Block {
  return line('summary', <Summary signature={signature} at={at} />);
}

function Summary({ signature, at }: { signature: SignatureView; at: number }) {
  const theme = useTheme();
  const facts = [
    `${formatCount(signature.windowCount)} in window`,
    `baseline ${formatBaseline(signature.baseline)}`,
    formatRatio(signature.ratio),
    `${formatCount(signature.hosts)}/${formatCount(signature.hostsTotal)} hosts`,
    `first seen ${formatDuration(at - signature.firstSeen)} ago`,
    `last ${formatDuration(at - signature.lastSeen)} ago`,
  ];
  return (
    <Text>
      {signature.new ? <Text {...newBadgeStyle(theme)}>NEW </Text> : null}
      <Text {...logLevelStyle(signature.level, theme)}>{LOG_LEVEL_LABEL[signature.level]}</Text>
      {` ${displayText(signature.id)} · ${facts.join(' · ')}`}
    </Text>
  );
}

function templateBlock(signature: SignatureView, width: number): Block {
  const needed = Math.ceil(displayText(signature.template).length / Math.max(1, width));
  return {
    key: 'template',
    lines: Math.min(MAX_TEMPLATE_LINES, Math.max(1, needed)),
    node: <Text wrap="wrap"><HighlightedText text={signature.template} telling={signature.telling} /></Text>,
  };
}

function tellingBlocks(signature: SignatureView): Block[] {
  return signature.telling.map((telling, index) =>
    line(`telling-${index}`, <HighlightedText text={`${telling.value} = ${telling.meaning}`} telling={[telling]} />),
  );
}

function commonBlocks(signature: SignatureView): Block[] {
  const pairs = Object.entries(signature.common).map(([key, value]) => `${key}=${value}`);
  if (pairs.length === 0) return [];
  return [line('common', <HighlightedText text={`every line: ${pairs.join(', ')}`} telling={signature.telling} />)];
}

function hostBlocks(signature: SignatureView, width: number): Block[] {
  const entries = Object.entries(signature.perHost)
    .sort(([hostA, a], [hostB, b]) => b - a || hostA.localeCompare(hostB))
    .map(([host, count]) => `${displayText(host)} ${formatCount(count)}`);
  if (entries.length === 0) return [];
  const title = `hosts ${formatCount(signature.hosts)}/${formatCount(signature.hostsTotal)}: `;
  const lines = packEntries(entries, Math.max(1, width - title.length), MAX_HOST_LINES);
  return lines.map((text, index) => line(`hosts-${index}`, `${index === 0 ? title : ' '.repeat(title.length)}${text}`));
}

function timelineBlocks({ signature, deploys, rate, width }: DetailViewProps): Block[] {
  const cells = Math.min(signature.sparkline.length, Math.max(0, width - TIMELINE_LABEL.length));
  if (cells === 0) return [];
  const markers = deployMarkers(deploys, cells, rate.end, rate.bucketMs);
  const span = formatDuration(cells * rate.bucketMs);
  return [
    line('timeline', <Text>{TIMELINE_LABEL}<Sparkline values={signature.sparkline} width={cells} color="cyan" /></Text>),
    line('deploys', `${' '.repeat(TIMELINE_LABEL.length)}${markers.trim() === '' ? `no deploy in the last ${span}` : markers}`),
  ];
}

function sampleBlocks(signature: SignatureView): Block[] {
  if (signature.samples.length === 0) return [];
  const blocks: Block[] = [line('samples', <Text bold>samples</Text>)];
  signature.samples.forEach((sample, sampleIndex) => {
    // Split before escaping: a record's continuation lines are its stack trace, shown as lines;
    // any other control character, `\r` included, is escaped inside its line.
    sample.split('\n').forEach((text, lineIndex) => {
      blocks.push(line(`sample-${sampleIndex}-${lineIndex}`, <Text>
        {lineIndex === 0 ? '• ' : '    '}
        <HighlightedText text={text} telling={signature.telling} />
      </Text>));
    });
  });
  return blocks;
}
