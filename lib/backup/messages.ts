// The backup's and restore's messages to the operator, in Chinese (English beside them), with the
// file or table they concern. A BackupError's message is the Chinese text; `key` names it.

const ZH = {
  "backup.err.noFile": "找不到备份文件：{file}",
  "backup.err.exists": "备份文件已存在，不会覆盖：{file}",
  "backup.err.notArchive": "这不是本系统的备份文件（文件头不符）。",
  "backup.err.truncated": "备份文件不完整（文件被截断或未写完），拒绝恢复，数据库未作任何改动。",
  "backup.err.corrupt": "备份文件已损坏（内容校验失败），拒绝恢复，数据库未作任何改动。",
  "backup.err.format": "备份文件的格式版本 {format} 不受支持。",
  "backup.err.tableChecksum": "备份文件中数据表 {table} 的校验值或行数与清单不符（清单 {expected} 行，实际 {actual} 行），拒绝恢复，数据库未作任何改动。",
  "backup.err.tableList": "备份文件中的数据表与清单不符（{table}），拒绝恢复，数据库未作任何改动。",
  "backup.err.migrations": "目标数据库的迁移版本与备份不同（备份：{backup}；目标：{target}），请先将目标数据库迁移到相同版本。",
  "backup.err.notEmpty": "目标数据库不是空库（数据表 {table} 已有数据），恢复只写入刚迁移的空数据库。",
  "backup.err.unknownTable": "目标数据库中没有数据表 {table}。",
} as const;

const EN: Record<keyof typeof ZH, string> = {
  "backup.err.noFile": "Backup file not found: {file}",
  "backup.err.exists": "The backup file exists already and is not overwritten: {file}",
  "backup.err.notArchive": "Not a backup of this system (wrong file header).",
  "backup.err.truncated": "The backup file is incomplete (cut off or not finished): refused, the database is unchanged.",
  "backup.err.corrupt": "The backup file is damaged (checksum failed): refused, the database is unchanged.",
  "backup.err.format": "Backup format version {format} is not supported.",
  "backup.err.tableChecksum": "Table {table} in the backup does not match its manifest ({expected} rows listed, {actual} found): refused, the database is unchanged.",
  "backup.err.tableList": "The tables of the backup do not match its manifest ({table}): refused, the database is unchanged.",
  "backup.err.migrations": "The target database's migrations differ from the backup's (backup: {backup}; target: {target}): migrate it to the same set first.",
  "backup.err.notEmpty": "The target database is not empty (table {table} has rows): a restore writes only into a freshly migrated, empty database.",
  "backup.err.unknownTable": "The target database has no table {table}.",
};

export type TBackupMessage = keyof typeof ZH;

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

export class BackupError extends Error {
  readonly english: string;
  constructor(
    readonly key: TBackupMessage,
    readonly params: Record<string, string | number>,
  ) {
    super(fill(ZH[key], params));
    this.name = "BackupError";
    this.english = fill(EN[key], params);
  }
}
