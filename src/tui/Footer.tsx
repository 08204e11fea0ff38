/**
 * Status and keys: PAUSED, the filter, the last notice (deploy marked), and what was lost on the
 * way in (dropped and cut lines, evicted signatures), which is never hidden, even at zero; lines
 * stamped ahead of this machine's clock and counted when they arrived, once there are any.
 */
import { Text } from 'ink';
import type { PipelineSnapshot } from '../pipeline/handle.js';
import { displayText } from './display-text.js';
import { formatCount } from './format.js';
import { lossStyle, useTheme } from './theme.js';
import type { UiState } from './ui-state.js';

export interface FooterProps {
  snapshot: PipelineSnapshot;
  ui: UiState;
  /** False when stdin is not a terminal: no keys can be read. */
  keysEnabled: boolean;
  lines: 0 | 1 | 2;
}

export function Footer({ snapshot, ui, keysEnabled, lines }: FooterProps) {
  if (lines === 0) return null;
  if (lines === 1) {
    return <Text wrap="truncate-end"><Status snapshot={snapshot} ui={ui} />{'  '}<Keys ui={ui} keysEnabled={keysEnabled} /></Text>;
  }
  return (
    <>
      <Text wrap="truncate-end"><Status snapshot={snapshot} ui={ui} /></Text>
      <Text wrap="truncate-end"><Keys ui={ui} keysEnabled={keysEnabled} /></Text>
    </>
  );
}

function Status({ snapshot, ui }: { snapshot: PipelineSnapshot; ui: UiState }) {
  const theme = useTheme();
  const { stats } = snapshot;
  const losses: Array<[string, number]> = [
    ['dropped', stats.dropped],
    ['cut', stats.truncated],
    ['evicted', Math.max(snapshot.evicted, stats.evicted)],
  ];
  return (
    <Text>
      {ui.paused ? <Text inverse bold> PAUSED </Text> : null}
      {ui.paused ? ' ' : ''}
      {losses.map(([name, count], index) => (
        <Text key={name}>
          {index === 0 ? '' : ' · '}
          <Text {...lossStyle(count, theme)}>{`${name} ${formatCount(count)}`}</Text>
        </Text>
      ))}
      {stats.ahead === 0 ? '' : ` · ${formatCount(stats.ahead)} ahead of clock, counted on arrival`}
      {ui.filter === '' ? '' : ` · filter "${displayText(ui.filter)}"`}
      {ui.notice === null ? '' : ` · ${ui.notice}`}
    </Text>
  );
}

function Keys({ ui, keysEnabled }: { ui: UiState; keysEnabled: boolean }) {
  if (!keysEnabled) return <Text dimColor>keys off: stdin is not a terminal · Ctrl+C quits</Text>;
  if (ui.draft !== null) return <Text>{`filter: ${displayText(ui.draft)}▏ ⏎ apply · esc clear`}</Text>;
  const back = ui.view === 'detail' ? 'esc back' : '⏎ detail';
  return <Text dimColor>{`↑↓/jk select · ${back} · / filter · p ${ui.paused ? 'resume' : 'pause'} · d mark deploy · ? help · q quit`}</Text>;
}
