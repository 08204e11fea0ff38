/**
 * The verdict: its level in its colour, the reason, the deploy it blames (or "not a deploy"),
 * the roll-forward countdown, and the incident's headline with its telling values. STOP PUSHING
 * is inverse, bold and boxed in double lines so it cannot be missed, with or without colour.
 */
import { Box, Text } from 'ink';
import type { Deploy, Verdict } from '../detect/model.js';
import type { PipelineSnapshot } from '../pipeline/handle.js';
import { formatDeploy, formatDuration } from './format.js';
import { HighlightedText } from './HighlightedText.js';
import { useTheme, verdictBorderColor, verdictStyle, VERDICT_LABEL } from './theme.js';

/** The banner's optional lines, decided once so the screen plan can count them. */
export interface BannerContent {
  cause: string | null;
  incident: boolean;
}

export function bannerContent(snapshot: PipelineSnapshot): BannerContent {
  const { verdict } = snapshot;
  return {
    cause: causeText(verdict, snapshot.deploys, snapshot.at),
    incident: verdict.headline !== null || verdict.telling.length > 0,
  };
}

export function bannerLineCount(content: BannerContent): number {
  return 1 + (content.cause === null ? 0 : 1) + (content.incident ? 1 : 0);
}

function causeText(verdict: Verdict, deploys: readonly Deploy[], at: number): string | null {
  if (verdict.level === 'ok') {
    return verdict.resolvedBy === null ? null : `resolved by deploy ${deployName(verdict.resolvedBy, deploys)}`;
  }
  const blame = verdict.attribution === 'deploy' && verdict.deploy !== null
    ? `caused by deploy ${deployName(verdict.deploy, deploys)}${deployAge(verdict.deploy, deploys, at)}`
    : 'not a deploy: reverting will not help';
  const countdown = verdict.level === 'roll-forward' && verdict.countdownEndsAt !== null
    ? ` · revert in ${formatDuration(verdict.countdownEndsAt - at)} unless it stops`
    : '';
  return blame + countdown;
}

function deployName(id: number, deploys: readonly Deploy[]): string {
  const deploy = deploys.find((candidate) => candidate.id === id);
  return deploy === undefined ? `#${id}` : formatDeploy(deploy);
}

function deployAge(id: number, deploys: readonly Deploy[], at: number): string {
  const deploy = deploys.find((candidate) => candidate.id === id);
  return deploy === undefined ? '' : ` (${formatDuration(at - deploy.at)} ago)`;
}

export interface BannerProps {
  snapshot: PipelineSnapshot;
  /** Content lines allowed; the verdict line always stays. */
  lines: number;
  boxed: boolean;
}

export function Banner({ snapshot, lines, boxed }: BannerProps) {
  const theme = useTheme();
  const { verdict } = snapshot;
  const content = bannerContent(snapshot);
  const rows = [
    <VerdictLine key="verdict" verdict={verdict} />,
    content.cause === null ? null : <Text key="cause" wrap="truncate-end">{content.cause}</Text>,
    content.incident ? <IncidentLine key="incident" verdict={verdict} /> : null,
  ].filter((row) => row !== null).slice(0, Math.max(1, lines));
  if (!boxed) return <Box flexDirection="column">{rows}</Box>;
  const borderColor = verdictBorderColor(verdict.level, theme);
  return (
    <Box
      flexDirection="column"
      borderStyle={verdict.level === 'stop' ? 'double' : 'round'}
      {...(borderColor === undefined ? {} : { borderColor })}
      paddingX={1}
    >
      {rows}
    </Box>
  );
}

function VerdictLine({ verdict }: { verdict: Verdict }) {
  const theme = useTheme();
  const label = verdict.level === 'stop' ? `■ ${VERDICT_LABEL.stop} ■` : VERDICT_LABEL[verdict.level];
  return (
    <Text wrap="truncate-end">
      <Text {...verdictStyle(verdict.level, theme)}>{` ${label} `}</Text>
      {' '}
      <HighlightedText text={verdict.reason} telling={verdict.telling} />
    </Text>
  );
}

function IncidentLine({ verdict }: { verdict: Verdict }) {
  const values = verdict.telling.map((telling) => `${telling.value} = ${telling.meaning}`).join(' · ');
  const text = [verdict.headline, values].filter((part) => part !== null && part !== '').join(' · ');
  return (
    <Text wrap="truncate-end">
      <HighlightedText text={text} telling={verdict.telling} />
    </Text>
  );
}
