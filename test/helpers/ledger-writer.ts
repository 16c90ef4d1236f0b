// A ledger writer for test/ledger.test.ts: puts entries one by one, then holds a write transaction open, so the
// test can kill it between commits or inside one.
import { Ledger } from '../../src/batch/ledger.js';
import { openSqlite } from '../../src/batch/sqlite.js';

const [file, count] = [process.argv[2], Number(process.argv[3])];
const ledger = new Ledger(file);
for (let i = 0; i < count; i++) {
  ledger.put({
    sha256: `sha-${i}`,
    toolVersion: 'test',
    path: `in/${i}.pdf`,
    processedAt: new Date().toISOString(),
    durationMs: i,
    errorCode: null,
    errorMessage: null,
    record: { n: i, text: 'x'.repeat(5000) } as never,
  });
}
ledger.close();
// A transaction that never ends, on a connection open beside another that came and went before it (as a batch
// opens its review tables beside its ledger): the other's closing must not hide who holds the file.
const db = openSqlite(file);
openSqlite(file).close();
// A transaction that never ends: the kill lands inside it, with the lock held and a page written.
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO processed VALUES ('torn', 'test', 'in/torn.pdf', 'now', 0, NULL, NULL, ?)").run('y'.repeat(100_000));
process.stdout.write('in-transaction\n');
setInterval(() => {}, 1000);
