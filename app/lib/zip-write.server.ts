/**
 * Writing a zip: the one layout both the spreadsheet reader (re-packing what it has bounded) and the tests' fixtures
 * (zips as Windows writes them, or lying about their sizes) need. The fields are given, not worked out, so that a
 * fixture may declare sizes or a crc the data does not have.
 */
export interface ZipWriteEntry {
  /** The name as stored: UTF-8 (with flag 0x800) or the GBK that Windows writes. */
  name: Uint8Array;
  /** The bytes as stored: deflated when method is 8, as they are when 0. */
  data: Uint8Array;
  method: 0 | 8;
  flags: number;
  crc: number;
  /** The uncompressed size the headers declare. */
  size: number;
}

/**
 * An entry's local header and central directory entry: they hold the same fields, the central one two bytes further
 * on (after "version made by") and with the local header's offset.
 */
function entryHeaders(entry: ZipWriteEntry, offset: number) {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  for (const [header, at] of [
    [local, 4],
    [central, 6],
  ] as const) {
    header.writeUInt16LE(20, at);
    header.writeUInt16LE(entry.flags, at + 2);
    header.writeUInt16LE(entry.method, at + 4);
    header.writeUInt32LE(entry.crc, at + 10);
    header.writeUInt32LE(entry.data.length, at + 14);
    header.writeUInt32LE(entry.size, at + 18);
    header.writeUInt16LE(entry.name.length, at + 22);
  }
  central.writeUInt32LE(offset, 42);
  return { local, central };
}

/** The entries, then the central directory, then the end record. */
export function writeZip(entries: ZipWriteEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { local, central } = entryHeaders(entry, offset);
    locals.push(local, Buffer.from(entry.name), Buffer.from(entry.data));
    centrals.push(central, Buffer.from(entry.name));
    offset += local.length + entry.name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
