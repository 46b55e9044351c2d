/*
 * shnor.h — the public C API of shnor, a rules engine for identifying schools
 * with low educational results (ШНОР), assigning their roadmaps and checking
 * target indicators, with regional rule packs written in Lua 5.4 and data kept
 * in one SQLite file.
 *
 * Conventions
 *  - Every function that can fail returns an int status: SHNOR_OK (0) or one of
 *    the SHNOR_* codes below. Results go into out-parameters.
 *  - A failing call on a handle leaves a message on it: shnor_errmsg(). The
 *    message names the file, line and column, the value and what was expected
 *    where the failure came from input data.
 *  - Ownership is stated at every pointer that crosses the API. "Borrowed"
 *    pointers stay valid until the named event; "caller frees" means free().
 *  - No global state: two handles never share anything but the database file.
 */
#ifndef SHNOR_H
#define SHNOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kept with every run as what evaluated it: raise it with any change to what
   a pack's result means (a nil, an error, a listing rule), so that a replay
   on a newer build can say why it differs. */
#define SHNOR_VERSION "0.2.0"

/* ---------------------------------------------------------------------------
 * Status codes. The CLI maps them to exit statuses (see README, "Exit codes").
 */
enum {
    SHNOR_OK = 0,
    SHNOR_ERROR = 1,    /* failure not covered by a more precise code */
    SHNOR_MISUSE = 2,   /* the API was called wrongly (NULL handle, bad argument) */
    SHNOR_NOMEM = 3,    /* out of memory in the host (not a pack's memory limit) */
    SHNOR_IO = 4,       /* a file could not be opened, read or written */
    SHNOR_INPUT = 5,    /* input data rejected; nothing from it was written */
    SHNOR_DB = 6,       /* database error: locked too long, disk full, read-only */
    SHNOR_SCHEMA = 7,   /* a newer shnor's database, or another program's SQLite file */
    SHNOR_PACK = 8,     /* a rule pack failed to load, validate or evaluate */
    SHNOR_LIMIT = 9,    /* a rule pack hit its memory, instruction or time limit */
    SHNOR_NOTFOUND = 10, /* a named school, indicator, run or assignment is absent */
    SHNOR_FAILED = 11   /* a check ran and its answer is "no" (pack tests failed,
                           a replay differs) */
};

/* A static English name for a status code ("input", "limit"). Never NULL. */
const char *shnor_errstr(int status);

/* ---------------------------------------------------------------------------
 * The handle: one open database.
 */
typedef struct shnor shnor;

/* Flags for shnor_open. */
#define SHNOR_OPEN_CREATE 0x1   /* create the file when it does not exist */
#define SHNOR_OPEN_READONLY 0x2 /* open for reading only; never migrates */

/*
 * Opens (and with SHNOR_OPEN_CREATE creates) the database at path and brings
 * its schema up to date. A database from a newer shnor is refused with
 * SHNOR_SCHEMA. On success *out is a new handle the caller closes with
 * shnor_close(). On failure *out is still set (unless out is NULL or memory
 * ran out) so that shnor_errmsg() can tell why; close it all the same.
 */
int shnor_open(const char *path, unsigned flags, shnor **out);

/* Closes the handle and frees everything it owns. Accepts NULL. */
void shnor_close(shnor *db);

/*
 * The message of the last failing call on db, or "" after a success.
 * Borrowed: valid until the next call on db.
 */
const char *shnor_errmsg(const shnor *db);

/* The schema version the database is at (PRAGMA user_version). */
int shnor_schema_version(shnor *db, int *version);

/* The schema version this build writes. */
int shnor_schema_latest(void);

/* ---------------------------------------------------------------------------
 * Periods: 2023 (year), 2022/23 (academic year, September to August),
 * 2023-H1 (half year), 2023-Q2 (quarter), 2023-05 (month). Values, not handles.
 */
typedef enum {
    SHNOR_PERIOD_YEAR = 1,
    SHNOR_PERIOD_ACADEMIC = 2, /* year is the autumn year: 2022/23 -> 2022 */
    SHNOR_PERIOD_HALF = 3,     /* sub 1..2 */
    SHNOR_PERIOD_QUARTER = 4,  /* sub 1..4 */
    SHNOR_PERIOD_MONTH = 5     /* sub 1..12 */
} shnor_period_kind;

typedef struct {
    int kind; /* shnor_period_kind; 0 means "no period" */
    int year; /* 1900..2999 */
    int sub;  /* half, quarter or month number; 0 for years */
} shnor_period;

/* Longest canonical period text plus the terminating NUL ("2022/23"). */
#define SHNOR_PERIOD_MAX 8

/*
 * Parses text into *out. Accepts the canonical forms and a few unambiguous
 * variants people type: "2022/2023", "2022\23", "2022\2023" and "2022-2023"
 * for 2022/23, lower-case "2023-h1" and "2023-q2". On failure *out is the
 * invalid period {0}. Anything else fails with SHNOR_INPUT and, when err
 * is not NULL, a message in err that quotes the text and lists the accepted
 * forms.
 */
int shnor_period_parse(const char *text, shnor_period *out, char *err, size_t errlen);

/*
 * Writes the canonical text of p ("2022/23") into buf and returns its length,
 * or 0 when p is not a valid period (buf then holds ""). buf needs
 * SHNOR_PERIOD_MAX bytes.
 */
size_t shnor_period_format(shnor_period p, char *buf, size_t buflen);

/*
 * Orders periods: by first day, then by last day (so 2023-01 < 2023-Q1 <
 * 2023-H1 < 2023), then by kind. Returns <0, 0 or >0.
 */
int shnor_period_compare(shnor_period a, shnor_period b);

/* The period n steps later (n < 0: earlier) of the same kind. */
shnor_period shnor_period_shift(shnor_period p, int n);

/* Calendar days, as days since 1970-01-01 (so differences are day counts). */
typedef int32_t shnor_date;

/* The first and the last day of p. */
shnor_date shnor_period_first_day(shnor_period p);
shnor_date shnor_period_last_day(shnor_period p);

/* Parses a date, YYYY-MM-DD or DD.MM.YYYY (as Russian spreadsheets write it);
   SHNOR_INPUT with a message otherwise. */
int shnor_date_parse(const char *text, shnor_date *out, char *err, size_t errlen);

/* Writes YYYY-MM-DD into buf (11 bytes) and returns 10. */
size_t shnor_date_format(shnor_date d, char *buf, size_t buflen);

/* ---------------------------------------------------------------------------
 * Import and export.
 */
typedef enum {
    SHNOR_IMPORT_INDICATORS = 1, /* code,title,unit,better[,min,max] */
    SHNOR_IMPORT_SCHOOLS = 2,    /* code,name,territory[,kind,settlement,...] */
    SHNOR_IMPORT_VALUES = 3,     /* school,indicator,period,value or wide */
    SHNOR_IMPORT_STATUSES = 4,   /* id,status[,evidence,date,by] */
    SHNOR_IMPORT_LISTINGS = 5    /* earlier listings: school,period,category[,pack,cohort] */
} shnor_import_kind;

typedef struct {
    /* NULL: detect UTF-8 (with or without BOM) or Windows-1251. Otherwise an
       encoding name iconv knows ("utf-8", "cp1251", "windows-1251"). */
    const char *encoding;
    /* 0: detect ',' or ';' (or a tab) from the header line. */
    char separator;
    /* Column mappings "standard=File header" (code='Код ОО'); borrowed for the
       call. */
    const char *const *map;
    size_t nmap;
    /* Stop collecting errors after this many (0: 50). */
    int max_errors;
    /* Who imports, kept with the batch (NULL: $USER). */
    const char *user;
} shnor_import_options;

typedef struct {
    long rows;      /* data rows read (blank lines excluded) */
    long inserted;  /* new records */
    long replaced;  /* records whose value changed; the old value is kept */
    long unchanged; /* records already present with the same value */
    long errors;    /* errors found (the import wrote nothing when > 0) */
    long batch;     /* id of the import batch, 0 when nothing was written */
} shnor_import_result;

/*
 * Imports a CSV file in one transaction: all of it or nothing. On bad input
 * returns SHNOR_INPUT; shnor_errmsg() then holds every error found (up to
 * max_errors), one per line, each naming file:line:column, the value and what
 * was expected. opt may be NULL for defaults; res may be NULL.
 */
int shnor_import_file(shnor *db, shnor_import_kind kind, const char *path,
                      const shnor_import_options *opt, shnor_import_result *res);

/* As shnor_import_file, from a buffer; name is used in messages. */
int shnor_import_buffer(shnor *db, shnor_import_kind kind, const char *name,
                        const char *data, size_t len, const shnor_import_options *opt,
                        shnor_import_result *res);

typedef enum {
    SHNOR_EXPORT_INDICATORS = 1,
    SHNOR_EXPORT_SCHOOLS = 2,
    SHNOR_EXPORT_VALUES = 3
} shnor_export_kind;

typedef enum {
    SHNOR_FORMAT_TABLE = 1,
    SHNOR_FORMAT_CSV = 2,
    SHNOR_FORMAT_JSON = 3
} shnor_format;

/*
 * Writes the indicators, schools or values to out as CSV (UTF-8, ',' separated,
 * header first, rows ordered by key) or JSON. Importing the CSV into an empty
 * database reproduces the same data exactly. SHNOR_FORMAT_TABLE is for people
 * (aligned to out's terminal width, values in their indicator's unit) and is
 * not meant to be imported.
 */
int shnor_export(shnor *db, shnor_export_kind kind, shnor_format format, FILE *out);

/* ---------------------------------------------------------------------------
 * Limits on one rule-pack evaluation. Reaching one ends that evaluation with
 * SHNOR_LIMIT and a message naming the pack, the limit, the criterion, the
 * school and file:line; the process carries on.
 */
typedef struct {
    size_t memory;         /* bytes of Lua memory; default 256 MiB */
    uint64_t instructions; /* Lua VM instructions (and pattern-matching steps);
                              default 2,000,000,000 */
    double seconds;        /* wall time; default 120 */
} shnor_limits;

void shnor_limits_default(shnor_limits *limits);

/* Parses a size like "256M", "1G", "512K", "1048576" (bytes); SHNOR_INPUT
   with a message otherwise. */
int shnor_parse_size(const char *text, size_t *out, char *err, size_t errlen);

/* ---------------------------------------------------------------------------
 * The command line. build/shnor is main() calling this; tests call it too.
 * Writes to out and err; returns the process exit status (README, "Exit codes").
 */
int shnor_cli_main(int argc, char **argv, FILE *out, FILE *err);

#ifdef __cplusplus
}
#endif
#endif /* SHNOR_H */
