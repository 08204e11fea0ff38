/**
 * Text from logs, made safe and painted: escaped by displayText() so it can never move the
 * cursor, change colours or ring the bell, then telling values highlighted. Renders inline, so it
 * can sit inside a truncating <Text>.
 */
import { Text } from 'ink';
import type { Telling } from '../detect/model.js';
import { displayText } from './display-text.js';
import { splitTelling } from './highlight.js';
import { tellingStyle, useTheme } from './theme.js';

export interface HighlightedTextProps {
  /** Raw text as it came from the logs. */
  text: string;
  telling: readonly Telling[];
}

export function HighlightedText({ text, telling }: HighlightedTextProps) {
  const theme = useTheme();
  const segments = splitTelling(displayText(text), telling.map((value) => value.value));
  return (
    <Text>
      {segments.map((segment, index) =>
        segment.telling
          ? <Text key={index} {...tellingStyle(theme)}>{segment.text}</Text>
          : <Text key={index}>{segment.text}</Text>,
      )}
    </Text>
  );
}
