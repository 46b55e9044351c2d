/*
 * cli_report.c — `shnor report --run ID --format xlsx|html -o FILE`: a kept
 * run (or several) as a workbook or a printable page (report*.c).
 *
 * The file is written beside its name and renamed into place when complete,
 * so an interrupted report never leaves half a file under the name asked for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "report.h"


/* Appends the run ids of "3" or "3,4" to ids, each once; -1 on a word that
   is none. */
static int parse_ids(const char *s, int64_t **ids, size_t *n, size_t *cap)
{
    while (*s) {
        char *end = NULL;
        errno = 0;
        long long v = *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : 0;
        if (!end || errno || v <= 0 || (*end && *end != ',') || (*end == ',' && !end[1])) {
            return -1; /* "2," too: a second id left out is a mistake to say */
        }
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 8;
            int64_t *nv = realloc(*ids, ncap * sizeof *nv);
            if (!nv) {
                return -1;
            }
            *ids = nv;
            *cap = ncap;
        }
        int seen = 0;
        for (size_t i = 0; i < *n && !seen; i++) {
            seen = (*ids)[i] == v; /* a run named twice is reported once */
        }
        if (!seen) {
            (*ids)[(*n)++] = v;
        }
        s = *end ? end + 1 : end;
    }
    return 0;
}

/* "xlsx" or "html" from --format, else from the output's extension (in any
   case: Windows users write REPORT.XLSX). */
static const char *format_of(const char *format, const char *output)
{
    if (format) {
        return format;
    }
    const char *dot = output ? strrchr(output, '.') : NULL;
    if (dot && strcasecmp(dot, ".xlsx") == 0) {
        return "xlsx";
    }
    if (dot && (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)) {
        return "html";
    }
    return NULL;
}

/* Writes text to path through path.tmp; "-" is standard output. */
static int write_text(cli_env *e, const char *path, const strbuf *text)
{
    if (strcmp(path, "-") == 0) {
        return fwrite(text->data, 1, text->len, e->out) == text->len ? EXIT_OK : EXIT_IO;
    }
    strbuf tmp = STRBUF_INIT;
    sb_printf(&tmp, "%s.tmp", path);
    FILE *f = sb_failed(&tmp) ? NULL : fopen(tmp.data, "wb");
    int ok = f && fwrite(text->data, 1, text->len, f) == text->len;
    if (f && fclose(f) != 0) {
        ok = 0;
    }
    if (ok && rename(tmp.data, path) != 0) {
        ok = 0;
    }
    if (!ok) {
        fprintf(e->err, "shnor report: cannot write '%s': %s\n", path, strerror(errno));
        if (f) {
            remove(tmp.data);
        }
    }
    sb_free(&tmp);
    return ok ? EXIT_OK : EXIT_IO;
}

int cmd_report(cli_env *e, int argc, char **argv)
{
    const char *format = NULL, *output = NULL;
    cli_list runs = {0};
    const cli_opt opts[] = {{"run", OPT_LIST, &runs},
                            {"format", OPT_VALUE, &format},
                            {"output", OPT_VALUE, &output}};
    /* -o is the short form of --output (cli_parse). */
    int code = cli_parse_options(e, argc, argv, opts, 3);
    if (code) {
        cli_list_free(&runs);
        return code;
    }
    int64_t *ids = NULL;
    size_t nids = 0, cap = 0;
    for (size_t i = 0; i < runs.n && code == 0; i++) {
        if (parse_ids(runs.items[i], &ids, &nids, &cap) != 0) {
            code = cli_usage(e,
                             "--run '%s': expected a run id (see 'shnor runs'), or ids "
                             "separated by commas",
                             runs.items[i]);
        }
    }
    cli_list_free(&runs);
    const char *fmt = format_of(format, output);
    if (code == 0 && (nids == 0 || !output)) {
        code = cli_usage_cmd(e);
    } else if (code == 0 && !fmt) {
        code = cli_usage(e,
                         "cannot tell the format from the file name '%s'; name it .xlsx or "
                         ".html, or give --format xlsx|html",
                         output);
    } else if (code == 0 && strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "html") != 0) {
        code = cli_usage(e, "--format '%s' is not one of xlsx, html", fmt);
    } else if (code == 0 && strcmp(fmt, "xlsx") == 0 && strcmp(output, "-") == 0) {
        code = cli_usage(e, "an XLSX report needs a file name: -o FILE.xlsx");
    }
    if (code) {
        free(ids);
        return code;
    }
    shnor *db = NULL;
    if ((code = cli_open(e, SHNOR_OPEN_READONLY, &db)) != EXIT_OK) {
        free(ids);
        return code;
    }
    report *r = NULL;
    int status = report_load(db, ids, nids, &r);
    if (status == SHNOR_OK && strcmp(fmt, "xlsx") == 0) {
        status = report_write_xlsx(db, r, output);
    } else if (status == SHNOR_OK) {
        strbuf page = STRBUF_INIT;
        if (report_write_html(r, &page) != 0) {
            status = shnor_seterr(db, SHNOR_NOMEM, "out of memory writing the report");
        } else {
            code = write_text(e, output, &page);
        }
        sb_free(&page);
    }
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
    } else if (code == EXIT_OK && strcmp(output, "-") != 0) {
        for (size_t k = 0; k < r->nruns; k++) {
            const report_run *rr = &r->runs[k];
            fprintf(
                e->out,
                "%s: запуск #%lld (%s, период %s): строк списка %zu, строк целей %zu, "
                "поручений %zu, прочитанных значений %zu\n",
                output, (long long)rr->run.id, rr->run.pack_id, rr->run.period,
                rr->nlisting, rr->ntargets, rr->nitems, rr->nreads);
        }
    }
    report_free(r);
    shnor_close(db);
    free(ids);
    return code;
}
