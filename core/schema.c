/*
 * schema.c — the database schema as a list of forward migrations.
 *
 * Migration i (from 1) brings a database from user_version i-1 to i. A
 * migration is never edited once released: a change is a new migration at
 * the end. Tables are STRICT, so '12,5' can never be stored in a REAL column
 * as text.
 *
 * Observations carry no REFERENCES clause: a foreign-key check costs two index
 * lookups per row, a third of national import speed (measured: 540k rows/s
 * without, 410k with). The importer resolves every school and indicator
 * before it writes, and shnor never deletes a school or an indicator.
 */
#include "schemaInt.h"

#include <stddef.h>

static const char *const migration_1 =
    "CREATE TABLE meta (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE territories (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  parent_id INTEGER REFERENCES territories(id)\n"
    ") STRICT;\n"
    "CREATE TABLE schools (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  territory_id INTEGER NOT NULL REFERENCES territories(id),\n"
    "  kind TEXT,\n"
    "  settlement TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX schools_territory ON schools(territory_id);\n"
    "CREATE TABLE school_attrs (\n"
    "  school_id INTEGER NOT NULL REFERENCES schools(id),\n"
    "  name TEXT NOT NULL,\n"
    "  value TEXT NOT NULL,\n"
    "  PRIMARY KEY (school_id, name)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE indicators (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  title TEXT NOT NULL,\n"
    "  unit TEXT NOT NULL CHECK (unit IN ('share','percent','score','count','index','flag')),\n"
    "  better TEXT NOT NULL CHECK (better IN ('higher','lower')),\n"
    "  min REAL,\n"
    "  max REAL\n"
    ") STRICT;\n"
    /* One row per imported file (and per run's stored results, later). */
    "CREATE TABLE batches (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  encoding TEXT,\n"
    "  rows INTEGER NOT NULL DEFAULT 0,\n"
    "  inserted INTEGER NOT NULL DEFAULT 0,\n"
    "  replaced INTEGER NOT NULL DEFAULT 0,\n"
    "  unchanged INTEGER NOT NULL DEFAULT 0,\n"
    "  user TEXT NOT NULL,\n"
    "  at TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE observations (\n"
    "  indicator_id INTEGER NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  school_id INTEGER NOT NULL,\n"
    "  value REAL NOT NULL,\n"
    "  batch_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (indicator_id, period, school_id)\n"
    ") STRICT, WITHOUT ROWID;\n"
    /* Every value an import replaced, with the batch that had written it and
       the batch that replaced it: nothing imported is ever lost. */
    "CREATE TABLE observation_history (\n"
    "  indicator_id INTEGER NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  school_id INTEGER NOT NULL,\n"
    "  replaced_by INTEGER NOT NULL REFERENCES batches(id),\n"
    "  value REAL NOT NULL,\n"
    "  batch_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (indicator_id, period, school_id, replaced_by)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TRIGGER observations_keep_previous\n"
    "AFTER UPDATE OF value ON observations\n"
    "WHEN OLD.value IS NOT NEW.value\n"
    "BEGIN\n"
    "  INSERT INTO observation_history\n"
    "    (indicator_id, period, school_id, replaced_by, value, batch_id)\n"
    "  VALUES (OLD.indicator_id, OLD.period, OLD.school_id, NEW.batch_id,\n"
    "          OLD.value, OLD.batch_id);\n"
    "END;\n";


/*
 * 2: roadmaps. Activities are the catalogue a pack declares; assignments are
 * what a school (or the territory's own office, owner '') must do in a
 * period, created idempotently by `roadmap --apply`: one activity, owner and
 * deadline is one assignment, whichever period's roadmap made it first (a plan
 * for 2023-2024 dated «февраль 2024» is not owed twice). A status a person set is
 * kept in the row and every change is logged, so a re-run never overwrites
 * it. Overrides include or exclude a school by hand, with who and why.
 * Listings are earlier lists imported as data, used when no run holds them.
 */
static const char *const migration_2 =
    "CREATE TABLE activities (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  pack_id TEXT NOT NULL,\n"
    "  key TEXT NOT NULL,\n"
    "  section TEXT NOT NULL DEFAULT '',\n"
    "  title TEXT NOT NULL,\n"
    "  due_text TEXT NOT NULL DEFAULT '',\n"
    "  responsible TEXT NOT NULL DEFAULT '',\n"
    "  coexecutors TEXT NOT NULL DEFAULT '',\n"
    "  result TEXT NOT NULL DEFAULT '',\n"
    "  indicator TEXT NOT NULL DEFAULT '',\n"
    "  document TEXT NOT NULL DEFAULT '',\n"
    "  position INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE (pack_id, key)\n"
    ") STRICT;\n"
    "CREATE TABLE assignments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  activity_id INTEGER NOT NULL REFERENCES activities(id),\n"
    "  owner TEXT NOT NULL,\n"
    "  school_id INTEGER REFERENCES schools(id),\n"
    "  period TEXT NOT NULL,\n"
    "  start TEXT NOT NULL,\n"
    "  due TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'planned'\n"
    "    CHECK (status IN ('planned','in_progress','done','cancelled')),\n"
    "  evidence TEXT,\n"
    "  status_date TEXT,\n"
    "  status_by TEXT,\n"
    "  created_at TEXT NOT NULL,\n"
    "  created_by TEXT NOT NULL,\n"
    "  UNIQUE (activity_id, owner, due)\n"
    ") STRICT;\n"
    "CREATE INDEX assignments_school ON assignments(owner, due);\n"
    "CREATE TABLE assignment_history (\n"
    "  assignment_id INTEGER NOT NULL REFERENCES assignments(id),\n"
    "  at TEXT NOT NULL,\n"
    "  status TEXT NOT NULL,\n"
    "  evidence TEXT,\n"
    "  status_date TEXT,\n"
    "  status_by TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX assignment_history_id ON assignment_history(assignment_id);\n"
    "CREATE TRIGGER assignments_log_status\n"
    "AFTER UPDATE OF status, evidence, status_date ON assignments\n"
    "BEGIN\n"
    "  INSERT INTO assignment_history\n"
    "    (assignment_id, at, status, evidence, status_date, status_by)\n"
    "  VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NEW.status,\n"
    "          NEW.evidence, NEW.status_date, NEW.status_by);\n"
    "END;\n"
    "CREATE TABLE overrides (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  school_id INTEGER NOT NULL REFERENCES schools(id),\n"
    "  period TEXT NOT NULL,\n"
    "  pack_id TEXT NOT NULL DEFAULT '',\n"
    "  category TEXT NOT NULL,\n"
    "  action TEXT NOT NULL CHECK (action IN ('include','exclude')),\n"
    "  reason TEXT NOT NULL,\n"
    "  by TEXT NOT NULL,\n"
    "  at TEXT NOT NULL,\n"
    "  revoked_at TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX overrides_period ON overrides(period, school_id);\n"
    "CREATE TABLE listings (\n"
    "  school_id INTEGER NOT NULL REFERENCES schools(id),\n"
    "  period TEXT NOT NULL,\n"
    "  pack_id TEXT NOT NULL DEFAULT '',\n"
    "  category TEXT NOT NULL,\n"
    "  cohort TEXT NOT NULL DEFAULT '',\n"
    "  batch_id INTEGER NOT NULL REFERENCES batches(id),\n"
    "  PRIMARY KEY (period, pack_id, category, school_id)\n"
    ") STRICT, WITHOUT ROWID;\n";

/*
 * 3: runs, the kept record of an evaluation. A run is append-only: triggers
 * refuse every UPDATE and DELETE of it and of its parts. Pack sources are
 * content-addressed (the SHA-256 of the text) and stored once however many
 * runs used them. A run keeps what it read as per-column fingerprints and the
 * last import batch it could see, so replay can name what changed since.
 */
static const char *const migration_3 =
    "CREATE TABLE sources (\n"
    "  sha256 TEXT PRIMARY KEY,\n"
    "  text TEXT NOT NULL\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  pack_id TEXT NOT NULL,\n"
    "  pack_version TEXT NOT NULL,\n"
    "  pack_title TEXT NOT NULL,\n"
    "  pack_order TEXT NOT NULL,\n"
    "  pack_path TEXT NOT NULL,\n"
    "  pack_sha256 TEXT NOT NULL REFERENCES sources(sha256),\n"
    "  period TEXT NOT NULL,\n"
    "  listing_period TEXT NOT NULL,\n"
    "  data_sha256 TEXT NOT NULL,\n"
    "  last_batch INTEGER NOT NULL,\n"
    "  user TEXT NOT NULL,\n"
    "  started_at TEXT NOT NULL,\n"
    "  finished_at TEXT NOT NULL,\n"
    "  mem_limit INTEGER NOT NULL,\n"
    "  instr_limit INTEGER NOT NULL,\n"
    "  time_limit REAL NOT NULL,\n"
    "  schools INTEGER NOT NULL,\n"
    "  listed INTEGER NOT NULL,\n"
    "  insufficient INTEGER NOT NULL,\n"
    "  assignments INTEGER NOT NULL,\n"
    "  roadmap_applied INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX runs_pack_period ON runs(pack_id, listing_period);\n"
    "CREATE TABLE run_modules (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  name TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL REFERENCES sources(sha256),\n"
    "  PRIMARY KEY (run_id, name)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE run_columns (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  indicator TEXT NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  count INTEGER NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  PRIMARY KEY (run_id, indicator, period)\n"
    ") STRICT, WITHOUT ROWID;\n"
    ;
static const char *const migration_3_results =
    "CREATE TABLE run_listings (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  school TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  territory TEXT NOT NULL,\n"
    "  category TEXT NOT NULL,\n"
    "  category_title TEXT NOT NULL,\n"
    "  status TEXT NOT NULL,\n"
    "  criteria TEXT NOT NULL,\n"
    "  cohort TEXT NOT NULL,\n"
    "  mentor TEXT NOT NULL,\n"
    "  override TEXT NOT NULL,\n"
    "  explanation TEXT NOT NULL,\n"
    "  json TEXT NOT NULL,\n"
    "  PRIMARY KEY (run_id, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE run_reads (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  listing_seq INTEGER NOT NULL,\n"
    "  criterion TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  indicator TEXT NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  value REAL,\n"
    "  PRIMARY KEY (run_id, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE run_targets (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  target TEXT NOT NULL,\n"
    "  title TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  meaning TEXT NOT NULL,\n"
    "  scope TEXT NOT NULL,\n"
    "  indicator TEXT NOT NULL,\n"
    "  unit TEXT NOT NULL,\n"
    "  baseline_period TEXT NOT NULL,\n"
    "  baseline REAL,\n"
    "  period TEXT NOT NULL,\n"
    "  actual REAL,\n"
    "  threshold REAL,\n"
    "  comparison TEXT NOT NULL,\n"
    "  status TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  method TEXT NOT NULL,\n"
    "  checkpoint TEXT NOT NULL,\n"
    "  listed_in TEXT NOT NULL,\n"
    "  json TEXT NOT NULL,\n"
    "  PRIMARY KEY (run_id, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE run_roadmap (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  activity TEXT NOT NULL,\n"
    "  section TEXT NOT NULL,\n"
    "  title TEXT NOT NULL,\n"
    "  due_text TEXT NOT NULL,\n"
    "  responsible TEXT NOT NULL,\n"
    "  coexecutors TEXT NOT NULL,\n"
    "  result TEXT NOT NULL,\n"
    "  indicator TEXT NOT NULL,\n"
    "  document TEXT NOT NULL,\n"
    "  owner TEXT NOT NULL,\n"
    "  start TEXT NOT NULL,\n"
    "  due TEXT NOT NULL,\n"
    "  assignment_id INTEGER,\n"
    "  PRIMARY KEY (run_id, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    ;
/* The string is split in two: C99 promises only 4095 characters of a literal. */
static const char *const migration_3_triggers =
    "CREATE TRIGGER runs_no_update BEFORE UPDATE ON runs\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_listings_no_update BEFORE UPDATE ON run_listings\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_listings_no_delete BEFORE DELETE ON run_listings\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_targets_no_update BEFORE UPDATE ON run_targets\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_targets_no_delete BEFORE DELETE ON run_targets\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_reads_no_update BEFORE UPDATE ON run_reads\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_reads_no_delete BEFORE DELETE ON run_reads\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_roadmap_no_update BEFORE UPDATE ON run_roadmap\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_roadmap_no_delete BEFORE DELETE ON run_roadmap\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_modules_no_update BEFORE UPDATE ON run_modules\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_modules_no_delete BEFORE DELETE ON run_modules\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_columns_no_update BEFORE UPDATE ON run_columns\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_columns_no_delete BEFORE DELETE ON run_columns\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER sources_no_update BEFORE UPDATE ON sources\n"
    "BEGIN SELECT RAISE(ABORT, 'stored pack sources never change'); END;\n"
    "CREATE TRIGGER sources_no_delete BEFORE DELETE ON sources\n"
    "BEGIN SELECT RAISE(ABORT, 'stored pack sources never change'); END;\n";

/* INSERT OR REPLACE would go around the delete triggers (they fire on a
   REPLACE only with recursive_triggers on), and a plain INSERT could add to
   a kept run: a run is sealed as the last step of its transaction, and no
   part goes into a sealed run or over a row. */
static const char *const migration_3_guards =
    "CREATE TABLE run_seals (\n"
    "  run_id INTEGER PRIMARY KEY REFERENCES runs(id)\n"
    ") STRICT;\n"
    "CREATE TRIGGER run_seals_once BEFORE INSERT ON run_seals\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_seals_no_update BEFORE UPDATE ON run_seals\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_seals_no_delete BEFORE DELETE ON run_seals\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_modules_no_replace BEFORE INSERT ON run_modules\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "  OR EXISTS (SELECT 1 FROM run_modules WHERE run_id = NEW.run_id AND name = NEW.name)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_columns_no_replace BEFORE INSERT ON run_columns\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "  OR EXISTS (SELECT 1 FROM run_columns WHERE run_id = NEW.run_id AND indicator = NEW.indicator AND period = NEW.period)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_listings_no_replace BEFORE INSERT ON run_listings\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "  OR EXISTS (SELECT 1 FROM run_listings WHERE run_id = NEW.run_id AND seq = NEW.seq)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_reads_no_replace BEFORE INSERT ON run_reads\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "  OR EXISTS (SELECT 1 FROM run_reads WHERE run_id = NEW.run_id AND seq = NEW.seq)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_targets_no_replace BEFORE INSERT ON run_targets\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "  OR EXISTS (SELECT 1 FROM run_targets WHERE run_id = NEW.run_id AND seq = NEW.seq)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER run_roadmap_no_replace BEFORE INSERT ON run_roadmap\n"
    "WHEN EXISTS (SELECT 1 FROM run_seals WHERE run_id = NEW.run_id)\n"
    "  OR EXISTS (SELECT 1 FROM run_roadmap WHERE run_id = NEW.run_id AND seq = NEW.seq)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER runs_no_replace BEFORE INSERT ON runs\n"
    "WHEN EXISTS (SELECT 1 FROM runs WHERE id = NEW.id)\n"
    "BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;\n"
    "CREATE TRIGGER sources_no_replace BEFORE INSERT ON sources\n"
    "WHEN EXISTS (SELECT 1 FROM sources WHERE sha256 = NEW.sha256 AND text IS NOT NEW.text)\n"
    "BEGIN SELECT RAISE(ABORT, 'stored pack sources never change'); END;\n";

/*
 * 4: a roadmap that is applied again withdraws what it no longer makes (a
 * school excluded or no longer listed, an activity or deadline the pack
 * changed). status_auto says the status is still the one shnor gave: 1 from
 * creation until a person sets one. Only such an assignment is withdrawn
 * (cancelled, with the reason as evidence) or, when the roadmap makes it
 * again, restored. An assignment with any logged change was set by a person.
 */
static const char *const migration_4 =
    "ALTER TABLE assignments ADD COLUMN status_auto INTEGER NOT NULL DEFAULT 1;\n"
    "UPDATE assignments SET status_auto = 0\n"
    "  WHERE id IN (SELECT assignment_id FROM assignment_history);\n"
    "CREATE INDEX assignments_period ON assignments(period, activity_id);\n";

/*
 * 5: the history keeps the period an assignment is owed in, so that a
 * restore that moves it to a later period's roadmap (store_assignment_restore)
 * is on record as well as its status.
 */
static const char *const migration_5 =
    "ALTER TABLE assignment_history ADD COLUMN period TEXT;\n"
    "DROP TRIGGER assignments_log_status;\n"
    "CREATE TRIGGER assignments_log_status\n"
    "AFTER UPDATE OF status, evidence, status_date, period ON assignments\n"
    "BEGIN\n"
    "  INSERT INTO assignment_history\n"
    "    (assignment_id, at, status, evidence, status_date, status_by, period)\n"
    "  VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NEW.status,\n"
    "          NEW.evidence, NEW.status_date, NEW.status_by, NEW.period);\n"
    "END;\n";

/*
 * 6: the school register's attribute columns by name, kept even when every
 * cell of one is empty: a pack reading such a column (ИСБ not filled in yet)
 * finds schools without the value (insufficient data), where a name no
 * column has is misspelt (the pack's error). Filled from the values kept.
 */
static const char *const migration_6 =
    "CREATE TABLE attr_columns (\n"
    "  name TEXT PRIMARY KEY\n"
    ") STRICT, WITHOUT ROWID;\n"
    "INSERT INTO attr_columns (name) SELECT DISTINCT name FROM school_attrs;\n";

/*
 * 7: a run keeps what evaluated it (shnor's version and Lua's): a replay on
 * another build can differ where the engine's rules changed, and says so.
 * Runs kept before have '' (not known).
 */
static const char *const migration_7 =
    "ALTER TABLE runs ADD COLUMN engine TEXT NOT NULL DEFAULT '';\n";

static const char *const version_1[] = {migration_1, NULL};
static const char *const version_2[] = {migration_2, NULL};
static const char *const version_3[] = {migration_3, migration_3_results, migration_3_triggers,
                                        migration_3_guards, NULL};
static const char *const version_4[] = {migration_4, NULL};
static const char *const version_5[] = {migration_5, NULL};
static const char *const version_6[] = {migration_6, NULL};
static const char *const version_7[] = {migration_7, NULL};

const char *const *const schema_migrations[] = {
    version_1,
    version_2,
    version_3,
    version_4,
    version_5,
    version_6,
    version_7,
};

const int schema_latest = (int)(sizeof schema_migrations / sizeof schema_migrations[0]);
