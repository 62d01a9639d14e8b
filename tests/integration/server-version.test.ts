import net from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { assertSupportedServer, checkServerVersion, UnsupportedServerError } from "@/lib/db/server-version";

// PostgreSQL 15 and later (Debian 12's server is 15). An older server is refused by the migration
// runner — the first thing `npm start` and `npm run db:migrate` do — before it writes anything, with
// the version found and the version needed. The old server is played by a few lines of the
// PostgreSQL wire protocol that announce 14.11 and record every statement they receive.

/** A server that speaks just enough of protocol 3 to say it is PostgreSQL `version`. */
function fakeServer(version: string, versionNum: number): Promise<{ url: string; statements: string[]; close: () => void }> {
  const statements: string[] = [];
  const msg = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0, "latin1");
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const int16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  const ready = msg("Z", Buffer.from("I"));
  const rows = (names: string[], values: string[]) =>
    Buffer.concat([
      msg("T", Buffer.concat([int16(names.length), ...names.map((n) => Buffer.concat([cstr(n), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]))])),
      msg("D", Buffer.concat([int16(values.length), ...values.map((v) => Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v)]))])),
      msg("C", cstr("SELECT 1")),
      ready,
    ]);
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let started = false;
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (!started) {
          if (buf.length < 4 || buf.length < buf.readInt32BE(0)) return;
          buf = buf.subarray(buf.readInt32BE(0));
          started = true;
          socket.write(Buffer.concat([msg("R", int32(0)), msg("S", Buffer.concat([cstr("server_version"), cstr(version)])), msg("K", Buffer.concat([int32(1), int32(2)])), ready]));
          continue;
        }
        if (buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return;
        const type = String.fromCharCode(buf[0]);
        const body = buf.subarray(5, 1 + buf.readInt32BE(1));
        buf = buf.subarray(1 + buf.readInt32BE(1));
        if (type === "X") return void socket.end();
        if (type !== "Q") continue;
        const sql = body.toString("utf8").replace(/\0$/, "");
        statements.push(sql);
        if (sql.includes("server_version_num")) socket.write(rows(["num", "text"], [String(versionNum), `${version} (Debian)`]));
        else socket.write(Buffer.concat([msg("E", Buffer.concat([cstr("SERROR"), cstr("CXX000"), cstr("Mnot a real server"), Buffer.from([0])])), ready]));
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `postgres://postgres@127.0.0.1:${port}/portal`, statements, close: () => server.close() });
    }),
  );
}

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((c) => c()));

describe("the server's version", () => {
  it("15 and later are accepted; anything older is refused naming the version found and the version needed", () => {
    expect(() => checkServerVersion(150000, "15.0")).not.toThrow();
    expect(() => checkServerVersion(180004, "18.4")).not.toThrow();
    expect(() => checkServerVersion(149999, "14.99")).toThrow(UnsupportedServerError);
    expect(() => checkServerVersion(90624, "9.6.24")).toThrow(/PostgreSQL 9\.6\.24.*PostgreSQL 15 或更高版本/);
    expect(() => checkServerVersion(Number.NaN, "?")).toThrow(UnsupportedServerError);
  });

  it("the test server itself passes", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await expect(assertSupportedServer(client)).resolves.toBeUndefined();
    } finally {
      await client.end();
    }
  });

  it("db:migrate (and so npm start) refuses a PostgreSQL 14 server at once, before writing anything", async () => {
    const fake = await fakeServer("14.11", 140011);
    closers.push(fake.close);
    const refused = await migrate(fake.url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(UnsupportedServerError);
    expect(String((refused as Error).message)).toContain("数据库服务器为 PostgreSQL 14.11，本系统需要 PostgreSQL 15 或更高版本");
    expect(String((refused as Error).message)).toContain("PostgreSQL 14.11; this portal needs PostgreSQL 15 or later");
    // Only the version was asked: no lock, no table, no migration.
    expect(fake.statements).toHaveLength(1);
    expect(fake.statements[0]).toContain("server_version_num");
  });
});
