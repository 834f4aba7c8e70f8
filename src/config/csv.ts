// A small RFC 4180 CSV parser for data feeds: a header row, quoted fields (with commas, doubled
// quotes and newlines inside), LF or CRLF line ends, an optional BOM. Pure.
//
// Compact by design: a table keeps the file's text once plus two integers per field (where it
// starts and ends), and builds a field's string only when it is read. A 20 MB CSV therefore
// costs about its own size plus 8 bytes per field, instead of one string object per field and
// one record object per row (which cost gigabytes per worker thread).

/** A parsed CSV file: the header's column names and the data rows, read by index. */
export class CsvTable {
  readonly columns: readonly string[];
  readonly #text: string;
  /** Per field: start offset, then end offset; a quoted field's range is inside its quotes. */
  readonly #bounds: Uint32Array;
  /** Fields (by index) that were quoted and contain a doubled quote to undo. */
  readonly #escaped: ReadonlySet<number>;

  constructor(columns: readonly string[], text: string, bounds: Uint32Array, escaped: ReadonlySet<number>) {
    this.columns = columns;
    this.#text = text;
    this.#bounds = bounds;
    this.#escaped = escaped;
  }

  /** Number of data rows (the header is not one). */
  get length(): number {
    return this.#bounds.length / 2 / this.columns.length;
  }

  /** The field of data row `row` (0-based) in column index `column`. */
  cell(row: number, column: number): string {
    const index = row * this.columns.length + column;
    const value = this.#text.slice(this.#bounds[2 * index]!, this.#bounds[2 * index + 1]!);
    return this.#escaped.has(index) ? value.replaceAll('""', '"') : value;
  }

  /** Data row `row` as a frozen column → value record (built on each call). */
  record(row: number): Readonly<Record<string, string>> {
    const record: Record<string, string> = Object.create(null);
    for (let c = 0; c < this.columns.length; c++) record[this.columns[c]!] = this.cell(row, c);
    return Object.freeze(record);
  }

  /** Every data row as an array of fields (for tests and small tables). */
  toArrays(): string[][] {
    return Array.from({ length: this.length }, (_, r) => this.columns.map((_, c) => this.cell(r, c)));
  }
}

/** Grows a Uint32Array by doubling; amortized O(1) per value. */
class Bounds {
  #data = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.#data.length) {
      const next = new Uint32Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.length++] = value;
  }
  truncate(length: number): void {
    this.length = length;
  }
  get(index: number): number {
    return this.#data[index]!;
  }
  final(from: number): Uint32Array {
    return this.#data.slice(from, this.length);
  }
}

/** The table, or `{ error }` naming the 1-based line of the first malformed record. */
export function parseCsv(input: string): CsvTable | { error: string } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.length > 0xffffffff) return { error: "the file is too large to index" };
  const bounds = new Bounds();
  const escaped = new Set<number>();
  let fieldCount = 0; // fields stored so far (all records)
  let recordFields = 0; // fields of the current record
  let recordQuoted = false;
  let columns: number | undefined; // fields per record, from the header
  let headerEnd = 0; // bounds index where data rows start
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endRecord = (): string | undefined => {
    // A blank line (one empty unquoted field) is skipped.
    const blank = recordFields === 1 && !recordQuoted && bounds.get(bounds.length - 2) === bounds.get(bounds.length - 1);
    if (blank) {
      bounds.truncate(bounds.length - 2);
      fieldCount--;
      escaped.delete(fieldCount);
    } else if (columns === undefined) {
      columns = recordFields;
      headerEnd = bounds.length;
    } else if (recordFields !== columns) {
      return `line ${recordLine}: ${recordFields} fields, but the header has ${columns} (${headerNames().join(",")})`;
    }
    recordFields = 0;
    recordQuoted = false;
    return undefined;
  };
  const headerNames = (): string[] => {
    const names: string[] = [];
    for (let f = 0; f < (columns ?? 0); f++) {
      const value = text.slice(bounds.get(2 * f), bounds.get(2 * f + 1));
      names.push((escaped.has(f) ? value.replaceAll('""', '"') : value).trim());
    }
    return names;
  };

  while (i <= text.length) {
    // At the start of a field.
    let start = i;
    let end: number;
    if (text.charCodeAt(i) === 34 /* " */) {
      recordQuoted = true;
      start = ++i;
      let doubled = false;
      for (;;) {
        if (i >= text.length) return { error: `line ${line}: a quoted field is not closed` };
        const c = text.charCodeAt(i);
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) {
            doubled = true;
            i += 2;
            continue;
          }
          break;
        }
        if (c === 10) line++;
        i++;
      }
      end = i++;
      if (doubled) escaped.add(fieldCount);
      const next = text.charCodeAt(i);
      if (i < text.length && next !== 44 && next !== 10 && next !== 13) {
        return { error: `line ${line}: unexpected text after a closing quote` };
      }
    } else {
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 44 || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10)) break;
        i++;
      }
      end = i;
    }
    bounds.push(start);
    bounds.push(end);
    fieldCount++;
    recordFields++;
    if (i >= text.length) {
      // The end of the text ends the last record, unless it is empty after a final newline.
      if (recordFields === 1 && start === end && !recordQuoted) {
        bounds.truncate(bounds.length - 2);
        fieldCount--;
      } else {
        const error = endRecord();
        if (error) return { error };
      }
      break;
    }
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === text.length) {
        // A trailing comma: one more, empty field ends the record.
        bounds.push(i);
        bounds.push(i);
        fieldCount++;
        recordFields++;
        const error = endRecord();
        if (error) return { error };
        break;
      }
      continue;
    }
    i += c === 13 ? 2 : 1;
    const error = endRecord();
    if (error) return { error };
    recordLine = ++line;
  }
  if (columns === undefined) return { error: "the file is empty; it needs a header row naming the columns" };
  const names = headerNames();
  const rowEscapes = new Set<number>();
  const headerFields = headerEnd / 2;
  for (const f of escaped) if (f >= headerFields) rowEscapes.add(f - headerFields);
  return new CsvTable(names, text, bounds.final(headerEnd), rowEscapes);
}
