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
  {2, "catalogue: items and their versions, with full-text search on names",
   /* An item (事项) is its stable code; everything else lives in its versions. */
   "CREATE TABLE item (\n"
   "  id @ID@,\n"
   "  code TEXT NOT NULL UNIQUE,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   /* One version of an item, effective [effective_from, effective_to] (dates;
   ** effective_to '' when open-ended). Booleans are 0/1 integers; materials
   ** is a JSON array (see catalog.c). A case keeps item_version.id. */
   "CREATE TABLE item_version (\n"
   "  id @ID@,\n"
   "  item_id BIGINT NOT NULL REFERENCES item(id),\n"
   "  version INTEGER NOT NULL CHECK (version >= 1),\n"
   "  effective_from TEXT NOT NULL,\n"
   "  effective_to TEXT NOT NULL DEFAULT '',\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  name TEXT NOT NULL,\n"
   "  kind TEXT NOT NULL,\n"
   "  legal_basis TEXT NOT NULL DEFAULT '',\n"
   "  conditions TEXT NOT NULL DEFAULT '',\n"
   "  materials TEXT NOT NULL DEFAULT '[]',\n"
   "  legal_limit INTEGER NOT NULL CHECK (legal_limit >= 0),\n"
   "  promised_limit INTEGER NOT NULL CHECK (promised_limit >= 0),\n"
   "  limit_unit TEXT NOT NULL CHECK (limit_unit IN ('workdays','workhours')),\n"
   "  fees TEXT NOT NULL DEFAULT '',\n"
   "  handling TEXT NOT NULL CHECK (handling IN ('instant','promise')),\n"
   "  ch_window INTEGER NOT NULL DEFAULT 1,\n"
   "  ch_online INTEGER NOT NULL DEFAULT 0,\n"
   "  ch_kiosk INTEGER NOT NULL DEFAULT 0,\n"
   "  visits INTEGER NOT NULL DEFAULT 1 CHECK (visits IN (0,1)),\n"
   "  rule TEXT NOT NULL DEFAULT '',\n"
   "  postcheck_pct INTEGER NOT NULL DEFAULT 0,\n"
   "  allow_rongque INTEGER NOT NULL DEFAULT 0,\n"
   "  allow_promise INTEGER NOT NULL DEFAULT 0,\n"
   "  promise_verify_days INTEGER NOT NULL DEFAULT 0,\n"
   "  safety INTEGER NOT NULL DEFAULT 0,\n"
   "  reform_mode TEXT NOT NULL DEFAULT '',\n"
   "  output_kind TEXT NOT NULL DEFAULT '',\n"
   "  output_valid_months INTEGER NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  UNIQUE (item_id, version),\n"
   "  CHECK (safety = 0 OR (allow_rongque = 0 AND allow_promise = 0))\n"
   ");\n"
   "CREATE INDEX item_version_effective ON item_version(effective_from, effective_to);\n"
   "CREATE INDEX item_version_dept ON item_version(dept_id);\n"
   "CREATE INDEX item_version_handling ON item_version(handling);\n"
   "CREATE INDEX item_version_online ON item_version(ch_online);\n"
   "CREATE INDEX item_version_kind ON item_version(kind);\n",
   /* SQLite: a trigram index over names keyed on item_version.id. The table
   ** is small and written rarely, so plain triggers keep it in step. */
   "CREATE VIRTUAL TABLE item_version_fts USING fts5(name, content='item_version',"
   " content_rowid='id', tokenize='trigram', columnsize=0);\n"
   "CREATE TRIGGER item_version_fts_ai AFTER INSERT ON item_version BEGIN\n"
   "  INSERT INTO item_version_fts(rowid, name) VALUES (new.id, new.name);\n"
   "END;\n"
   "CREATE TRIGGER item_version_fts_ad AFTER DELETE ON item_version BEGIN\n"
   "  INSERT INTO item_version_fts(item_version_fts, rowid, name) VALUES ('delete', old.id, old.name);\n"
   "END;\n"
   "CREATE TRIGGER item_version_fts_au AFTER UPDATE OF name ON item_version BEGIN\n"
   "  INSERT INTO item_version_fts(item_version_fts, rowid, name) VALUES ('delete', old.id, old.name);\n"
   "  INSERT INTO item_version_fts(rowid, name) VALUES (new.id, new.name);\n"
   "END;\n",
   /* PostgreSQL: pg_trgm (created by migration 1) serves ILIKE '%…%'. */
   "CREATE INDEX item_version_name_trgm ON item_version USING gin (name gin_trgm_ops);\n"},
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
  {4, "cases: the case engine, bundles, parcels, tasks, agents, inbox",
   /* Officials of a central department (相对集中行政许可权) handle every department's cases. */
   "ALTER TABLE department ADD COLUMN central INTEGER NOT NULL DEFAULT 0;\n"
   /* 办件. Instants are ms (0 = not yet); the SLA clock: limit_ms of working
   ** time from started_at to deadline_at, paused at paused_at. */
   "CREATE TABLE case_file (\n"
   "  id @ID@,\n"
   "  case_no TEXT UNIQUE,\n"
   "  item_version_id BIGINT NOT NULL REFERENCES item_version(id),\n"
   "  item_code TEXT NOT NULL,\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  party TEXT NOT NULL,\n"
   "  party_type TEXT NOT NULL,\n"
   "  party_name TEXT NOT NULL,\n"
   "  filer_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  channel TEXT NOT NULL CHECK (channel IN ('online','window','kiosk')),\n"
   "  state TEXT NOT NULL,\n"
   "  resume_state TEXT NOT NULL DEFAULT '',\n"
   "  path TEXT NOT NULL DEFAULT 'normal',\n"
   "  form TEXT NOT NULL DEFAULT '{}',\n"
   "  missing TEXT NOT NULL DEFAULT '[]',\n"
   "  bundle_id BIGINT NOT NULL DEFAULT 0,\n"
   "  parcel TEXT,\n"
   "  limit_ms BIGINT NOT NULL DEFAULT 0,\n"
   "  started_at BIGINT NOT NULL DEFAULT 0,\n"
   "  deadline_at BIGINT NOT NULL DEFAULT 0,\n"
   "  warn_at BIGINT NOT NULL DEFAULT 0,\n"
   "  paused_at BIGINT NOT NULL DEFAULT 0,\n"
   "  supplement_due_at BIGINT NOT NULL DEFAULT 0,\n"
   "  submitted_at BIGINT NOT NULL DEFAULT 0,\n"
   "  decided_at BIGINT NOT NULL DEFAULT 0,\n"
   "  issued_at BIGINT NOT NULL DEFAULT 0,\n"
   "  closed_at BIGINT NOT NULL DEFAULT 0,\n"
   "  visits INTEGER NOT NULL DEFAULT 0,\n"
   "  decision TEXT NOT NULL DEFAULT '',\n"
   "  rule_result TEXT,\n"
   "  postcheck INTEGER NOT NULL DEFAULT 0,\n"
   "  certificate TEXT,\n"
   "  warned INTEGER NOT NULL DEFAULT 0,\n"
   "  overdue INTEGER NOT NULL DEFAULT 0,\n"
   "  on_time INTEGER,\n"
   "  rating INTEGER NOT NULL DEFAULT 0,\n"
   "  rating_comment TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  updated_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX case_party ON case_file(party, id);\n"
   "CREATE INDEX case_filer ON case_file(filer_id, id);\n"
   "CREATE INDEX case_dept_state ON case_file(dept_id, state, id);\n"
   "CREATE INDEX case_bundle ON case_file(bundle_id) WHERE bundle_id <> 0;\n"
   "CREATE INDEX case_parcel ON case_file(parcel) WHERE parcel IS NOT NULL;\n"
   /* The scan reads only running clocks not yet flagged. */
   "CREATE INDEX case_warn ON case_file(warn_at) WHERE warned = 0 AND decided_at = 0 AND paused_at = 0;\n"
   "CREATE INDEX case_overdue ON case_file(deadline_at) WHERE overdue = 0 AND decided_at = 0 AND paused_at = 0;\n"
   "CREATE INDEX case_running ON case_file(dept_id, deadline_at) WHERE decided_at = 0 AND paused_at = 0;\n"
   "CREATE INDEX case_supplement ON case_file(supplement_due_at) WHERE supplement_due_at > 0;\n"
   /* Materials a case has: uploaded (sha256) or fetched from the registry (source). */
   "CREATE TABLE case_material (\n"
   "  case_id BIGINT NOT NULL REFERENCES case_file(id),\n"
   "  key TEXT NOT NULL,\n"
   "  name TEXT NOT NULL,\n"
   "  sha256 TEXT,\n"
   "  source TEXT NOT NULL DEFAULT '',\n"
   "  at BIGINT NOT NULL,\n"
   "  PRIMARY KEY (case_id, key)\n"
   ");\n"
   /* The timeline. */
   "CREATE TABLE case_event (\n"
   "  id @ID@,\n"
   "  case_id BIGINT NOT NULL REFERENCES case_file(id),\n"
   "  at BIGINT NOT NULL,\n"
   "  actor_id BIGINT NOT NULL DEFAULT 0,\n"
   "  actor TEXT NOT NULL,\n"
   "  action TEXT NOT NULL,\n"
   "  from_state TEXT NOT NULL,\n"
   "  to_state TEXT NOT NULL,\n"
   "  note TEXT NOT NULL DEFAULT '{}'\n"
   ");\n"
   "CREATE INDEX case_event_case ON case_event(case_id, id);\n"
   /* Notices (受理通知书 …): their data; the PDF is rendered from it. */
   "CREATE TABLE case_notice (\n"
   "  id @ID@,\n"
   "  case_id BIGINT NOT NULL REFERENCES case_file(id),\n"
   "  kind TEXT NOT NULL,\n"
   "  number TEXT NOT NULL,\n"
   "  data TEXT NOT NULL,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX case_notice_case ON case_notice(case_id);\n"
   /* Broken promises (容缺 deadline missed, false 告知承诺): bar the party until until_at. */
   "CREATE TABLE broken_promise (\n"
   "  id @ID@,\n"
   "  party TEXT NOT NULL,\n"
   "  case_id BIGINT NOT NULL,\n"
   "  at BIGINT NOT NULL,\n"
   "  until_at BIGINT NOT NULL,\n"
   "  reason TEXT NOT NULL\n"
   ");\n"
   "CREATE INDEX broken_promise_party ON broken_promise(party, until_at);\n"
   /* Agencies (代办): agent_id may file and act for party. */
   "CREATE TABLE agent_grant (\n"
   "  id @ID@,\n"
   "  party TEXT NOT NULL,\n"
   "  agent_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  granted_by BIGINT NOT NULL REFERENCES account(id),\n"
   "  created_at BIGINT NOT NULL,\n"
   "  revoked_at BIGINT NOT NULL DEFAULT 0\n"
   ");\n"
   "CREATE INDEX agent_grant_agent ON agent_grant(agent_id, party);\n"
   /* Tasks of a department: verify (告知承诺核查), postcheck (秒批事后抽查), rectify (差评整改). */
   "CREATE TABLE task (\n"
   "  id @ID@,\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('verify','postcheck','rectify')),\n"
   "  case_id BIGINT NOT NULL REFERENCES case_file(id),\n"
   "  dept_id BIGINT NOT NULL,\n"
   "  due_at BIGINT NOT NULL,\n"
   "  state TEXT NOT NULL,\n"
   "  result TEXT NOT NULL DEFAULT '',\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  done_at BIGINT NOT NULL DEFAULT 0,\n"
   "  done_by BIGINT NOT NULL DEFAULT 0\n"
   ");\n"
   "CREATE INDEX task_dept ON task(dept_id, state, due_at);\n"
   /* Notifications: the inbox; later adapters deliver them by SMS or e-mail (sent_at). */
   "CREATE TABLE outbox (\n"
   "  id @ID@,\n"
   "  account_id BIGINT NOT NULL DEFAULT 0,\n"
   "  party TEXT NOT NULL DEFAULT '',\n"
   "  dept_id BIGINT NOT NULL DEFAULT 0,\n"
   "  case_id BIGINT NOT NULL DEFAULT 0,\n"
   "  title TEXT NOT NULL,\n"
   "  body TEXT NOT NULL,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  read_at BIGINT,\n"
   "  sent_at BIGINT\n"
   ");\n"
   "CREATE INDEX outbox_account ON outbox(account_id, id);\n"
   "CREATE INDEX outbox_party ON outbox(party, id);\n"
   "CREATE INDEX outbox_dept ON outbox(dept_id, id);\n"
   /* Bundles (一件事) and land parcels (零时限审批). */
   "CREATE TABLE bundle (\n"
   "  id @ID@,\n"
   "  kind TEXT NOT NULL,\n"
   "  party TEXT NOT NULL,\n"
   "  party_name TEXT NOT NULL,\n"
   "  filer_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  form TEXT NOT NULL,\n"
   "  started_at BIGINT NOT NULL,\n"
   "  deadline_at BIGINT NOT NULL,\n"
   "  entity_uscc TEXT NOT NULL DEFAULT '',\n"
   "  parcel TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE TABLE parcel (\n"
   "  id @ID@,\n"
   "  code TEXT NOT NULL UNIQUE,\n"
   "  name TEXT NOT NULL,\n"
   "  district TEXT NOT NULL DEFAULT '',\n"
   "  state TEXT NOT NULL CHECK (state IN ('prereview','acquired')),\n"
   "  contract_no TEXT NOT NULL DEFAULT '',\n"
   "  holder TEXT NOT NULL DEFAULT '',\n"
   "  acquired_at BIGINT NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n",
   NULL, NULL},
  {5, "bundle kinds as data",
   /* 一件事: the catalogue items one form fans out to, and the one clock. */
   "CREATE TABLE bundle_kind (\n"
   "  kind TEXT PRIMARY KEY,\n"
   "  label TEXT NOT NULL,\n"
   "  half_days INTEGER NOT NULL,\n"
   "  parcel INTEGER NOT NULL DEFAULT 0,\n"
   "  items TEXT NOT NULL,\n"
   "  updated_at BIGINT NOT NULL\n"
   ");\n",
   NULL, NULL},
  {6, "case versions (every move is a compare-and-set on them), the scheduler's runs, notifications and tasks on any subject, task kinds as data, effective-dated parameters, forms per item",
   "ALTER TABLE case_file ADD COLUMN version BIGINT NOT NULL DEFAULT 0;\n"
   /* The fields of an item's application form (catalog.h, ItemField). */
   "ALTER TABLE item_version ADD COLUMN form TEXT NOT NULL DEFAULT '[]';\n"
   /* One row a periodic job (schedule.c): when it is next due, and its last run. */
   "CREATE TABLE schedule_run (\n"
   "  name TEXT PRIMARY KEY,\n"
   "  next_at BIGINT NOT NULL,\n"
   "  last_started_at BIGINT NOT NULL DEFAULT 0,\n"
   "  last_finished_at BIGINT NOT NULL DEFAULT 0,\n"
   "  last_report TEXT,\n"
   "  last_error TEXT NOT NULL DEFAULT '',\n"
   "  runs BIGINT NOT NULL DEFAULT 0\n"
   ");\n"
   /* Notifications name their subject (notify.c), not only a case. */
   "ALTER TABLE outbox ADD COLUMN subject_kind TEXT NOT NULL DEFAULT '';\n"
   "ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT '';\n"
   "UPDATE outbox SET subject_kind = 'case', subject = (SELECT case_no FROM case_file c WHERE c.id = outbox.case_id)"
   " WHERE case_id <> 0;\n"
   "ALTER TABLE outbox DROP COLUMN case_id;\n"
   /* Tasks on any subject, their kinds as data (task.c): label, period in
   ** working days, results with their effect on the subject. */
   "CREATE TABLE task_kind (\n"
   "  kind TEXT PRIMARY KEY,\n"
   "  label TEXT NOT NULL,\n"
   "  label_en TEXT NOT NULL,\n"
   "  days INTEGER NOT NULL CHECK (days > 0),\n"
   "  results TEXT NOT NULL\n"
   ");\n"
   "INSERT INTO task_kind(kind, label, label_en, days, results) VALUES\n"
   " ('verify', '告知承诺核查', 'Verification of a written promise', 20,"
   "  '[{\"code\":\"ok\",\"label\":\"核查属实\",\"label_en\":\"Promise kept\",\"effect\":\"\"},"
   "{\"code\":\"false_promise\",\"label\":\"虚假承诺（撤销许可）\",\"label_en\":\"False promise (revoke)\","
   "\"effect\":\"revoke_broken_promise\",\"reason\":\"经核查，申请人承诺不实，撤销许可决定。\"}]'),\n"
   " ('postcheck', '秒批事后抽查', 'Post-check of an instant approval', 20,"
   "  '[{\"code\":\"ok\",\"label\":\"抽查无问题\",\"label_en\":\"No problem\",\"effect\":\"\"},"
   "{\"code\":\"problem\",\"label\":\"发现问题（撤销）\",\"label_en\":\"Problem found (revoke)\","
   "\"effect\":\"revoke\",\"reason\":\"事后抽查发现问题，撤销许可决定。\"}]'),\n"
   " ('rectify', '差评整改', 'Rectification after a bad rating', 5,"
   "  '[{\"code\":\"done\",\"label\":\"已整改\",\"label_en\":\"Rectified\",\"effect\":\"\"}]');\n"
   "CREATE TABLE task_new (\n"
   "  id @ID@,\n"
   "  kind TEXT NOT NULL REFERENCES task_kind(kind),\n"
   "  subject_kind TEXT NOT NULL,\n"
   "  subject_id BIGINT NOT NULL,\n"
   "  subject TEXT NOT NULL,\n"
   "  dept_id BIGINT NOT NULL,\n"
   "  due_at BIGINT NOT NULL,\n"
   "  state TEXT NOT NULL CHECK (state IN ('open','done')),\n"
   "  result TEXT NOT NULL DEFAULT '',\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  done_at BIGINT NOT NULL DEFAULT 0,\n"
   "  done_by BIGINT NOT NULL DEFAULT 0\n"
   ");\n"
   "INSERT INTO task_new(id, kind, subject_kind, subject_id, subject, dept_id, due_at, state, result, note,"
   " created_at, done_at, done_by) SELECT t.id, t.kind, 'case', t.case_id, c.case_no, t.dept_id, t.due_at,"
   " t.state, t.result, t.note, t.created_at, t.done_at, t.done_by FROM task t JOIN case_file c ON c.id = t.case_id;\n"
   "DROP TABLE task;\n"
   "ALTER TABLE task_new RENAME TO task;\n"
   "CREATE INDEX task_dept ON task(dept_id, state, due_at);\n"
   "CREATE INDEX task_subject ON task(subject_kind, subject_id);\n"
   /* Effective-dated parameters (params.c); a version ends where the next begins. */
   "CREATE TABLE param_version (\n"
   "  scope TEXT NOT NULL,\n"
   "  key TEXT NOT NULL,\n"
   "  effective_from TEXT NOT NULL,\n"
   "  value TEXT NOT NULL,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  PRIMARY KEY (scope, key, effective_from)\n"
   ");\n"
   /* The values the case engine compiled in until now, so every database
   ** keeps its numbering, bars and clock; another deployment sets its own. */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('cases', 'case_number_prefix', '2000-01-01', '\"JP\"', 0, 0),\n"
   " ('cases', 'notice_number', '2000-01-01', '\"金普审〔{year}〕{mark}字第{seq6}号\"', 0, 0),\n"
   " ('cases', 'promise_bar_days', '2000-01-01', '183', 0, 0),\n"
   " ('cases', 'warn_left_pct', '2000-01-01', '25', 0, 0),\n"
   " ('cases', 'registering_outputs', '2000-01-01', '[\"营业执照\"]', 0, 0);\n"
   /* The wording of each notice, by notice and by item kind (the default
   ** when the kind has none): only a permit's cites the 行政许可法. */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('notice', 'accept', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，申请材料齐全、符合法定形式，本机关决定予以受理，受理日期为{date}。请凭办件编号 {case_no} 查询办理进度。\",\"mark\":\"受\",\"title\":\"受理通知书\"}', 0, 0),\n"
   " ('notice', 'accept:行政许可', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，本机关决定予以受理，受理日期为{date}。请凭办件编号 {case_no} 查询办理进度。\",\"mark\":\"受\",\"title\":\"受理通知书\"}', 0, 0),\n"
   " ('notice', 'accept_rongque', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，基本条件具备、主要申请材料齐全且符合法定形式，但尚缺下列次要材料。根据容缺受理的有关规定，本机关决定予以容缺受理，受理日期为{date}。请于{deadline}前补齐下列材料；逾期未补齐的，本机关将依法终止办理。\",\"mark\":\"容受\",\"title\":\"容缺受理通知书\"}', 0, 0),\n"
   " ('notice', 'correction', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，申请材料不齐全或者不符合法定形式，现将需要补正的全部内容一次告知如下。\",\"mark\":\"补\",\"title\":\"补正告知书\"}', 0, 0),\n"
   " ('notice', 'correction:行政许可', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现将需要补正的全部内容一次告知如下。\",\"mark\":\"补\",\"title\":\"补正告知书\"}', 0, 0),\n"
   " ('notice', 'refuse', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，{reason}。本机关决定不予受理。\",\"mark\":\"不受\",\"title\":\"不予受理决定书\"}', 0, 0),\n"
   " ('notice', 'refuse:行政许可', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，{reason}。根据《中华人民共和国行政许可法》第三十二条第一款的规定，本机关决定不予受理。\",\"mark\":\"不受\",\"title\":\"不予受理决定书\"}', 0, 0),\n"
   " ('notice', 'approve', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，符合规定的条件、标准，本机关决定予以办理。\",\"mark\":\"准\",\"title\":\"办理决定书\"}', 0, 0),\n"
   " ('notice', 'approve:行政许可', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可。\",\"mark\":\"准\",\"title\":\"准予行政许可决定书\"}', 0, 0),\n"
   " ('notice', 'approve:行政确认', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，符合规定的条件，本机关决定予以确认。\",\"mark\":\"准\",\"title\":\"确认决定书\"}', 0, 0),\n"
   " ('notice', 'approve:行政给付', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，符合规定的给付条件，本机关决定予以给付。\",\"mark\":\"准\",\"title\":\"给付决定书\"}', 0, 0),\n"
   " ('notice', 'approve:行政备案', '2000-01-01', '{\"body\":\"你（单位）报送的“{item}”备案材料齐全、符合法定形式，本机关予以备案。\",\"mark\":\"准\",\"title\":\"备案通知书\"}', 0, 0),\n"
   " ('notice', 'deny', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，{reason}。本机关决定不予办理。\",\"mark\":\"不准\",\"title\":\"不予办理决定书\"}', 0, 0),\n"
   " ('notice', 'deny:行政许可', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，{reason}。根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。\",\"mark\":\"不准\",\"title\":\"不予行政许可决定书\"}', 0, 0),\n"
   " ('notice', 'deny:行政确认', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，{reason}。本机关决定不予确认。\",\"mark\":\"不准\",\"title\":\"不予确认决定书\"}', 0, 0),\n"
   " ('notice', 'deny:行政给付', '2000-01-01', '{\"body\":\"你（单位）提出的“{item}”申请，经审查，{reason}。本机关决定不予给付。\",\"mark\":\"不准\",\"title\":\"不予给付决定书\"}', 0, 0),\n"
   " ('notice', 'deny:行政备案', '2000-01-01', '{\"body\":\"你（单位）报送的“{item}”备案材料，经审查，{reason}。本机关不予备案。\",\"mark\":\"不准\",\"title\":\"不予备案通知书\"}', 0, 0),\n"
   " ('notice', 'receipt', '2000-01-01', '{\"body\":\"你（单位）办理的“{item}”事项已于{date}收到，办件编号为 {case_no}。请妥善保管本回执，可凭办件编号在自助终端、政务服务网或办事窗口查询办理进度。\",\"mark\":\"回\",\"title\":\"办事回执\"}', 0, 0);\n",
   NULL,
   /* The rows kept their ids: the identity goes on after them. */
   "SELECT setval(pg_get_serial_sequence('task', 'id'), COALESCE((SELECT MAX(id) FROM task), 0) + 1, false);\n"},
  {7, "issue 12: scope and abuse — one live agency per agent and party; who may apply for an item; signed checkpoints of the audit chain's head; an index for upload quotas; passwords that must be changed",
   /* Agencies: a second live grant of the same agent and party ends (the
   ** first stays), then at most one may be live. */
   "UPDATE agent_grant SET revoked_at = created_at + 1 WHERE revoked_at = 0 AND id NOT IN\n"
   "  (SELECT MIN(id) FROM agent_grant WHERE revoked_at = 0 GROUP BY party, agent_id);\n"
   "CREATE UNIQUE INDEX agent_grant_live ON agent_grant(party, agent_id) WHERE revoked_at = 0;\n"
   /* 服务对象: who may apply for an item — entity (法人), person (自然人) or '' (both). */
   "ALTER TABLE item_version ADD COLUMN parties TEXT NOT NULL DEFAULT '';\n"
   /* A revocation goes through the case and writes its 撤销决定书. */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('notice', 'revoke', '2000-01-01', '{\"body\":\"你（单位）办理的“{item}”（办件编号 {case_no}），经核查，{reason}。本机关决定撤销原办理决定，原出具的证照同时作废。\",\"mark\":\"撤\",\"title\":\"撤销决定书\"}', 0, 0),\n"
   " ('notice', 'revoke:行政许可', '2000-01-01', '{\"body\":\"你（单位）取得的“{item}”（办件编号 {case_no}），经核查，{reason}。根据《中华人民共和国行政许可法》第六十九条的规定，本机关决定撤销该行政许可，原核发的许可证件同时作废。\",\"mark\":\"撤\",\"title\":\"撤销行政许可决定书\"}', 0, 0);\n"
   /* ---- issue 12, item 14 (audit.c): the audit chain's head, signed. ----
   ** One row per checkpoint: the newest event at that instant, its hash and
   ** the number of events up to it, signed with the certificates' Ed25519
   ** key (signing_key); the same line goes to the head file and the log.
   ** audit_verify() requires the chain to hold every checkpoint, so that
   ** deleting the newest events is found. */
   "CREATE TABLE audit_checkpoint (\n"
   "  id @ID@,\n"
   "  event_id BIGINT NOT NULL,\n"   /* the newest event (0: the log was empty) */
   "  events BIGINT NOT NULL,\n"     /* events from the first to event_id */
   "  hash TEXT NOT NULL,\n"         /* event_id's hash */
   "  at BIGINT NOT NULL,\n"         /* when it was made (ms) */
   "  key_id BIGINT NOT NULL,\n"     /* the signing_key that signed it */
   "  signature TEXT NOT NULL\n"     /* hex, of the head line up to \" key=\" (audit.h) */
   ");\n"
   /* ---- end of issue 12, item 14 ---- */
   /* ---- issue 12, uploads (docs.c): each account's stored upload bytes are
   ** summed per upload for its quota (DocsLimits.upload_quota). */
   "CREATE INDEX blob_owner ON blob(owner_id);\n"
   /* ---- end of issue 12, uploads */
   /* --- issue 12, accounts (accounts.c): a password someone else knows
   ** must be changed at the holder's next login. must_change is NULL (the
   ** holder's own password), 'issued' (set by an administrator) or 'demo'
   ** (the demo pack's published password, noticed at login; `serve --demo`
   ** waives it). --- */
   "ALTER TABLE account ADD COLUMN must_change TEXT CHECK (must_change IN ('issued', 'demo'));\n"
   /* --- end of issue 12, accounts --- */,
   NULL, NULL},
  {8, "issue 13: what issuing an item does to the registry (登记效果) and the registry's history of changes",
   /* ---- issue 13, the registry (cases.c, registry.c) ----
   ** 登记效果 is part of the item (catalog.h): only 设立 creates an entity;
   ** 变更 changes the applicant's, 补领 reissues its licence, 注销 ends it.
   ** Existing business-licence items get theirs from their names; the
   ** parameter that named the registering outputs is no longer read. */
   "ALTER TABLE item_version ADD COLUMN registry_effect TEXT NOT NULL DEFAULT '';\n"
   "UPDATE item_version SET registry_effect = CASE\n"
   "  WHEN name LIKE '%补领%' OR name LIKE '%补证%' OR name LIKE '%换发%' THEN 'reissue'\n"
   "  WHEN name LIKE '%变更%' THEN 'change'\n"
   "  ELSE 'register' END\n"
   " WHERE output_kind = '营业执照';\n"
   "UPDATE item_version SET parties = 'entity' WHERE registry_effect IN ('change', 'reissue');\n"
   "DELETE FROM param_version WHERE scope = 'cases' AND key = 'registering_outputs';\n"
   /* 变更记录: every change of an entity, by the API or by a case. */
   "CREATE TABLE entity_change (\n"
   "  id @ID@,\n"
   "  uscc TEXT NOT NULL,\n"
   "  at BIGINT NOT NULL,\n"
   "  actor TEXT NOT NULL,\n"
   "  case_no TEXT NOT NULL DEFAULT '',\n"
   "  changes TEXT NOT NULL\n"     /* {field: [old, new]} */
   ");\n"
   "CREATE INDEX entity_change_uscc ON entity_change(uscc, id);\n"
   /* ---- end of issue 13, the registry */
   /* ---- issue 13, notices: the issuing organ in full (大连金普新区行政审批局). */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('cases', 'organ_prefix', '2000-01-01', '\"大连金普新区\"', 0, 0);\n"
   /* ---- end of issue 13, notices */,
   NULL, NULL},
  {9, "issue 13 (2): the service guide (办事指南) and 主题 of an item, the applicant's contact on a case, each department's notice numbers",
   /* ---- issue 13, the guide (catalog.c) ----
   ** guide: a JSON object of the item's 办事指南 beyond the fixed fields
   ** (catalog.h: place, window, hours, phone, complaint_phone, steps …);
   ** themes: the life events (主题) it belongs to, "|"-separated; keywords:
   ** other names it is searched by (synonyms), "|"-separated. */
   "ALTER TABLE item_version ADD COLUMN guide TEXT NOT NULL DEFAULT '{}';\n"
   "ALTER TABLE item_version ADD COLUMN themes TEXT NOT NULL DEFAULT '';\n"
   "ALTER TABLE item_version ADD COLUMN keywords TEXT NOT NULL DEFAULT '';\n"
   /* 热门事项 counts the cases filed in the last days per item: a range of
   ** this index, read without the table. */
   "CREATE INDEX case_submitted_item ON case_file(submitted_at, item_code) WHERE submitted_at > 0;\n"
   /* ---- end of issue 13, the guide */
   /* ---- issue 13, the apply form (cases.c): 联系人, 联系电话, 邮寄地址 as a
   ** JSON object; '{}' when none was given. */
   "ALTER TABLE case_file ADD COLUMN contact TEXT NOT NULL DEFAULT '{}';\n"
   /* ---- end of issue 13, the apply form */
   /* ---- issue 13, notice numbers (cases.c): each department its own
   ** prefix (文号 字头, e.g. 金普市监) and its own sequence per year. */
   "ALTER TABLE department ADD COLUMN notice_prefix TEXT NOT NULL DEFAULT '';\n"
   "CREATE TABLE notice_seq (\n"
   "  dept_id BIGINT NOT NULL,\n"
   "  year INTEGER NOT NULL,\n"
   "  last BIGINT NOT NULL,\n"
   "  PRIMARY KEY (dept_id, year)\n"
   ");\n"
   /* The format gains the prefix; a department without its own keeps the
   ** area's (cases/notice_prefix), so its numbers read as before. The
   ** seeded format is rewritten in place, not versioned: for such a
   ** department it gives the same text. */
   "UPDATE param_version SET value = '\"{prefix}〔{year}〕{mark}字第{seq6}号\"'\n"
   " WHERE scope = 'cases' AND key = 'notice_number' AND created_by = 0\n"
   "   AND value = '\"金普审〔{year}〕{mark}字第{seq6}号\"';\n"
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('cases', 'notice_prefix', '2000-01-01', '\"金普审\"', 0, 0);\n"
   /* ---- end of issue 13, notice numbers */
   /* The unread message a bundle step's lines join (notify_send()) is found by its subject. */
   "CREATE INDEX outbox_subject ON outbox(subject_kind, subject, id);\n",
   /* Numbers given so far were the notices' ids, shared by every
   ** department: each sequence of a year already used goes on after them. */
   "INSERT INTO notice_seq(dept_id, year, last)\n"
   " SELECT d.id, y.year, y.last FROM department d CROSS JOIN\n"
   "  (SELECT CAST(substr(json_extract(data, '$.date'), 1, 4) AS INTEGER) AS year, MAX(id) AS last\n"
   "     FROM case_notice WHERE number <> '' GROUP BY 1) y;\n",
   "INSERT INTO notice_seq(dept_id, year, last)\n"
   " SELECT d.id, y.year, y.last FROM department d CROSS JOIN\n"
   "  (SELECT CAST(substr(data::json->>'date', 1, 4) AS INTEGER) AS year, MAX(id) AS last\n"
   "     FROM case_notice WHERE number <> '' GROUP BY 1) y;\n"},
  {10, "issue 14: 招商 — investment projects, their investors, stages and funds in place",
   /* A project (invest.h): one owner officer in one department; money in
   ** integer minor units (money.h): planned in 分, planned_usd in cents. */
   "CREATE TABLE invest_project (\n"
   "  id @ID@,\n"
   "  code TEXT NOT NULL,\n"              /* ZS + year + id, set in the same job */
   "  name TEXT NOT NULL,\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  owner_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  industry TEXT NOT NULL,\n"          /* GB/T 4754 门类 A–T */
   "  origin TEXT NOT NULL CHECK (origin IN ('domestic', 'foreign')),\n"
   "  planned BIGINT NOT NULL,\n"
   "  planned_usd BIGINT NOT NULL DEFAULT 0,\n"
   "  stage TEXT NOT NULL,\n"
   "  activity_id BIGINT NOT NULL DEFAULT 0,\n" /* the 招商活动 the lead came from, 0 for none */
   /* The day each stage was reached ('' not yet): the funnel's and the
   ** median days' source. */
   "  lead_on TEXT NOT NULL,\n"
   "  talks_on TEXT NOT NULL DEFAULT '',\n"
   "  signed_on TEXT NOT NULL DEFAULT '',\n"
   "  registered_on TEXT NOT NULL DEFAULT '',\n"
   "  contract_amount BIGINT NOT NULL DEFAULT 0,\n"
   "  uscc TEXT NOT NULL DEFAULT '',\n"
   "  parcel TEXT NOT NULL DEFAULT '',\n"
   "  permit_case TEXT NOT NULL DEFAULT '',\n"
   "  started_on TEXT NOT NULL DEFAULT '',\n"
   "  producing_on TEXT NOT NULL DEFAULT '',\n"
   "  full_on TEXT NOT NULL DEFAULT '',\n"
   "  stop_reason TEXT NOT NULL DEFAULT '',\n"
   "  stopped_from TEXT NOT NULL DEFAULT '',\n"
   "  version INTEGER NOT NULL DEFAULT 1,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  updated_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE UNIQUE INDEX invest_project_code ON invest_project(code);\n"
   "CREATE INDEX invest_project_dept ON invest_project(dept_id, stage);\n"
   "CREATE INDEX invest_project_signed ON invest_project(signed_on);\n"
   "CREATE TABLE invest_investor (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES invest_project(id),\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('entity', 'person', 'foreign')),\n"
   "  code TEXT NOT NULL DEFAULT '',\n"   /* USCC or ID number; '' for a foreign company */
   "  name TEXT NOT NULL,\n"
   "  country TEXT NOT NULL,\n"           /* ISO 3166-1 alpha-2 */
   "  province TEXT NOT NULL DEFAULT '',\n" /* GB/T 2260's two digits, domestic ones */
   "  share_bp INTEGER NOT NULL\n"        /* 1/10,000 of the project */
   ");\n"
   "CREATE INDEX invest_investor_project ON invest_investor(project_id);\n"
   /* Duplicate detection finds the projects of the same investor by these. */
   "CREATE INDEX invest_investor_code ON invest_investor(code) WHERE code <> '';\n"
   "CREATE INDEX invest_investor_name ON invest_investor(name, country);\n"
   "CREATE TABLE invest_event (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES invest_project(id),\n"
   "  at BIGINT NOT NULL,\n"
   "  actor_id BIGINT NOT NULL,\n"
   "  action TEXT NOT NULL,\n"
   "  to_stage TEXT NOT NULL,\n"
   "  note TEXT NOT NULL\n"
   ");\n"
   "CREATE INDEX invest_event_project ON invest_event(project_id, id);\n"
   /* 到位资金: the amount in its currency, the day's rate (yuan per unit,
   ** scaled 10^8) and the yuan it made; foreign funds also in dollars. */
   "CREATE TABLE invest_fund (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES invest_project(id),\n"
   "  on_day TEXT NOT NULL,\n"
   "  amount BIGINT NOT NULL,\n"
   "  currency TEXT NOT NULL,\n"
   "  rate BIGINT NOT NULL,\n"
   "  cny BIGINT NOT NULL,\n"
   "  usd BIGINT NOT NULL DEFAULT 0,\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('fixed', 'working')),\n"
   "  source TEXT NOT NULL CHECK (source IN ('out_of_province', 'in_province', 'foreign')),\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL\n"
   ");\n"
   /* The report reads funds by day and by project from these alone (covering
   ** indexes: a million entries are summed without touching the table). */
   "CREATE INDEX invest_fund_project ON invest_fund(project_id, on_day, kind, cny);\n"
   "CREATE INDEX invest_fund_day ON invest_fund(on_day, source, cny, usd);\n"
   /* 招商活动: a fair, a promotion, a visit … (kinds: parameter invest/activity_kinds). */
   "CREATE TABLE invest_activity (\n"
   "  id @ID@,\n"
   "  kind TEXT NOT NULL,\n"
   "  title TEXT NOT NULL,\n"
   "  start_on TEXT NOT NULL,\n"
   "  end_on TEXT NOT NULL,\n"
   "  city TEXT NOT NULL DEFAULT '',\n"
   "  province TEXT NOT NULL DEFAULT '',\n"  /* GB/T 2260 two digits, in China */
   "  country TEXT NOT NULL,\n"              /* ISO 3166-1 alpha-2 */
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  officers TEXT NOT NULL,\n"             /* JSON array of usernames */
   "  investors_met INTEGER NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX invest_activity_day ON invest_activity(start_on);\n"
   "CREATE INDEX invest_activity_dept ON invest_activity(dept_id, start_on);\n"
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('invest', 'activity_kinds', '2000-01-01', '[\"展会\",\"推介会\",\"外出招商\",\"走访\",\"来访接待\",\"线上洽谈\",\"驻点招商\"]', 0, 0),\n"
   /* The province the area is in: domestic money from elsewhere is 省外资金. */
   " ('invest', 'home_province', '2000-01-01', '\"21\"', 0, 0),\n"
   /* 来电来函 are answered within this many working days. */
   " ('invest', 'inquiry_days', '2000-01-01', '5', 0, 0);\n"
   /* 走访/跟进记录: what was done and the next step with its date; the
   ** project keeps its latest next step, which is due once its day passes. */
   "CREATE TABLE invest_followup (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES invest_project(id),\n"
   "  on_day TEXT NOT NULL,\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('visit', 'call', 'meeting', 'online', 'other')),\n"
   "  note TEXT NOT NULL,\n"
   "  next_step TEXT NOT NULL DEFAULT '',\n"
   "  next_on TEXT NOT NULL DEFAULT '',\n"
   "  created_by BIGINT NOT NULL,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX invest_followup_project ON invest_followup(project_id, id);\n"
   "ALTER TABLE invest_project ADD COLUMN next_step TEXT NOT NULL DEFAULT '';\n"
   "ALTER TABLE invest_project ADD COLUMN next_on TEXT NOT NULL DEFAULT '';\n"
   "CREATE INDEX invest_project_next ON invest_project(next_on) WHERE next_on <> '';\n"
   /* 来电来函: an inquiry and its answer, due in inquiry_days working days. */
   "CREATE TABLE invest_inquiry (\n"
   "  id @ID@,\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  received_on TEXT NOT NULL,\n"
   "  channel TEXT NOT NULL CHECK (channel IN ('phone', 'letter', 'online', 'visit')),\n"
   "  from_name TEXT NOT NULL,\n"
   "  contact TEXT NOT NULL DEFAULT '',\n"
   "  subject TEXT NOT NULL,\n"
   "  due_on TEXT NOT NULL,\n"
   "  answered_on TEXT NOT NULL DEFAULT '',\n"
   "  answer TEXT NOT NULL DEFAULT '',\n"
   "  answered_by BIGINT NOT NULL DEFAULT 0,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX invest_inquiry_due ON invest_inquiry(dept_id, answered_on, due_on);\n",
   NULL, NULL},
  {11, "招商 report: funds in place summed by day and source and per project, kept by triggers in the writing transaction; covering indexes for the report's scans",
   /* What the report sums over a period, kept exact by the triggers below
   ** (created after the backfill): in the same transaction as each row of
   ** invest_fund written, updated or deleted, by any writer (a job, the demo
   ** loader, an import, SQL typed by hand). A summary per day answers any
   ** period from..to exactly: a year of days is at most 3 × 366 rows. */
   "CREATE TABLE invest_fund_by_day (\n"
   "  on_day TEXT NOT NULL,\n"
   "  source TEXT NOT NULL,\n"     /* as invest_fund.source */
   "  cny BIGINT NOT NULL,\n"      /* SUM(invest_fund.cny), 分 */
   "  usd BIGINT NOT NULL,\n"      /* SUM(invest_fund.usd), cents */
   "  PRIMARY KEY (on_day, source)\n"
   ");\n"
   "INSERT INTO invest_fund_by_day(on_day, source, cny, usd)\n"
   " SELECT on_day, source, SUM(cny), SUM(usd) FROM invest_fund GROUP BY on_day, source;\n"
   /* Each project's funds in place, all days: the rates of the projects
   ** signed in a period read these instead of joining every fund entry. */
   "ALTER TABLE invest_project ADD COLUMN fund_cny BIGINT NOT NULL DEFAULT 0;\n"
   "ALTER TABLE invest_project ADD COLUMN fund_fixed_cny BIGINT NOT NULL DEFAULT 0;\n" /* kind 'fixed' */
   "UPDATE invest_project SET fund_cny = t.cny, fund_fixed_cny = t.fixed FROM\n"
   " (SELECT project_id, SUM(cny) AS cny, SUM(CASE WHEN kind = 'fixed' THEN cny ELSE 0 END) AS fixed\n"
   "    FROM invest_fund GROUP BY project_id) t\n"
   " WHERE t.project_id = invest_project.id;\n"
   /* Nothing reads funds by day any more; the summary does. */
   "DROP INDEX invest_fund_day;\n"
   /* Covering indexes for the report's scans of a period: the projects
   ** signed in it (counts, sums, years, industries, officers, rates; id
   ** second, so that the projects come by day and then by id, which the
   ** regions' join reads in that order without sorting), the leads of the
   ** funnel, and each signed project's main investor (the largest share,
   ** then the first entered). */
   "DROP INDEX invest_project_signed;\n"
   "CREATE INDEX invest_project_signed_report ON invest_project(signed_on, id, origin, stage, started_on, industry,"
   " owner_id, contract_amount, fund_cny, fund_fixed_cny);\n"
   "CREATE INDEX invest_project_lead ON invest_project(lead_on, talks_on, signed_on, registered_on, started_on,"
   " producing_on, full_on);\n"
   "CREATE INDEX invest_investor_main ON invest_investor(project_id, share_bp DESC, id, kind, country, province);\n",
   /* SQLite: one trigger per kind of write. A fund's row moves out of its
   ** old sums and into its new ones. */
   "CREATE TRIGGER invest_fund_sum_ai AFTER INSERT ON invest_fund BEGIN\n"
   "  INSERT INTO invest_fund_by_day(on_day, source, cny, usd) VALUES (new.on_day, new.source, new.cny, new.usd)\n"
   "    ON CONFLICT (on_day, source) DO UPDATE SET cny = cny + excluded.cny, usd = usd + excluded.usd;\n"
   "  UPDATE invest_project SET fund_cny = fund_cny + new.cny,\n"
   "    fund_fixed_cny = fund_fixed_cny + CASE WHEN new.kind = 'fixed' THEN new.cny ELSE 0 END\n"
   "    WHERE id = new.project_id;\n"
   "END;\n"
   "CREATE TRIGGER invest_fund_sum_ad AFTER DELETE ON invest_fund BEGIN\n"
   "  UPDATE invest_fund_by_day SET cny = cny - old.cny, usd = usd - old.usd\n"
   "    WHERE on_day = old.on_day AND source = old.source;\n"
   "  UPDATE invest_project SET fund_cny = fund_cny - old.cny,\n"
   "    fund_fixed_cny = fund_fixed_cny - CASE WHEN old.kind = 'fixed' THEN old.cny ELSE 0 END\n"
   "    WHERE id = old.project_id;\n"
   "END;\n"
   "CREATE TRIGGER invest_fund_sum_au AFTER UPDATE OF project_id, on_day, cny, usd, kind, source ON invest_fund BEGIN\n"
   "  UPDATE invest_fund_by_day SET cny = cny - old.cny, usd = usd - old.usd\n"
   "    WHERE on_day = old.on_day AND source = old.source;\n"
   "  UPDATE invest_project SET fund_cny = fund_cny - old.cny,\n"
   "    fund_fixed_cny = fund_fixed_cny - CASE WHEN old.kind = 'fixed' THEN old.cny ELSE 0 END\n"
   "    WHERE id = old.project_id;\n"
   "  INSERT INTO invest_fund_by_day(on_day, source, cny, usd) VALUES (new.on_day, new.source, new.cny, new.usd)\n"
   "    ON CONFLICT (on_day, source) DO UPDATE SET cny = cny + excluded.cny, usd = usd + excluded.usd;\n"
   "  UPDATE invest_project SET fund_cny = fund_cny + new.cny,\n"
   "    fund_fixed_cny = fund_fixed_cny + CASE WHEN new.kind = 'fixed' THEN new.cny ELSE 0 END\n"
   "    WHERE id = new.project_id;\n"
   "END;\n",
   /* PostgreSQL: the same as one trigger function. */
   "CREATE FUNCTION invest_fund_sum() RETURNS trigger LANGUAGE plpgsql AS $$\n"
   "BEGIN\n"
   "  IF TG_OP <> 'INSERT' THEN\n"
   "    UPDATE invest_fund_by_day SET cny = cny - OLD.cny, usd = usd - OLD.usd\n"
   "      WHERE on_day = OLD.on_day AND source = OLD.source;\n"
   "    UPDATE invest_project SET fund_cny = fund_cny - OLD.cny,\n"
   "      fund_fixed_cny = fund_fixed_cny - CASE WHEN OLD.kind = 'fixed' THEN OLD.cny ELSE 0 END\n"
   "      WHERE id = OLD.project_id;\n"
   "  END IF;\n"
   "  IF TG_OP <> 'DELETE' THEN\n"
   "    INSERT INTO invest_fund_by_day AS d (on_day, source, cny, usd) VALUES (NEW.on_day, NEW.source, NEW.cny, NEW.usd)\n"
   "      ON CONFLICT (on_day, source) DO UPDATE SET cny = d.cny + EXCLUDED.cny, usd = d.usd + EXCLUDED.usd;\n"
   "    UPDATE invest_project SET fund_cny = fund_cny + NEW.cny,\n"
   "      fund_fixed_cny = fund_fixed_cny + CASE WHEN NEW.kind = 'fixed' THEN NEW.cny ELSE 0 END\n"
   "      WHERE id = NEW.project_id;\n"
   "  END IF;\n"
   "  RETURN NULL;\n"
   "END\n"
   "$$;\n"
   "CREATE TRIGGER invest_fund_sum AFTER INSERT OR DELETE OR UPDATE OF project_id, on_day, cny, usd, kind, source\n"
   " ON invest_fund FOR EACH ROW EXECUTE FUNCTION invest_fund_sum();\n"},
  {12, "issue 15: 企业梯度培育 — facts per enterprise and year, titles, visits, each enterprise's standing on every rung, rule versions added by administrators",
   /* An enterprise's figures for one year (ladder_data.c): a JSON object of
   ** the keys the facts dictionary names, and for each key where it came
   ** from ({key: source}). */
   "CREATE TABLE ladder_fact (\n"
   "  id @ID@,\n"
   "  entity_id BIGINT NOT NULL REFERENCES entity(id),\n"
   "  year INTEGER NOT NULL,\n"
   "  facts TEXT NOT NULL,\n"
   "  sources TEXT NOT NULL,\n"
   "  updated_at BIGINT NOT NULL,\n"
   "  updated_by BIGINT NOT NULL,\n"
   "  UNIQUE (entity_id, year)\n"
   ");\n"
   "CREATE INDEX ladder_fact_year ON ladder_fact(year, entity_id);\n"
   /* A title (认定): a rung, or rdi (研发机构), held from granted_on to
   ** valid_until unless revoked; renews names the title it follows. */
   "CREATE TABLE ladder_title (\n"
   "  id @ID@,\n"
   "  entity_id BIGINT NOT NULL REFERENCES entity(id),\n"
   "  rung TEXT NOT NULL,\n"
   "  cert_no TEXT NOT NULL,\n"
   "  granted_on TEXT NOT NULL,\n"
   "  valid_until TEXT NOT NULL,\n"
   "  level TEXT NOT NULL CHECK (level IN ('national', 'provincial', 'city', 'district')),\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  renews BIGINT NOT NULL DEFAULT 0,\n"
   "  revoked_on TEXT NOT NULL DEFAULT '',\n"
   "  reason TEXT NOT NULL DEFAULT '',\n"
   "  alerted INTEGER NOT NULL DEFAULT 0,\n" /* the nearest expiry reminder sent (days ahead), 0 none */
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL\n"
   ");\n"
   "CREATE UNIQUE INDEX ladder_title_cert ON ladder_title(rung, cert_no);\n"
   "CREATE INDEX ladder_title_entity ON ladder_title(entity_id, rung, granted_on);\n"
   "CREATE INDEX ladder_title_granted ON ladder_title(rung, granted_on, valid_until, revoked_on, entity_id);\n"
   "CREATE INDEX ladder_title_until ON ladder_title(valid_until, rung);\n"
   /* 走访/辅导 of an enterprise by a department's officers. */
   "CREATE TABLE ladder_visit (\n"
   "  id @ID@,\n"
   "  entity_id BIGINT NOT NULL REFERENCES entity(id),\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  on_day TEXT NOT NULL,\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('visit', 'call', 'meeting', 'online', 'other')),\n"
   "  note TEXT NOT NULL,\n"
   "  next_step TEXT NOT NULL DEFAULT '',\n"
   "  next_on TEXT NOT NULL DEFAULT '',\n"
   "  created_by BIGINT NOT NULL,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX ladder_visit_entity ON ladder_visit(entity_id, id);\n"
   /* Where each enterprise with facts stands on each rung, as of
   ** checked_on (refreshed when its facts or titles change, and daily):
   ** eligible 1 / 0 / -1 unknown; met, unknown and total criteria; near =
   ** met × 10000 / total; held: it holds the rung that day; is_next: the
   ** lowest rung of its track it does not hold (the 培育库 reads these). */
   "CREATE TABLE ladder_standing (\n"
   "  entity_id BIGINT NOT NULL REFERENCES entity(id),\n"
   "  rung TEXT NOT NULL,\n"
   "  checked_on TEXT NOT NULL,\n"
   "  eligible INTEGER NOT NULL,\n"
   "  met INTEGER NOT NULL,\n"
   "  unknown INTEGER NOT NULL,\n"
   "  total INTEGER NOT NULL,\n"
   "  near INTEGER NOT NULL,\n"
   "  held INTEGER NOT NULL,\n"
   "  is_next INTEGER NOT NULL,\n"
   "  gaps TEXT NOT NULL,\n"
   "  PRIMARY KEY (entity_id, rung)\n"
   ");\n"
   "CREATE INDEX ladder_standing_pool ON ladder_standing(rung, is_next, eligible DESC, near DESC, unknown, entity_id);\n"
   /* Rule versions an administrator added (those of data/ladder are built in). */
   "CREATE TABLE ladder_rule (\n"
   "  id @ID@,\n"
   "  rung TEXT NOT NULL,\n"
   "  version INTEGER NOT NULL,\n"
   "  effective_from TEXT NOT NULL,\n"
   "  source TEXT NOT NULL,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (rung, version)\n"
   ");\n"
   /* Which department recognises each rung (and 研发机构), and the title
   ** expiry reminders (days ahead) — data, dated like every parameter. */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('ladder', 'rung_depts', '2000-01-01', '{\"kjxzx\":\"kjj\",\"gaoqi\":\"kjj\",\"rdi\":\"kjj\",\"cxx\":\"gxj\","
   "\"zjtx\":\"gxj\",\"xjr\":\"gxj\",\"dxgj\":\"gxj\"}', 0, 0),\n"
   " ('ladder', 'expiry_alerts', '2000-01-01', '[90, 30]', 0, 0);\n"
   "INSERT INTO task_kind(kind, label, label_en, days, results) VALUES\n"
   " ('title_expiry', '资质到期提醒', 'A title expires soon', 20,"
   "  '[{\"code\":\"renewing\",\"label\":\"企业已申请复审/重新认定\",\"label_en\":\"Renewal applied for\",\"effect\":\"\"},"
   "{\"code\":\"lapse\",\"label\":\"企业不再续期\",\"label_en\":\"Will lapse\",\"effect\":\"\"},"
   "{\"code\":\"noted\",\"label\":\"已告知企业\",\"label_en\":\"Enterprise told\",\"effect\":\"\"}]');\n",
   NULL, NULL},
  {13, "issue 14 帮办: a 企业开办 bundle filed from a 招商 project by its investment officer for one of the project's investors",
   /* The department whose investment officers help (帮办) the bundle's
   ** applicant with it: they see it and act on its children as the
   ** applicant would (bundle_helps()); 0 for a bundle filed by its
   ** applicant, an agent or a clerk. */
   "ALTER TABLE bundle ADD COLUMN helper_dept BIGINT NOT NULL DEFAULT 0;\n"
   "CREATE INDEX bundle_helper ON bundle(helper_dept) WHERE helper_dept <> 0;\n"
   /* The last bundle filed from the project (invest_bundle_file()), which
   ** its 注册 move links when given no other evidence; 0 for none. */
   "ALTER TABLE invest_project ADD COLUMN bundle_id BIGINT NOT NULL DEFAULT 0;\n",
   NULL, NULL},
  {14, "issue 16: 人才政策兑现 — talent records, entitlements and their instalments, the budget ledger per policy and year",
   /* A person's talent record: the facts the policies read (the talent
   ** check's keys, JSON), and where each came from. */
   "CREATE TABLE talent_record (\n"
   "  person_id BIGINT PRIMARY KEY REFERENCES person(id),\n"
   "  facts TEXT NOT NULL,\n"
   "  sources TEXT NOT NULL,\n"
   "  bank_name TEXT NOT NULL DEFAULT '',\n"
   "  bank_account TEXT NOT NULL DEFAULT '',\n"
   "  updated_at BIGINT NOT NULL,\n"
   "  updated_by BIGINT NOT NULL\n"
   ");\n"
   /* An entitlement decided under a policy's rule version on a day, with
   ** the explanation of that decision; one per person and policy.
   ** state: active | stopped (with the reason). */
   "CREATE TABLE talent_entitlement (\n"
   "  id @ID@,\n"
   "  person_id BIGINT NOT NULL REFERENCES person(id),\n"
   "  policy TEXT NOT NULL,\n"
   "  rule_version INTEGER NOT NULL,\n"
   "  decided_on TEXT NOT NULL,\n"
   "  amount_fen BIGINT NOT NULL,\n"
   "  explanation TEXT NOT NULL,\n"
   "  state TEXT NOT NULL DEFAULT 'active',\n"
   "  reason TEXT NOT NULL DEFAULT '',\n"
   "  dept_id BIGINT NOT NULL,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (person_id, policy)\n"
   ");\n"
   /* Its instalments: pending (待复核) → approved (已核准; batch_id when
   ** sent to the bank) → paid (已支付, paid_on), or stopped (停发, with the
   ** reason); a payment the bank refused is approved again, with its
   ** reason. */
   "CREATE TABLE talent_instalment (\n"
   "  id @ID@,\n"
   "  entitlement_id BIGINT NOT NULL REFERENCES talent_entitlement(id),\n"
   "  seq INTEGER NOT NULL,\n"
   "  due TEXT NOT NULL,\n"
   "  amount_fen BIGINT NOT NULL,\n"
   "  state TEXT NOT NULL DEFAULT 'pending',\n"
   "  reason TEXT NOT NULL DEFAULT '',\n"
   "  checked_on TEXT,\n"
   "  decided_at BIGINT,\n"
   "  decided_by BIGINT,\n"
   "  batch_id BIGINT NOT NULL DEFAULT 0,\n"
   "  paid_on TEXT,\n"
   "  UNIQUE (entitlement_id, seq)\n"
   ");\n"
   "CREATE INDEX talent_instalment_batch ON talent_instalment(batch_id) WHERE batch_id <> 0;\n"
   /* A payment batch sent to the bank: sent, then settled when every
   ** payment in it has the bank's result. */
   "CREATE TABLE talent_batch (\n"
   "  id @ID@,\n"
   "  policy TEXT NOT NULL DEFAULT '',\n"
   "  items INTEGER NOT NULL,\n"
   "  total_fen BIGINT NOT NULL,\n"
   "  state TEXT NOT NULL DEFAULT 'sent',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  settled_at BIGINT\n"
   ");\n"
   "CREATE INDEX talent_instalment_due ON talent_instalment(state, due);\n"
   /* The running balances of each policy's budget for a year (the ledger's
   ** sums, kept in the writing transaction). */
   "CREATE TABLE talent_budget (\n"
   "  policy TEXT NOT NULL,\n"
   "  year INTEGER NOT NULL,\n"
   "  appropriation_fen BIGINT NOT NULL DEFAULT 0,\n"
   "  available_fen BIGINT NOT NULL DEFAULT 0,\n"
   "  committed_fen BIGINT NOT NULL DEFAULT 0,\n"
   "  paid_fen BIGINT NOT NULL DEFAULT 0,\n"
   "  PRIMARY KEY (policy, year)\n"
   ");\n"
   /* The ledger: each row moves amount_fen from one account to another. */
   "CREATE TABLE talent_ledger (\n"
   "  id @ID@,\n"
   "  policy TEXT NOT NULL,\n"
   "  year INTEGER NOT NULL,\n"
   "  from_account TEXT NOT NULL,\n"
   "  to_account TEXT NOT NULL,\n"
   "  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),\n"
   "  instalment_id BIGINT NOT NULL DEFAULT 0,\n"
   "  memo TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX talent_ledger_year ON talent_ledger(policy, year, id);\n"
   /* Which department's policy officers keep the talent records. */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('talent', 'dept', '2000-01-01', '\"rsj\"', 0, 0);\n",
   NULL, NULL},
  {15, "issue 16: 紧缺人才需求目录 — editions of the shortage-talent catalogue, their levels, fields, directions and positions",
   /* An edition (talent_catalogue.h): the span of years it covers, its
   ** title and issuer as published, the department that keeps it; demo for
   ** the demo pack's. Editions are never replaced: a new span is a new row. */
   "CREATE TABLE talent_edition (\n"
   "  id @ID@,\n"
   "  year_from INTEGER NOT NULL,\n"
   "  year_to INTEGER NOT NULL,\n"
   "  title TEXT NOT NULL,\n"
   "  issuer TEXT NOT NULL,\n"
   "  published_on TEXT NOT NULL,\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  demo INTEGER NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (year_from, year_to),\n"
   "  CHECK (year_from <= year_to)\n"
   ");\n"
   /* The edition's shortage levels, copied from talent/shortage_levels as
   ** of its publishing day; rank 1 is the most acute. */
   "CREATE TABLE talent_level (\n"
   "  edition_id BIGINT NOT NULL REFERENCES talent_edition(id),\n"
   "  code TEXT NOT NULL,\n"
   "  rank INTEGER NOT NULL,\n"
   "  label TEXT NOT NULL,\n"
   "  label_en TEXT NOT NULL,\n"
   "  stars TEXT NOT NULL,\n"
   "  PRIMARY KEY (edition_id, code)\n"
   ");\n"
   "CREATE TABLE talent_field (\n"
   "  id @ID@,\n"
   "  edition_id BIGINT NOT NULL REFERENCES talent_edition(id),\n"
   "  seq INTEGER NOT NULL,\n"
   "  name TEXT NOT NULL,\n"
   "  UNIQUE (edition_id, name)\n"
   ");\n"
   "CREATE TABLE talent_direction (\n"
   "  id @ID@,\n"
   "  edition_id BIGINT NOT NULL REFERENCES talent_edition(id),\n"
   "  field_id BIGINT NOT NULL REFERENCES talent_field(id),\n"
   "  seq INTEGER NOT NULL,\n"
   "  name TEXT NOT NULL,\n"
   "  UNIQUE (field_id, name)\n"
   ");\n"
   /* A position: its level (a code of the edition's levels); the typical
   ** requirements as the sheet gives them ('' or NULL experience when it
   ** gives none); employers a JSON array of names. seq is its place in the
   ** edition (the file's order). */
   "CREATE TABLE talent_position (\n"
   "  id @ID@,\n"
   "  edition_id BIGINT NOT NULL REFERENCES talent_edition(id),\n"
   "  direction_id BIGINT NOT NULL REFERENCES talent_direction(id),\n"
   "  seq INTEGER NOT NULL,\n"
   "  name TEXT NOT NULL,\n"
   "  level TEXT NOT NULL,\n"
   "  degree TEXT NOT NULL DEFAULT '',\n"
   "  major TEXT NOT NULL DEFAULT '',\n"
   "  experience INTEGER,\n"
   "  industry TEXT NOT NULL DEFAULT '',\n"
   "  employers TEXT NOT NULL DEFAULT '[]',\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  updated_at BIGINT NOT NULL,\n"
   "  updated_by BIGINT NOT NULL,\n"
   "  UNIQUE (direction_id, name),\n"
   "  FOREIGN KEY (edition_id, level) REFERENCES talent_level(edition_id, code)\n"
   ");\n"
   "CREATE INDEX talent_position_edition ON talent_position(edition_id, seq);\n"
   "CREATE INDEX talent_position_level ON talent_position(edition_id, level);\n"
   /* Who keeps the catalogue, and the levels a new edition starts with
   ** (those of many 紧缺人才目录: 特别紧缺 / 比较紧缺 / 一般紧缺, or stars). */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('talent', 'catalogue_dept', '2000-01-01', '\"rsj\"', 0, 0),\n"
   " ('talent', 'shortage_levels', '2000-01-01', '[{\"code\":\"acute\",\"label\":\"特别紧缺\",\"label_en\":\"Acute shortage\","
   "\"stars\":\"★★★\"},{\"code\":\"high\",\"label\":\"比较紧缺\",\"label_en\":\"Marked shortage\",\"stars\":\"★★\"},"
   "{\"code\":\"general\",\"label\":\"一般紧缺\",\"label_en\":\"Shortage\",\"stars\":\"★\"}]', 0, 0);\n",
   NULL, NULL},
  {16, "issue 16: 免申即享 — entitlements granted by the scan over the talent records, awaiting the person's confirmation",
   /* origin: decision (an officer decided it) | scan (免申即享: the scan
   ** found the person covered). A scan's entitlement awaits the person's
   ** confirmation of the bank account (confirmed_at NULL until then), and
   ** its instalments go into no payment batch before it. */
   "ALTER TABLE talent_entitlement ADD COLUMN origin TEXT NOT NULL DEFAULT 'decision';\n"
   "ALTER TABLE talent_entitlement ADD COLUMN confirmed_at BIGINT;\n",
   NULL, NULL},
  {17, "issue 16: talent applications as cases — the catalogue items of the talent policies, the party that reviews a filing before intake (the employer), the case an entitlement decided",
   /* A catalogue item (by code: every version) that applies for a talent
   ** policy (talent_apply.h); employer_review: the employer the form names
   ** confirms the filing before the clerk's intake. */
   "CREATE TABLE talent_item (\n"
   "  item_code TEXT PRIMARY KEY,\n"
   "  policy TEXT NOT NULL,\n"
   "  employer_review INTEGER NOT NULL DEFAULT 0\n"
   ");\n"
   /* The party (USCC) whose account confirms the case before intake, ''
   ** for none; its accounts and agents see the case (cases.c). */
   "ALTER TABLE case_file ADD COLUMN reviewer TEXT NOT NULL DEFAULT '';\n"
   "CREATE INDEX case_file_reviewer ON case_file(reviewer) WHERE reviewer <> '';\n"
   /* The application (case_file.id) an entitlement decided, 0 for none. */
   "ALTER TABLE talent_entitlement ADD COLUMN case_id BIGINT NOT NULL DEFAULT 0;\n"
   "CREATE INDEX talent_entitlement_case ON talent_entitlement(case_id) WHERE case_id <> 0;\n",
   NULL, NULL},
  {18, "issue 16: policy officers edit the talent policies — the rule versions they publish (their parameter versions are platform parameters, scope talent.POLICY); money recovered (追回) from paid instalments",
   /* Rule versions a policy officer published (those of data/talent are
   ** built in); rulebook.c loads them on every server. */
   "CREATE TABLE talent_rule (\n"
   "  id @ID@,\n"
   "  policy TEXT NOT NULL,\n"
   "  version INTEGER NOT NULL,\n"
   "  effective_from TEXT NOT NULL,\n"
   "  source TEXT NOT NULL,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (policy, version)\n"
   ");\n"
   /* 追回: what was paid back of a paid instalment (recovered, when all
   ** of it), and the ledger's account of it per policy and year. */
   "ALTER TABLE talent_instalment ADD COLUMN recovered_fen BIGINT NOT NULL DEFAULT 0;\n"
   "ALTER TABLE talent_budget ADD COLUMN recovered_fen BIGINT NOT NULL DEFAULT 0;\n",
   NULL, NULL},
  {19, "issue 17: indicators (指标) — the catalogue, values by period in versions with their sources, the city's values, targets per year",
   /* The catalogue (indicator.h): code, names, unit and the decimals values
   ** are kept and published with; frequency month | quarter | year;
   ** cumulative 1 for a 累计值 (the year so far, as most Chinese statistics
   ** are reported), 0 for a point value (a rate, a stock, the period's
   ** own figure); the reporting department; city 1 when the city's (大连市)
   ** value of the same indicator is kept, for the share; source entered
   ** (by the department) or computed (by xinqu from its own records: feed
   ** names the computation, indicator_feed_find()); seq its place in the
   ** report; demo 1 for the demo pack's. */
   "CREATE TABLE indicator (\n"
   "  id @ID@,\n"
   "  code TEXT NOT NULL UNIQUE,\n"
   "  name TEXT NOT NULL,\n"
   "  name_en TEXT NOT NULL DEFAULT '',\n"
   "  unit TEXT NOT NULL,\n"
   "  decimals INTEGER NOT NULL DEFAULT 2 CHECK (decimals BETWEEN 0 AND 6),\n"
   "  frequency TEXT NOT NULL CHECK (frequency IN ('month', 'quarter', 'year')),\n"
   "  cumulative INTEGER NOT NULL DEFAULT 1,\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  city INTEGER NOT NULL DEFAULT 0,\n"
   "  source TEXT NOT NULL DEFAULT 'entered' CHECK (source IN ('entered', 'computed')),\n"
   "  feed TEXT NOT NULL DEFAULT '',\n"
   "  seq INTEGER NOT NULL DEFAULT 0,\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  demo INTEGER NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL\n"
   ");\n"
   /* A value of a period: year and seq (the month 1–12, the quarter 1–4,
   ** 0 for a yearly figure) of the area's own series (scope 'area') or the
   ** city's ('city'). A correction is a new version; the old ones stay and
   ** the highest is the value. value is exact (dec.h: 10^-6 units); growth
   ** an official growth rate in per cent entered as such (GDP at
   ** comparable prices), NULL when none, with its basis ('可比价'); source
   ** where the figure comes from (a bulletin, a report), note why a
   ** correction was made. */
   "CREATE TABLE indicator_value (\n"
   "  id @ID@,\n"
   "  indicator_id BIGINT NOT NULL REFERENCES indicator(id),\n"
   "  scope TEXT NOT NULL CHECK (scope IN ('area', 'city')),\n"
   "  year INTEGER NOT NULL,\n"
   "  seq INTEGER NOT NULL,\n"
   "  version INTEGER NOT NULL CHECK (version >= 1),\n"
   "  value BIGINT NOT NULL,\n"
   "  growth BIGINT,\n"
   "  growth_basis TEXT NOT NULL DEFAULT '',\n"
   "  source TEXT NOT NULL,\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (indicator_id, scope, year, seq, version)\n"
   ");\n"
   /* A year's target, in versions likewise: kind growth (value: per cent,
   ** at least or at most by direction), level (value in the indicator's
   ** unit), in_step (growth in step with the growth of ref_id: 居民收入与
   ** 经济增长同步) or text (qualitative, not judged); text as published. */
   "CREATE TABLE indicator_target (\n"
   "  id @ID@,\n"
   "  indicator_id BIGINT NOT NULL REFERENCES indicator(id),\n"
   "  year INTEGER NOT NULL,\n"
   "  version INTEGER NOT NULL CHECK (version >= 1),\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('growth', 'level', 'in_step', 'text')),\n"
   "  value BIGINT,\n"
   "  direction TEXT NOT NULL DEFAULT 'min' CHECK (direction IN ('min', 'max')),\n"
   "  ref_id BIGINT REFERENCES indicator(id),\n"
   "  text TEXT NOT NULL,\n"
   "  source TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (indicator_id, year, version)\n"
   ");\n"
   "CREATE INDEX indicator_target_year ON indicator_target(year, indicator_id, version);\n"
   /* The feed of new market entities counts them by their day of establishment. */
   "CREATE INDEX entity_established ON entity(established);\n"
   /* Whose officials set the targets (发展和改革局 drafts the year's plan,
   ** 统计局 keeps the figures), and the bands of the status rule
   ** (indicator_status()): amber within growth_amber_pts percentage points
   ** below a growth target, within time_amber_pts points of progress
   ** behind time. */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('indicator', 'target_depts', '2000-01-01', '[\"fgj\",\"tjj\"]', 0, 0),\n"
   " ('indicator', 'status_rule', '2000-01-01', '{\"growth_amber_pts\":\"2\",\"time_amber_pts\":\"10\"}', 0, 0);\n",
   NULL, NULL},
  {20, "issue 17: 惠民实事 — the yearly livelihood projects, their milestones, progress, monthly reports, evidence and citizens' ratings",
   /* A project of a year's list (livelihood.h): its lead department, budget
   ** in fen, target as an exact decimal with its unit (2.1 万人次), progress
   ** the newest percent recorded (livelihood_progress keeps every one);
   ** published: shown on the public page; demo: demonstration data. Its
   ** status (on track / behind / done) is computed when read, never kept. */
   "CREATE TABLE livelihood_project (\n"
   "  id @ID@,\n"
   "  year INTEGER NOT NULL,\n"
   "  code TEXT NOT NULL UNIQUE,\n"
   "  title TEXT NOT NULL,\n"
   "  category TEXT NOT NULL,\n"
   "  dept_id BIGINT NOT NULL REFERENCES department(id),\n"
   "  budget_fen BIGINT NOT NULL DEFAULT 0 CHECK (budget_fen >= 0),\n"
   "  target_value TEXT NOT NULL,\n"
   "  target_unit TEXT NOT NULL,\n"
   "  description TEXT NOT NULL DEFAULT '',\n"
   "  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),\n"
   "  published INTEGER NOT NULL DEFAULT 0,\n"
   "  demo INTEGER NOT NULL DEFAULT 0,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  updated_at BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX livelihood_project_year ON livelihood_project(year, dept_id);\n"
   /* Milestones: planned day, and the day reached with its note (NULL: not yet). */
   "CREATE TABLE livelihood_milestone (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES livelihood_project(id),\n"
   "  seq INTEGER NOT NULL,\n"
   "  title TEXT NOT NULL,\n"
   "  planned_on TEXT NOT NULL,\n"
   "  reached_on TEXT,\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  reached_by BIGINT,\n"
   "  UNIQUE (project_id, seq)\n"
   ");\n"
   "CREATE INDEX livelihood_milestone_open ON livelihood_milestone(planned_on) WHERE reached_on IS NULL;\n"
   /* Every progress figure recorded, newest last. */
   "CREATE TABLE livelihood_progress (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES livelihood_project(id),\n"
   "  on_day TEXT NOT NULL,\n"
   "  percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),\n"
   "  note TEXT NOT NULL DEFAULT '',\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX livelihood_progress_project ON livelihood_progress(project_id, id);\n"
   /* The lead department's monthly report (one a month; month YYYY-MM). */
   "CREATE TABLE livelihood_report (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES livelihood_project(id),\n"
   "  month TEXT NOT NULL,\n"
   "  body TEXT NOT NULL,\n"
   "  percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL,\n"
   "  UNIQUE (project_id, month)\n"
   ");\n"
   /* Evidence (uploads, blob) of a milestone reached, a progress figure or a report. */
   "CREATE TABLE livelihood_evidence (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES livelihood_project(id),\n"
   "  kind TEXT NOT NULL CHECK (kind IN ('milestone', 'progress', 'report')),\n"
   "  ref_id BIGINT NOT NULL,\n"
   "  sha256 TEXT NOT NULL REFERENCES blob(sha256),\n"
   "  created_at BIGINT NOT NULL,\n"
   "  created_by BIGINT NOT NULL\n"
   ");\n"
   "CREATE INDEX livelihood_evidence_project ON livelihood_evidence(project_id, kind, ref_id);\n"
   "CREATE INDEX livelihood_evidence_blob ON livelihood_evidence(sha256);\n"
   /* A citizen's rating and comment (one per account and project), moderated
   ** by the lead department: pending → approved | rejected (with a reason). */
   "CREATE TABLE livelihood_comment (\n"
   "  id @ID@,\n"
   "  project_id BIGINT NOT NULL REFERENCES livelihood_project(id),\n"
   "  account_id BIGINT NOT NULL REFERENCES account(id),\n"
   "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),\n"
   "  body TEXT NOT NULL DEFAULT '',\n"
   "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),\n"
   "  reason TEXT NOT NULL DEFAULT '',\n"
   "  moderated_by BIGINT,\n"
   "  moderated_at BIGINT,\n"
   "  created_at BIGINT NOT NULL,\n"
   "  UNIQUE (project_id, account_id)\n"
   ");\n"
   "CREATE INDEX livelihood_comment_state ON livelihood_comment(state, project_id);\n"
   /* The coordinating office that keeps the list for every department (发改局). */
   "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES\n"
   " ('livelihood', 'coord_dept', '2000-01-01', '\"fgj\"', 0, 0);\n",
   NULL, NULL},
  {21, "issue 17: the leaders' board reads a year's indicator values of every indicator at once, and the talent "
       "feeds' figures (entitlements decided, subsidies paid by day) through indexes",
   "CREATE INDEX indicator_value_year ON indicator_value(year, indicator_id, scope, seq, version);\n"
   "CREATE INDEX talent_entitlement_decided ON talent_entitlement(decided_on);\n"
   "CREATE INDEX talent_instalment_paid ON talent_instalment(state, paid_on, amount_fen);\n",
   NULL, NULL},
  {22, "issue 18: one applicant's cases (the case list's party filter), newest first, and a department's share of "
       "them counted, from one index without reading the table",
   "DROP INDEX case_party;\n"
   "CREATE INDEX case_party ON case_file(party, id, dept_id);\n",
   NULL, NULL},
};

const int nMigration = (int)(sizeof migrations / sizeof migrations[0]);
