/**
 * A small RFC 4180 CSV reader for Loghub's `*_structured.csv` files: quoted fields may hold commas,
 * line breaks and doubled quotes (`""`). The first row is the header; each later row becomes an
 * object keyed by header names (missing trailing cells read as ''). Blank lines are skipped.
 */
export function readStructuredCsv(text: string): Array<Record<string, string>> {
  const rows = readCsvRows(text);
  if (rows.length === 0) return [];
  const header = rows[0];
  const out: Array<Record<string, string>> = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const record: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) record[header[c]] = row[c] ?? '';
    out.push(record);
  }
  return out;
}

/** Rows of cells, quotes resolved. A leading byte-order mark is ignored. */
export function readCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let inQuotes = false;
  // A row that is a single empty, unquoted cell is a blank line, not data.
  let rowHasContent = false;
  const endRow = () => {
    row.push(cell);
    if (rowHasContent || row.length > 1) rows.push(row);
    row = [];
    cell = '';
    rowHasContent = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      // Copy a run of ordinary characters at once.
      const next = text.indexOf('"', i);
      const end = next < 0 ? text.length : next;
      cell += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      rowHasContent = true;
      i++;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      let end = i;
      while (end < text.length) {
        const c = text[end];
        if (c === ',' || c === '"' || c === '\r' || c === '\n') break;
        end++;
      }
      cell += text.slice(i, end);
      rowHasContent = true;
      i = end;
    }
  }
  if (inQuotes) throw new SyntaxError('CSV ends inside a quoted field');
  if (cell !== '' || row.length > 0 || rowHasContent) endRow();
  return rows;
}
