/**
 * The whole screen: header, verdict banner, then the table, a signature's detail or the help,
 * and the footer. Sizes come from the terminal on every render; keys are read only when stdin
 * is a terminal (raw mode), otherwise the footer says so.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput, useStdin, type Key } from 'ink';
import type { SignatureView } from '../detect/model.js';
import type { PipelineHandle, PipelineSnapshot } from '../pipeline/handle.js';
import { displayText } from './display-text.js';
import { Banner, bannerContent, bannerLineCount } from './Banner.js';
import { currentUser } from './current-user.js';
import { DetailView } from './DetailView.js';
import { Footer } from './Footer.js';
import { formatDeploy } from './format.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { planScreen } from './layout.js';
import { listSignatures } from './rank.js';
import { SignatureTable } from './SignatureTable.js';
import { ThemeContext } from './theme.js';
import { INITIAL_UI, keyToAction, uiReducer, type UiAction, type UiState } from './ui-state.js';
import { useSnapshot } from './use-snapshot.js';
import { useTerminalSize } from './use-terminal-size.js';

/** DESIGN's default deploy window: 10 minutes. */
export const DEFAULT_DEPLOY_WINDOW_MS = 10 * 60_000;

export interface AppProps {
  handle: PipelineHandle;
  noColor: boolean;
  /** Shown after "logwatch" in the header, e.g. the fixture or the paths. */
  title?: string;
  /** Length of a deploy window, for "in its window 2m/10m". */
  deployWindowMs?: number;
}

export function App({ handle, noColor, title, deployWindowMs = DEFAULT_DEPLOY_WINDOW_MS }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [ui, apply] = useUiState();
  const { snapshot, refresh } = useSnapshot(handle, ui.current.paused);
  const { columns, rows } = useTerminalSize();
  const listed = useMemo(() => listSignatures(snapshot.signatures, ui.current.filter), [snapshot.signatures, ui.current.filter]);

  const markDeploy = useCallback(() => {
    try {
      const deploy = handle.markDeploy({ by: currentUser() });
      apply({ type: 'notice', text: `marked deploy ${formatDeploy(deploy)}` });
      refresh();
    } catch (error) {
      apply({ type: 'notice', text: `could not mark a deploy: ${displayText(String(error instanceof Error ? error.message : error))}` });
    }
  }, [handle, apply, refresh]);

  useInput((input, key) => {
    const ids = listed.map((signature) => signature.id);
    for (const press of splitPresses(input, key, ui.current)) {
      const action = keyToAction(press, key, ui.current, ids);
      if (action === null) continue;
      if (action.type === 'quit') return exit();
      if (action.type === 'mark-deploy') markDeploy();
      else apply(action);
    }
  }, { isActive: isRawModeSupported === true });

  const state = ui.current;
  const content = bannerContent(snapshot);
  const plan = planScreen(rows, bannerLineCount(content));
  return (
    <ThemeContext.Provider value={{ noColor }}>
      <Box flexDirection="column">
        {plan.header ? <Header snapshot={snapshot} title={title} deployWindowMs={deployWindowMs} paused={state.paused} /> : null}
        <Banner snapshot={snapshot} lines={plan.bannerLines} boxed={plan.bannerBox} />
        <Box height={plan.bodyLines} overflow="hidden" flexDirection="column">
          <Body snapshot={snapshot} ui={state} listed={listed} columns={columns} height={plan.bodyLines} />
        </Box>
        <Footer snapshot={snapshot} ui={state} keysEnabled={isRawModeSupported === true} lines={plan.footerLines} />
      </Box>
    </ThemeContext.Provider>
  );
}

/**
 * UI state kept in a ref as well as in React state: several key presses can arrive in one
 * chunk, and each must see the state the previous one left, not the last render's.
 */
function useUiState(): [{ current: UiState }, (action: UiAction) => void] {
  const ref = useRef<UiState>(INITIAL_UI);
  const [, setState] = useState<UiState>(INITIAL_UI);
  const apply = useCallback((action: UiAction) => {
    ref.current = uiReducer(ref.current, action);
    setState(ref.current);
  }, []);
  return [ref, apply];
}

/** Pasted or fast-typed text arrives as one input; outside the filter each character is a key. */
function splitPresses(input: string, key: Key, state: UiState): string[] {
  if (state.draft !== null || input.length <= 1 || key.ctrl || key.meta) return [input];
  return [...input];
}

interface BodyProps {
  snapshot: PipelineSnapshot;
  ui: UiState;
  listed: readonly SignatureView[];
  columns: number;
  height: number;
}

function Body({ snapshot, ui, listed, columns, height }: BodyProps) {
  if (ui.help) return <HelpOverlay height={height} />;
  const selected = listed.find((signature) => signature.id === ui.selectedId) ?? listed[0];
  if (ui.view === 'detail' && selected !== undefined) {
    return (
      <DetailView signature={selected} deploys={snapshot.deploys} at={snapshot.at} rate={snapshot.rate} width={columns} height={height} />
    );
  }
  return (
    <SignatureTable
      signatures={listed}
      selectedId={selected?.id ?? null}
      width={columns}
      height={height}
      at={snapshot.at}
      emptyText={emptyText(snapshot, ui.filter)}
    />
  );
}

function emptyText(snapshot: PipelineSnapshot, filter: string): string {
  if (filter !== '') return `No signature matches "${displayText(filter)}" (Esc clears the filter).`;
  if (snapshot.signatures.length > 0) return '';
  // Records read but none in the table: all are older than the hour the table covers (old logs
  // read with --from-start, or a host clock far behind).
  const { records } = snapshot.stats;
  return records === 0 ? 'No errors seen yet.' : `No errors in the last hour of event time (${records} older record${records === 1 ? '' : 's'} read).`;
}
