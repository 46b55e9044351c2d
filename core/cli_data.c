/*
 * cli_data.c — the data commands: init, import and export.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "encoding.h"
#include "strbuf.h"

int cmd_init(cli_env *e, int argc, char **argv)
{
    char **pos;
    int npos;
    int code = cli_parse(e, argc, argv, NULL, 0, &pos, &npos);
    if (code) {
        return code;
    }
    free(pos);
    if (npos) {
        return cli_usage(e, "takes no arguments (the database is --db FILE)");
    }
    shnor *db;
    if ((code = cli_open(e, SHNOR_OPEN_CREATE, &db)) != EXIT_OK) {
        return code;
    }
    int version = 0;
    shnor_schema_version(db, &version);
    fprintf(e->out, "%s: shnor database, schema version %d\n", e->db_path, version);
    shnor_close(db);
    return EXIT_OK;
}

static const struct {
    const char *name;
    shnor_import_kind kind;
    const char *noun; /* what a record is */
} import_kinds[] = {
    {"indicators", SHNOR_IMPORT_INDICATORS, "indicators"},
    {"schools", SHNOR_IMPORT_SCHOOLS, "schools"},
    {"values", SHNOR_IMPORT_VALUES, "values"},
    {"statuses", SHNOR_IMPORT_STATUSES, "statuses"},
    {"listings", SHNOR_IMPORT_LISTINGS, "listings"},
};

int cmd_import(cli_env *e, int argc, char **argv)
{
    const char *encoding = NULL, *separator = NULL, *max_errors = NULL, *user = NULL;
    cli_list map = {0};
    const cli_opt opts[] = {
        {"encoding", OPT_VALUE, &encoding}, {"separator", OPT_VALUE, &separator},
        {"map", OPT_LIST, &map},            {"max-errors", OPT_VALUE, &max_errors},
        {"user", OPT_VALUE, &user},
    };
    char **pos = NULL;
    int npos, code;
    shnor *db = NULL;
    if ((code = cli_parse(e, argc, argv, opts, sizeof opts / sizeof opts[0], &pos, &npos))) {
        cli_list_free(&map);
        return code;
    }
    size_t k = 0;
    while (npos > 0 && k < sizeof import_kinds / sizeof import_kinds[0] &&
           strcmp(import_kinds[k].name, pos[0]) != 0) {
        k++;
    }
    if (npos >= 1 && k == sizeof import_kinds / sizeof import_kinds[0]) {
        code = cli_usage(e, "'%s' is not something to import; expected indicators, schools, "
                            "values, statuses or listings",
                         pos[0]);
        goto done;
    }
    if (npos < 2) {
        code = cli_usage_cmd(e);
        goto done;
    }
    if (!enc_name_known(encoding)) {
        code = cli_usage(e, "--encoding '%s': not an encoding; expected utf-8, cp1251, utf-16 "
                            "or auto (the default: detected)",
                         encoding);
        goto done;
    }
    for (size_t m = 0; m < map.n; m++) {
        if (!strchr(map.items[m], '=')) {
            code = cli_usage(e, "--map '%s' is not of the form column='Header in the file'",
                             map.items[m]);
            goto done;
        }
    }
    shnor_import_options opt = {0};
    opt.encoding = encoding;
    opt.map = map.items;
    opt.nmap = map.n;
    opt.user = user;
    if (separator) {
        if (strcmp(separator, "tab") == 0 || strcmp(separator, "\\t") == 0) {
            opt.separator = '\t';
        } else if (strlen(separator) == 1 && strchr(",;\t", separator[0])) {
            opt.separator = separator[0];
        } else {
            code = cli_usage(e, "--separator '%s': expected ',', ';' or tab", separator);
            goto done;
        }
    }
    if (max_errors) {
        char *end;
        long m = strtol(max_errors, &end, 10);
        if (*end || m < 1 || m > 100000) {
            code = cli_usage(e, "--max-errors '%s': expected a number from 1 to 100000",
                             max_errors);
            goto done;
        }
        opt.max_errors = (int)m;
    }
    /* Only init makes a database: a mistyped --db must not get the data. */
    if ((code = cli_open(e, 0, &db)) != EXIT_OK) {
        goto done;
    }
    /* Each file is its own transaction: a bad file is rejected whole and the
       others still go in. The exit status reports the first failure. */
    for (int i = 1; i < npos; i++) {
        shnor_import_result res;
        int status;
        const char *name = pos[i];
        if (strcmp(name, "-") == 0) {
            strbuf sb = STRBUF_INIT;
            if (sb_read_stream(&sb, stdin) < 0) {
                sb_free(&sb);
                fprintf(e->err, "shnor import: cannot read standard input\n");
                code = code ? code : EXIT_IO;
                continue;
            }
            status = shnor_import_buffer(db, import_kinds[k].kind, "<stdin>", sb.data, sb.len,
                                         &opt, &res);
            name = "<stdin>";
            sb_free(&sb);
        } else {
            status = shnor_import_file(db, import_kinds[k].kind, name, &opt, &res);
        }
        if (status != SHNOR_OK) {
            int c = cli_fail(e, db, status);
            code = code ? code : c;
            continue;
        }
        fprintf(e->out,
                "%s: %ld row%s; %s: %ld new, %ld %s, %ld unchanged (import #%ld)\n", name,
                res.rows, res.rows == 1 ? "" : "s", import_kinds[k].noun, res.inserted,
                res.replaced,
                import_kinds[k].kind == SHNOR_IMPORT_VALUES ? "replaced" : "updated",
                res.unchanged, res.batch);
    }
done:
    shnor_close(db);
    free(pos);
    cli_list_free(&map);
    return code;
}

int cmd_export(cli_env *e, int argc, char **argv)
{
    const char *format = "csv", *output = NULL;
    const cli_opt opts[] = {
        {"format", OPT_VALUE, &format},
        {"output", OPT_VALUE, &output},
    };
    char **pos = NULL;
    int npos, code;
    if ((code = cli_parse(e, argc, argv, opts, 2, &pos, &npos))) {
        return code;
    }
    static const struct {
        const char *name;
        shnor_export_kind kind;
    } kinds[] = {{"indicators", SHNOR_EXPORT_INDICATORS},
                 {"schools", SHNOR_EXPORT_SCHOOLS},
                 {"values", SHNOR_EXPORT_VALUES}};
    size_t k = 0;
    while (npos == 1 && k < 3 && strcmp(kinds[k].name, pos[0]) != 0) {
        k++;
    }
    free(pos);
    if (npos != 1 || k == 3) {
        return cli_usage_cmd(e);
    }
    shnor_format f;
    if ((code = cli_format(e, format,
                           1u << SHNOR_FORMAT_TABLE | 1u << SHNOR_FORMAT_CSV |
                               1u << SHNOR_FORMAT_JSON,
                           &f))) {
        return code;
    }
    shnor *db;
    if ((code = cli_open(e, 0, &db)) != EXIT_OK) {
        return code;
    }
    FILE *out = e->out, *file = NULL;
    if (output && !(out = file = fopen(output, "w"))) {
        fprintf(e->err, "shnor export: cannot write '%s': %s\n", output, strerror(errno));
        shnor_close(db);
        return EXIT_IO;
    }
    /* --format excel-csv filters e->out; the file needs its own filter. */
    if (file && e->excel && !(out = csv_excel_open(file))) {
        fclose(file);
        shnor_close(db);
        fprintf(e->err, "shnor export: out of memory\n");
        return EXIT_FAILURE_OTHER;
    }
    int status = shnor_export(db, kinds[k].kind, f, out);
    if (out != e->out && fclose(out) != 0 && status == SHNOR_OK) {
        status = SHNOR_IO;
    }
    if (file && file != out && fclose(file) != 0 && status == SHNOR_OK) {
        status = SHNOR_IO;
    }
    code = status == SHNOR_OK ? EXIT_OK : cli_fail(e, db, status);
    shnor_close(db);
    return code;
}
