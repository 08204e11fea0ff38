/** The feed token: the flag, else $LOGWATCH_TOKEN; an empty value means none. */
export function tokenFrom(flag: string | undefined): { token?: string } {
  const token = flag ?? process.env['LOGWATCH_TOKEN'];
  return token === undefined || token === '' ? {} : { token };
}
