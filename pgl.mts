import { PGlite } from "@electric-sql/pglite";
let t = performance.now();
const a = new PGlite("memory://"); await a.waitReady;
console.log("fresh", Math.round(performance.now() - t));
await a.exec("create table x(a int); insert into x values (1)");
t = performance.now();
const dump = await a.dumpDataDir("none");
console.log("dump", Math.round(performance.now() - t), dump.size);
for (let i = 0; i < 2; i++) {
t = performance.now();
const b = new PGlite("memory://", { loadDataDir: dump }); await b.waitReady;
console.log("from dump", Math.round(performance.now() - t), (await b.query("select * from x")).rows);
}
