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
 * period, created idempotently by `roadmap --apply`. A status a person set is
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
    "  UNIQUE (activity_id, owner, period, due)\n"
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

const char *const schema_migrations[] = {
    migration_1,
    migration_2,
};

const int schema_latest = (int)(sizeof schema_migrations / sizeof schema_migrations[0]);
