/** A sparkline of bucket counts, drawn in the level's colour when colour is allowed. */
import { Text } from 'ink';
import { sparkline } from './sparkline.js';
import { useTheme } from './theme.js';

export interface SparklineProps {
  values: readonly number[];
  width: number;
  color?: string;
}

export function Sparkline({ values, width, color }: SparklineProps) {
  const theme = useTheme();
  const text = sparkline(values, width);
  return theme.noColor || color === undefined ? <Text>{text}</Text> : <Text color={color}>{text}</Text>;
}
