/*
 * fuzz_csv.c — libFuzzer harness for reading a spreadsheet's bytes: encoding
 * detection and conversion (enc_to_utf8), then the CSV reader (csv_open,
 * csv_next) over the text, with every separator choice; every field written
 * back with csv_put_field must read back as the same field.
 *
 * Properties checked beyond "no crash, no leak, no undefined behaviour":
 *  - a field's reported length is its strlen (no NUL inside a field);
 *  - field lines never decrease and never precede the record's line;
 *  - a record written back with csv_put_field reads back as the same fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "encoding.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dup_text(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Writes rec back with sep and reads it again: the same fields come back.
   The record goes after a first line, as a record of a file does (a text that
   begins with U+FEFF loses it as a byte-order mark). */
static void round_trip(const csv_record *rec, char sep)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "x\n");
    for (size_t i = 0; i < rec->nfields; i++) {
        if (i) {
            sb_putc(&sb, sep);
        }
        csv_put_field(&sb, rec->fields[i], rec->lens[i], sep);
    }
    sb_putc(&sb, '\n');
    /* A record of one empty field writes an empty line, which reads as blank. */
    int single_empty = rec->nfields == 1 && rec->lens[0] == 0;
    char *copy = dup_text(sb.data, sb.len);
    csv_reader *r = NULL;
    if (copy && csv_open(copy, sb.len, sep, &r) == 0) {
        csv_record back;
        char err[256];
        int got = csv_next(r, &back, err, sizeof err);
        if (got == 1) {
            got = csv_next(r, &back, err, sizeof err);
        }
        if (!single_empty) {
            if (got != 1 || back.nfields != rec->nfields) {
                fprintf(stderr, "written back as [%s]: %d, %zu fields, not %zu\n",
                        sb.data, got, got == 1 ? back.nfields : 0, rec->nfields);
                abort();
            }
            for (size_t i = 0; i < rec->nfields; i++) {
                if (back.lens[i] != rec->lens[i] ||
                    memcmp(back.fields[i], rec->fields[i], rec->lens[i]) != 0) {
                    fprintf(stderr, "field %zu [%s] written back as [%s] reads [%s]\n", i,
                            rec->fields[i], sb.data, back.fields[i]);
                    abort();
                }
            }
        }
    }
    csv_close(r);
    sb_free(&sb);
}

static void read_all(const char *text, size_t len, char sep)
{
    char *copy = dup_text(text, len);
    csv_reader *r = NULL;
    if (!copy || csv_open(copy, len, sep, &r) != 0) {
        return;
    }
    char used = csv_separator(r);
    csv_record rec;
    char err[256];
    long last = 0;
    int got, n = 0;
    while ((got = csv_next(r, &rec, err, sizeof err)) == 1) {
        if (rec.line < last) {
            abort();
        }
        last = rec.line;
        for (size_t i = 0; i < rec.nfields; i++) {
            if (strlen(rec.fields[i]) != rec.lens[i] || rec.field_lines[i] < rec.line ||
                (i && rec.field_lines[i] < rec.field_lines[i - 1])) {
                abort();
            }
        }
        if (n++ < 8) {
            round_trip(&rec, used);
        }
    }
    if (got == -1 && err[0] == '\0') {
        abort(); /* an error always says what is wrong */
    }
    csv_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    const char *used = NULL;
    char err[256];
    if (enc_to_utf8((const char *)data, size, NULL, &text, &len, &used, err,
                    sizeof err) == 0) {
        if (strlen(text) != len) {
            abort(); /* converted text has no NUL inside */
        }
        read_all(text, len, 0);
        read_all(text, len, ';');
        read_all(text, len, '\t');
        free(text);
    } else if (err[0] == '\0') {
        abort();
    }
    /* The forced encodings go through iconv. */
    static const char *const forced[] = {"utf-8", "cp1251"};
    for (size_t i = 0; i < sizeof forced / sizeof forced[0]; i++) {
        text = NULL;
        if (enc_to_utf8((const char *)data, size, forced[i], &text, &len, &used, err,
                        sizeof err) == 0) {
            free(text);
        }
    }
    return 0;
}
