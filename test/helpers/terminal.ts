// A minimal terminal screen for tests of what a user sees: it plays a program's output (text,
// "\r", "\n", and the escape sequences loadr's live view writes: cursor up `ESC[nA`, erase below
// `ESC[J`, erase line `ESC[2K`/`ESC[K`, colors `ESC[…m`) onto rows of text, without wrapping.
// Any other escape sequence is an error, so a test notices output it does not model.

export class Screen {
  readonly rows: string[] = [""];
  #row = 0;
  #col = 0;

  write(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === "\x1b") {
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
        if (!m) throw new Error(`unmodelled escape sequence at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.#escape(m[2]!, m[1] === "" ? undefined : Number(m[1]));
        i += m[0].length - 1;
      } else if (ch === "\r") {
        this.#col = 0;
      } else if (ch === "\n") {
        this.#row++;
        this.#col = 0;
        while (this.rows.length <= this.#row) this.rows.push("");
      } else {
        const line = this.rows[this.#row]!.padEnd(this.#col);
        this.rows[this.#row] = line.slice(0, this.#col) + ch + line.slice(this.#col + 1);
        this.#col++;
      }
    }
  }

  /** The screen's text lines, trailing blanks trimmed. */
  lines(): string[] {
    const lines = this.rows.map((r) => r.trimEnd());
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines;
  }

  #escape(code: string, n: number | undefined): void {
    switch (code) {
      case "A":
        this.#row = Math.max(0, this.#row - (n ?? 1));
        break;
      case "J":
        this.rows[this.#row] = this.rows[this.#row]!.slice(0, this.#col);
        this.rows.length = this.#row + 1;
        break;
      case "K":
        if (n === 2) this.rows[this.#row] = "";
        else this.rows[this.#row] = this.rows[this.#row]!.slice(0, this.#col);
        break;
      case "m":
        break;
      default:
        throw new Error(`unmodelled escape sequence ESC[${n ?? ""}${code}`);
    }
  }
}
