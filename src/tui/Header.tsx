/**
 * One line: what is being watched, how busy it is, and the last deploy with its age and the
 * window it is in, all on the pipeline's event clock.
 */
import { Text } from 'ink';
import type { PipelineSnapshot } from '../pipeline/handle.js';
import { displayText } from './display-text.js';
import { formatCount, formatDeploy, formatDuration, formatRate, lastDeploy } from './format.js';

export interface HeaderProps {
  snapshot: PipelineSnapshot;
  title: string | undefined;
  /** Length of a deploy's window (DESIGN default 10 min), to say how far into it we are. */
  deployWindowMs: number;
  paused: boolean;
}

export function Header({ snapshot, title, deployWindowMs, paused }: HeaderProps) {
  const { stats } = snapshot;
  // Most telling first: a narrow terminal cuts from the end.
  const parts = [
    deployText(snapshot, deployWindowMs),
    `${formatCount(stats.hosts)} ${stats.hosts === 1 ? 'host' : 'hosts'}`,
    `${formatRate(stats.linesPerSecond)} lines/s`,
    snapshot.mode === 'replay' && snapshot.finished ? 'replay finished' : snapshot.mode,
  ];
  return (
    <Text wrap="truncate-end">
      {paused ? <Text inverse bold> PAUSED </Text> : null}
      {paused ? ' ' : ''}
      <Text bold>logwatch</Text>
      {title === undefined || title === '' ? '' : ` ${displayText(title)}`}
      {` · ${parts.join(' · ')}`}
    </Text>
  );
}

function deployText(snapshot: PipelineSnapshot, deployWindowMs: number): string {
  const deploy = lastDeploy(snapshot.deploys);
  if (deploy === undefined) return 'no deploy yet · rolling baseline';
  const age = snapshot.at - deploy.at;
  const window = age < deployWindowMs ? `in window, ${formatDuration(deployWindowMs - age)} left` : 'window over';
  return `deploy ${formatDeploy(deploy)} ${formatDuration(age)} ago (${window})`;
}
