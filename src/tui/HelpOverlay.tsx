/** The keys and what the screen means, in place of the body until any key is pressed. */
import { Box, Text } from 'ink';

const HELP: ReadonlyArray<[string, string]> = [
  ['↑ ↓  j k', 'select a signature'],
  ['Enter', 'details: samples, hosts, timeline against deploys'],
  ['Esc', 'back to the table; clears the filter'],
  ['/', 'filter templates (type, Enter applies, Esc clears)'],
  ['p', 'pause or resume the display (the pipeline keeps reading)'],
  ['d', 'mark a deploy now, as you'],
  ['?', 'this help (any key closes it)'],
  ['q  Ctrl+C', 'quit'],
  ['', ''],
  ['levels', 'OK · WATCH · ROLL FORWARD (fix forward before the countdown) · REVERT · STOP PUSHING'],
  ['red bold', 'a telling value: a number at an integer boundary, e.g. 2147483647'],
  ['NEW', 'not seen before the window nor in the catalog'],
];

export function HelpOverlay({ height }: { height: number }) {
  const rows = [['keys', ''] as [string, string], ...HELP].slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column">
      {rows.map(([key, meaning], index) => (
        <Text key={index} wrap="truncate-end">
          <Text bold>{key.padEnd(11)}</Text>
          {meaning}
        </Text>
      ))}
    </Box>
  );
}
