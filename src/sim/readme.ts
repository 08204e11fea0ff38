/** The README.md of a simulated fixture: the story, the timeline, and what a reviewer should see. */
import type { DeployMarker } from '../pipeline/deploy-marker.js';
import type { ScenarioSpec } from './dsl.js';
import type { Expectation } from './expectations.js';

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

function timeline(spec: ScenarioSpec, deploys: DeployMarker[]): string[] {
  const rows: Array<[number, string]> = [
    [spec.start, 'logs begin'],
    ...deploys.map((d, i): [number, string] => [d.at, `deploy #${i + 1}: ${d.app} ${d.version} by ${d.by}`]),
    ...spec.incidents.map((s): [number, string] => [s.from, `${s.label} begins (${s.hosts === 'all' ? `all ${spec.hostCount} hosts` : s.hosts.join(', ')})`]),
    ...spec.incidents.map((s): [number, string] => [s.to, `${s.label} ends`]),
    [spec.end, 'logs end'],
  ];
  return rows.sort((a, b) => a[0] - b[0]).map(([at, what]) => `| ${clock(at)} | ${what} |`);
}

export function renderReadme(spec: ScenarioSpec, seed: number, deploys: DeployMarker[], expect: Expectation[], lineCounts: Record<string, number>): string {
  const date = new Date(spec.start).toISOString().slice(0, 10);
  const counts = Object.entries(lineCounts).filter(([, n]) => n > 0).map(([label, n]) => `${label} ${n}`).join(', ');
  return [
    `# ${spec.name}`,
    '',
    spec.description,
    '',
    '## What happened',
    '',
    spec.whatHappened,
    '',
    `## Timeline (${date}, UTC)`,
    '',
    '| time | event |',
    '|---|---|',
    ...timeline(spec, deploys),
    '',
    `Hosts: web-01 … web-${String(spec.hostCount).padStart(2, '0')}, each with \`php_errors.log\` and \`nginx_error.log\`.`,
    `Entries written per stream: ${counts}.`,
    '',
    '## What a reviewer should see',
    '',
    spec.reviewerSees,
    '',
    'The expectations the replay tests check (`scenario.json`, vocabulary in `fixtures/README.md`):',
    '',
    '```json',
    ...expect.map((e) => JSON.stringify(e)),
    '```',
    '',
    '## Regenerate',
    '',
    'This fixture is simulated; the same seed gives the same bytes:',
    '',
    '```',
    `logwatch simulate ${spec.name} --out fixtures/${spec.name} --seed ${seed} --force`,
    '```',
    '',
  ].join('\n');
}
