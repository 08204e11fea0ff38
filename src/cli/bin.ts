#!/usr/bin/env node
/**
 * The `logwatch` executable. React (under the TUI) picks its build from NODE_ENV when first
 * imported; unset, it runs the development build at several times the CPU. So the environment is
 * settled here, before anything imports React, and only then is the CLI loaded.
 */
process.env['NODE_ENV'] ??= 'production';
const { main } = await import('./main.js');
// Exit explicitly: followers, timers and servers must not keep a finished run alive (stdout is synchronous on Linux).
process.exit(await main(process.argv));
