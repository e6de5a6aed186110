/*
** migrations.c — the schema, as a forward-only history (see migrations.h).
** Never edit a migration that has shipped: add a new one.
*/
#include "migrations.h"

#include <stddef.h>

const Migration migrations[] = {
  {1, "foundation: departments, users, sessions, audit, calendar, registry",
   /* Departments of the area (行政审批局, 市场监督管理局 …). */
   "CREATE TABLE department (\n"
   "  id @ID@,\n"
   "  code TEXT NOT NULL UNIQUE,\n"
   "  name TEXT NOT NULL,\n"
   "  name_en TEXT NOT NULL DEFAULT ''\n"
   ");\n"
   /* Accounts: one role each; officials bound to a department, applicants to a party. */
   "CREATE TABLE account (\n"
   "  id @ID@,\n"
   "  username TEXT NOT NULL UNIQUE,\n"
   "  display TEXT NOT NULL DEFAULT '',\n"
   "  role TEXT NOT NULL,\n"
   "  dept_id BIGINT REFERENCES department(id),\n"
   "  party TEXT,\n"
   "  password_hash TEXT NOT NULL,\n"
   "  disabled INTEGER NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   /* Login sessions and API tokens: only the SHA-256 of the token is kept. */
   "CREATE TABLE session (\n"
   "  token_hash TEXT PRIMARY KEY,\n"
   "  account_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  csrf TEXT NOT NULL,\n"
   "  kind TEXT NOT NULL DEFAULT 'cookie',\n"
   "  name TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  expires_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX session_account ON session(account_id);\n"
   /* Failed logins, per key ('u:NAME' or 'ip:ADDR'), for throttling. */
   "CREATE TABLE login_failure (\n"
   "  id @ID@,\n"
   "  key TEXT NOT NULL,\n"
   "  at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX login_failure_key ON login_failure(key, at);\n"
   /* The hash-chained audit log. */
   "CREATE TABLE audit_event (\n"
   "  id @ID@,\n"
   "  at BIGINT NOT NULL,\n"
   "  actor_id BIGINT,\n"
   "  actor TEXT NOT NULL,\n"
   "  action TEXT NOT NULL,\n"
   "  object TEXT NOT NULL,\n"
   "  detail TEXT NOT NULL DEFAULT '{}',\n"
   "  prev_hash TEXT NOT NULL,\n"
   "  hash TEXT NOT NULL\n"
   ");\n"
   /* The working-day calendar: days off and adjusted working days (调休). */
   "CREATE TABLE calendar_day (\n"
   "  day TEXT PRIMARY KEY,\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('off','work')),\n"
   "  name TEXT NOT NULL DEFAULT ''\n"
   ");\n"
   "CREATE TABLE calendar_year (\n"
   "  year INTEGER PRIMARY KEY,\n"
   "  source TEXT NOT NULL DEFAULT ''\n"
   ");\n"
   /* Market entities (市场主体), keyed by USCC; capital in fen. */
   "CREATE TABLE entity (\n"
   "  id @ID@,\n"
   "  uscc TEXT NOT NULL UNIQUE,\n"
   "  name TEXT NOT NULL,\n"
   "  kind TEXT NOT NULL,\n"
   "  legal_rep TEXT NOT NULL DEFAULT '',\n"
   "  capital_fen BIGINT NOT NULL DEFAULT 0,\n"
   "  industry TEXT NOT NULL DEFAULT '',\n"
   "  address TEXT NOT NULL DEFAULT '',\n"
   "  district TEXT NOT NULL DEFAULT '',\n"
   "  established TEXT NOT NULL DEFAULT '',\n"
   "  status TEXT NOT NULL DEFAULT 'active',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  updated_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX entity_kind ON entity(kind);\n"
   /* Persons: an ID number (GB 11643) or a passport for foreigners. */
   "CREATE TABLE person (\n"
   "  id @ID@,\n"
   "  id_kind TEXT NOT NULL CHECK (id_kind IN ('id','passport')),\n"
   "  id_number TEXT NOT NULL,\n"
   "  name TEXT NOT NULL,\n"
   "  nationality TEXT NOT NULL DEFAULT 'CHN',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  UNIQUE (id_kind, id_number, nationality)\n"
   ");\n",
   /* SQLite: a trigram full-text index over entity names, keyed on
   ** entity.id (an INTEGER PRIMARY KEY, which VACUUM keeps). FTS5 writes its
   ** pending index out at every statement savepoint, so indexing in an
   ** AFTER INSERT trigger made one tiny index segment per row; instead, new
   ** rows (id above the watermark) are indexed in one statement just before
   ** each commit (store_precommit), and only rows already indexed follow
   ** updates and deletes through triggers. */
   "CREATE VIRTUAL TABLE entity_fts USING fts5(name, content='entity', content_rowid='id',"
   " tokenize='trigram', columnsize=0);\n"
   "CREATE TABLE fts_watermark (tbl TEXT PRIMARY KEY, last_id INTEGER NOT NULL);\n"
   "INSERT INTO fts_watermark VALUES ('entity', 0);\n"
   "CREATE TRIGGER entity_fts_ad AFTER DELETE ON entity\n"
   "WHEN old.id <= (SELECT last_id FROM fts_watermark WHERE tbl = 'entity') BEGIN\n"
   "  INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name);\n"
   "END;\n"
   "CREATE TRIGGER entity_fts_au AFTER UPDATE OF name ON entity\n"
   "WHEN old.id <= (SELECT last_id FROM fts_watermark WHERE tbl = 'entity') BEGIN\n"
   "  INSERT INTO entity_fts(entity_fts, rowid, name) VALUES ('delete', old.id, old.name);\n"
   "  INSERT INTO entity_fts(rowid, name) VALUES (new.id, new.name);\n"
   "END;\n"
   /* What the writer runs before every COMMIT (store.c, load_precommit()). */
   "CREATE TABLE store_precommit (seq INTEGER PRIMARY KEY, sql TEXT NOT NULL);\n"
   "INSERT INTO store_precommit(seq, sql) VALUES (1,\n"
   " 'INSERT INTO entity_fts(rowid, name) SELECT id, name FROM entity"
   " WHERE id > (SELECT last_id FROM fts_watermark WHERE tbl = ''entity'') ORDER BY id;"
   " UPDATE fts_watermark SET last_id = (SELECT COALESCE(MAX(id), 0) FROM entity)"
   " WHERE tbl = ''entity'' AND last_id < (SELECT COALESCE(MAX(id), 0) FROM entity)');\n",
   /* PostgreSQL: pg_trgm serves LIKE '%…%' on names. */
   "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
   "CREATE INDEX entity_name_trgm ON entity USING gin (name gin_trgm_ops);\n"},
  {2, "placeholder", "SELECT 1;", NULL, NULL},
  {3, "documents: signing keys, certificates, uploaded materials",
   /* Ed25519 key pairs (docs.c says why the secret is kept here). At most
   ** one is active: it signs; the others still verify what they signed. */
   "CREATE TABLE signing_key (\n"
   "  id @ID@,\n"
   "  public_key @BLOB@ NOT NULL,\n"
   "  secret_key @BLOB@ NOT NULL,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  active INTEGER NOT NULL DEFAULT 1\n"
   ");\n"
   "CREATE UNIQUE INDEX signing_key_one_active ON signing_key(active) WHERE active = 1;\n"
   /* Certificates (证照): payload is the canonical JSON that signature
   ** (Ed25519, hex) signs; the columns repeat it for queries. */
   "CREATE TABLE certificate (\n"
   "  code TEXT PRIMARY KEY,\n"
   "  case_id BIGINT,\n"
   "  kind TEXT NOT NULL,\n"
   "  holder_party TEXT NOT NULL,\n"
   "  holder_name TEXT NOT NULL,\n"
   "  item_code TEXT NOT NULL DEFAULT '',\n"
   "  issuer TEXT NOT NULL,\n"
   "  issued_on TEXT NOT NULL,\n"
   "  valid_until TEXT NOT NULL DEFAULT '',\n"
   "  payload TEXT NOT NULL,\n"
   "  signature TEXT NOT NULL,\n"
   "  key_id BIGINT NOT NULL REFERENCES signing_key(id),\n"
   "  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','revoked')),\n"
   "  revoked_at BIGINT,\n"
   "  revoke_reason TEXT,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX certificate_holder ON certificate(holder_party);\n"
   "CREATE INDEX certificate_case ON certificate(case_id);\n"
   /* Uploaded materials, once per content (SHA-256, hex), and who may read them. */
   "CREATE TABLE blob (\n"
   "  sha256 TEXT PRIMARY KEY,\n"
   "  mime TEXT NOT NULL,\n"
   "  size BIGINT NOT NULL,\n"
   "  data @BLOB@ NOT NULL,\n"
   "  owner_id BIGINT REFERENCES account(id),\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE TABLE blob_reader (\n"
   "  sha256 TEXT NOT NULL REFERENCES blob(sha256),\n"
   "  account_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  created_at BIGINT NOT NULL,\n"
   "  PRIMARY KEY (sha256, account_id)\n"
   ");\n"
   "CREATE INDEX blob_reader_account ON blob_reader(account_id);\n",
   NULL, NULL},
};

const int nMigration = (int)(sizeof migrations / sizeof migrations[0]);
