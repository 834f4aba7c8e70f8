// RegExp.test for checks, without the lastIndex state of g/y patterns leaking between responses.

export function testPattern(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const ok = re.test(text);
  re.lastIndex = 0;
  return ok;
}
