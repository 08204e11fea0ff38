/**
 * The signatures, most alarming first: NEW badge, count in the window, baseline, ratio, hosts,
 * trend, first seen and the template with its telling values painted. Never more lines than
 * `height`; scrolls to keep the selected row visible; columns give way as the width shrinks.
 */
import { Box, Text } from 'ink';
import type { SignatureView } from '../detect/model.js';
import { formatAgeShort, formatBaseline, formatCount, formatRatio } from './format.js';
import { HighlightedText } from './HighlightedText.js';
import { tableLayout, visibleWindow, type Column } from './layout.js';
import { Sparkline } from './Sparkline.js';
import { LOG_LEVEL_LABEL, logLevelStyle, newBadgeStyle, tellingStyle, useTheme } from './theme.js';
import { displayText } from './display-text.js';

export interface SignatureTableProps {
  /** Already ranked and filtered. */
  signatures: readonly SignatureView[];
  selectedId: string | null;
  width: number;
  /** Lines available, title row included. */
  height: number;
  /** Event time "first seen" is measured from. */
  at: number;
  /** Said instead of rows when there are none. */
  emptyText: string;
}

export function SignatureTable({ signatures, selectedId, width, height, at, emptyText }: SignatureTableProps) {
  if (height <= 0) return null;
  const layout = tableLayout(width);
  if (signatures.length === 0) {
    return <Text wrap="truncate-end" dimColor>{emptyText}</Text>;
  }
  const found = selectedId === null ? 0 : signatures.findIndex((signature) => signature.id === selectedId);
  const selected = Math.max(0, found);
  const capacity = rowCapacity(signatures.length, height - 1);
  const { start, end } = visibleWindow(signatures.length, selected, capacity);
  const hidden = signatures.length - (end - start);
  return (
    <Box flexDirection="column">
      <TitleRow columns={layout.columns} />
      {signatures.slice(start, end).map((signature, offset) => (
        <SignatureRow key={signature.id} signature={signature} columns={layout.columns} selected={start + offset === selected} at={at} />
      ))}
      {hidden > 0 ? <Text dimColor wrap="truncate-end">{`  … ${hidden} more (↑/↓ to scroll)`}</Text> : null}
    </Box>
  );
}

/** Rows that fit under the title, keeping one line for "… N more" when not all fit. */
function rowCapacity(total: number, lines: number): number {
  if (total <= lines) return total;
  return Math.max(0, lines - 1);
}

function TitleRow({ columns }: { columns: readonly Column[] }) {
  return (
    <Box>
      {columns.map((column) => (
        <Box key={column.id} width={column.width} flexShrink={0}>
          <Text bold wrap="truncate-end">{numeric(column.id) ? column.title.padStart(column.width - 1) : column.title}</Text>
        </Box>
      ))}
    </Box>
  );
}

const NUMERIC: ReadonlySet<Column['id']> = new Set(['count', 'baseline', 'ratio', 'hosts', 'first']);

function numeric(id: Column['id']): boolean {
  return NUMERIC.has(id);
}

interface RowProps {
  signature: SignatureView;
  columns: readonly Column[];
  selected: boolean;
  at: number;
}

function SignatureRow({ signature, columns, selected, at }: RowProps) {
  return (
    <Box>
      {columns.map((column) => (
        <Box key={column.id} width={column.width} flexShrink={0}>
          <Text wrap="truncate-end" inverse={selected && column.id === 'template'}>
            <Cell column={column} signature={signature} selected={selected} at={at} />
          </Text>
        </Box>
      ))}
    </Box>
  );
}

function Cell({ column, signature, selected, at }: { column: Column; signature: SignatureView; selected: boolean; at: number }) {
  const theme = useTheme();
  const right = (text: string) => <Text>{text.padStart(column.width - 1)}</Text>;
  switch (column.id) {
    case 'marker': return <Text bold>{selected ? '›' : ' '}</Text>;
    case 'level': return <Text {...logLevelStyle(signature.level, theme)}>{LOG_LEVEL_LABEL[signature.level]}</Text>;
    case 'new': return signature.new ? <Text {...newBadgeStyle(theme)}>NEW</Text> : <Text> </Text>;
    case 'count': return right(formatCount(signature.windowCount));
    case 'baseline': return right(formatBaseline(signature.baseline));
    case 'ratio': return right(formatRatio(signature.ratio));
    case 'hosts': return right(`${formatCount(signature.hosts)}/${formatCount(signature.hostsTotal)}`);
    case 'spark': return <Sparkline values={signature.sparkline} width={column.width - 1} color="cyan" />;
    case 'first': return right(formatAgeShort(at - signature.firstSeen));
    case 'template': return <TemplateCell signature={signature} width={column.width} />;
  }
}

/**
 * The template, with its telling values repeated in front when the template is too long for the
 * cell: the number an engineer recognises must be on screen, not cut off at the right edge.
 */
function TemplateCell({ signature, width }: { signature: SignatureView; width: number }) {
  const theme = useTheme();
  const cut = displayText(signature.template).length > width - 1;
  const values = [...new Set(signature.telling.map((telling) => telling.value))];
  return (
    <Text>
      {cut && values.length > 0 ? <Text {...tellingStyle(theme)}>{values.join(' ')}</Text> : null}
      {cut && values.length > 0 ? ' │ ' : ''}
      <HighlightedText text={signature.template} telling={signature.telling} />
    </Text>
  );
}

