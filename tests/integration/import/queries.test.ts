import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { importFile } from "@/lib/import/import-file";
import { getBatch, listBatches, listInvalidRows } from "@/lib/import/queries";
import { type Actor, NotAllowedError } from "@/lib/policy";
import { freshDatabase } from "@/tests/helpers/db";
import { badChecksumId, validId, writeCsv } from "./fixtures";

// The import pages' reads: only city staff ("import:run") see batches and invalid rows.

let city: Actor;
let district: Actor;

beforeAll(async () => {
  await freshDatabase();
  await pool().query(`INSERT INTO region (code, name, level, parent_code) VALUES ('3204', '常州市', 'CITY', NULL), ('320402', '天宁区', 'DISTRICT', '3204')`);
  const users = await pool().query<{ id: number; login: string }>(
    `INSERT INTO app_user (login, real_name, password_hash, role, region_code) VALUES
       ('city', '市中心 王强', 'x', 'CITY_STAFF', '3204'), ('tianning', '天宁区 李娜', 'x', 'DISTRICT_REVIEWER', '320402')
     RETURNING id, login`,
  );
  const id = (login: string) => users.rows.find((u) => u.login === login)!.id;
  city = { id: id("city"), login: "city", role: "CITY_STAFF", regionCode: "3204" };
  district = { id: id("tianning"), login: "tianning", role: "DISTRICT_REVIEWER", regionCode: "320402" };
});

describe("batch list and detail", () => {
  it("shows who imported each batch and its invalid rows in line order", async () => {
    const file = writeCsv("p.csv", ["id_number,name,hukou_region_code", `${validId(1)},甲,`, `${badChecksumId(2)},乙,`, `123,丙,`].join("\n"));
    const r = await importFile({ kind: "population", filePath: file, fileName: "户籍.csv", userId: city.id });
    const [listed] = await listBatches(city);
    expect(listed).toMatchObject({ id: r.batchId, fileName: "户籍.csv", status: "ACTIVE", rowsInvalid: 2, importedBy: { realName: "市中心 王强" } });
    expect(await getBatch(city, r.batchId)).toMatchObject({ kind: "population", rowsLoaded: 3 });
    const invalid = await listInvalidRows(city, r.batchId, "population");
    expect(invalid.total).toBe(2);
    expect(invalid.rows).toEqual([
      { lineNo: 3, idRaw: badChecksumId(2), name: "乙", reason: "bad_checksum" },
      { lineNo: 4, idRaw: "123", name: "丙", reason: "bad_length" },
    ]);
    const audit = await pool().query(`SELECT user_login FROM audit_log WHERE action = 'import.run' AND entity_id = $1`, [String(r.batchId)]);
    expect(audit.rows).toEqual([{ user_login: "city" }]);
  });

  it("refuses every other role", async () => {
    await expect(listBatches(district)).rejects.toBeInstanceOf(NotAllowedError);
    await expect(getBatch(district, 1)).rejects.toBeInstanceOf(NotAllowedError);
    await expect(listInvalidRows(district, 1, "population")).rejects.toBeInstanceOf(NotAllowedError);
    await expect(listBatches({ ...district, role: "SYSTEM_ADMIN", regionCode: null })).rejects.toBeInstanceOf(NotAllowedError);
  });
});
