/** Who is at the keyboard, for the `by` of a deploy marked with `d`. */
import os from 'node:os';

export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // userInfo() throws when the uid has no passwd entry (containers); the environment may still say.
    return process.env['USER'] ?? process.env['LOGNAME'] ?? 'unknown';
  }
}
