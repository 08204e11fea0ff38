#!/usr/bin/env node
/**
 * The `logwatch` executable. React (under the TUI) picks its build from NODE_ENV when first
 * imported; unset, it runs the development build at several times the CPU. So the environment is
 * settled here, before anything imports React, and only then is the CLI loaded.
 */
process.env['NODE_ENV'] ??= 'production';
// A reader that went away (`logwatch fingerprint big.log | head`): stop quietly, as `cat` does, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
const { main } = await import('./main.js');
// Exit explicitly: followers, timers and servers must not keep a finished run alive (stdout is synchronous on Linux).
process.exit(await main(process.argv));
