// A small RFC 4180 CSV parser for data feeds: a header row, quoted fields (with commas, doubled
// quotes and newlines inside), LF or CRLF line ends, an optional BOM. Pure.

export interface CsvTable {
  columns: string[];
  rows: string[][];
}

/** The table, or `{ error }` naming the 1-based line of the first malformed record. */
export function parseCsv(text: string): CsvTable | { error: string } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false; // the current field was quoted
  let anyQuoted = false; // some field of the current record was quoted
  const endField = () => {
    fields.push(field);
    field = "";
    quoted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line (one empty unquoted field) is skipped.
    if (!(fields.length === 1 && fields[0] === "" && !anyQuoted)) records.push({ fields, line: recordLine });
    fields = [];
    anyQuoted = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === "" && !quoted) {
      quoted = anyQuoted = true;
      i++;
      // Read up to the closing quote.
      for (;;) {
        if (i >= text.length) return { error: `line ${line}: a quoted field is not closed` };
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n") line++;
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        return { error: `line ${line}: unexpected text after a closing quote` };
      }
      continue;
    }
    if (ch === ",") {
      endField();
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      endRecord();
      i += 2;
      recordLine = ++line;
    } else if (ch === "\n") {
      endRecord();
      i++;
      recordLine = ++line;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || fields.length > 0 || anyQuoted) endRecord();
  const [header, ...body] = records;
  if (!header) return { error: "the file is empty; it needs a header row naming the columns" };
  const columns = header.fields.map((c) => c.trim());
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      return { error: `line ${record.line}: ${record.fields.length} fields, but the header has ${columns.length} (${columns.join(",")})` };
    }
  }
  return { columns, rows: body.map((r) => r.fields) };
}
