/*
 * fuzz_import.c — libFuzzer harness for the importer through the public API:
 * shnor_import_buffer of every kind (indicators, schools, values, statuses,
 * listings) into a fresh in-memory database that already holds a few
 * indicators and schools.
 *
 * The first byte of the input chooses the kind and the separator (detected,
 * ',', ';' or tab); the rest is the file.
 *
 * Properties checked beyond "no crash, no leak, no undefined behaviour":
 *  - a refused file has a message naming it, and nothing of it was written:
 *    the exports of indicators, schools and values are byte for byte what
 *    they were before;
 *  - an accepted file reports rows >= 0 and inserted + replaced + unchanged
 *    values consistent with what export shows, and importing the exports
 *    into an empty database reproduces the same exports (the README's
 *    round-trip promise).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shnor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ref_indicators[] = "code,title,unit,better,min,max\n"
                                     "fail_share,Доля неуспевающих,share,lower,,\n"
                                     "ege_rus_mean,Средний балл ЕГЭ,score,higher,0,100\n"
                                     "students,Численность обучающихся,count,higher,,\n"
                                     "flag_500plus,Школа в списке «500+»,flag,lower,,\n"
                                     "isb,ИСБ,index,higher,0,1\n"
                                     "pass_pct,Процент сдавших,percent,higher,,\n";

static const char ref_schools[] = "Код ОО;Наименование;Территория;Регион;Тип;ИСБ\n"
                                  "A1;СОШ №1;Первый район;Республика;СОШ;0,42\n"
                                  "A2;ООШ №2;Первый район;Республика;ООШ;\n"
                                  "B1;СОШ №3;Второй район;;СОШ;0,7\n";

static const char ref_values[] = "school,indicator,period,value\n"
                                 "A1,fail_share,2022,12%\n"
                                 "A1,fail_share,2022/23,\"0,1\"\n"
                                 "A2,ege_rus_mean,2023,46\n"
                                 "B1,students,2023-Q2,1 204\n";

static int import_text(shnor *db, shnor_import_kind kind, const char *text, size_t len)
{
    shnor_import_options opt = {0};
    opt.max_errors = 10;
    opt.user = "fuzz";
    return shnor_import_buffer(db, kind, "ref.csv", text, len, &opt, NULL);
}

static shnor *fresh_db(int with_ref)
{
    shnor *db = NULL;
    if (shnor_open(":memory:", SHNOR_OPEN_CREATE, &db) != SHNOR_OK) {
        abort();
    }
    if (with_ref && (import_text(db, SHNOR_IMPORT_INDICATORS, ref_indicators,
                                 sizeof ref_indicators - 1) != SHNOR_OK ||
                     import_text(db, SHNOR_IMPORT_SCHOOLS, ref_schools,
                                 sizeof ref_schools - 1) != SHNOR_OK ||
                     import_text(db, SHNOR_IMPORT_VALUES, ref_values,
                                 sizeof ref_values - 1) != SHNOR_OK)) {
        abort();
    }
    return db;
}

typedef struct {
    char *text[3];
    size_t len[3];
} exports;

static void take_exports(shnor *db, exports *e)
{
    static const shnor_export_kind kinds[3] = {SHNOR_EXPORT_INDICATORS,
                                               SHNOR_EXPORT_SCHOOLS, SHNOR_EXPORT_VALUES};
    for (int i = 0; i < 3; i++) {
        FILE *f = open_memstream(&e->text[i], &e->len[i]);
        if (!f || shnor_export(db, kinds[i], SHNOR_FORMAT_CSV, f) != SHNOR_OK) {
            abort();
        }
        fclose(f);
    }
}

static void free_exports(exports *e)
{
    for (int i = 0; i < 3; i++) {
        free(e->text[i]);
    }
}

static int same_exports(const exports *a, const exports *b)
{
    for (int i = 0; i < 3; i++) {
        if (a->len[i] != b->len[i] || memcmp(a->text[i], b->text[i], a->len[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    static const shnor_import_kind kinds[5] = {
        SHNOR_IMPORT_INDICATORS, SHNOR_IMPORT_SCHOOLS, SHNOR_IMPORT_VALUES,
        SHNOR_IMPORT_STATUSES, SHNOR_IMPORT_LISTINGS};
    static const char seps[4] = {0, ',', ';', '\t'};
    shnor_import_kind kind = kinds[data[0] % 5];
    shnor_import_options opt = {0};
    opt.separator = seps[(data[0] / 5) % 4];
    opt.max_errors = 20;
    opt.user = "fuzz";

    shnor *db = fresh_db(1);
    exports before = {0}, after = {0};
    take_exports(db, &before);
    shnor_import_result res = {0};
    int rc = shnor_import_buffer(db, kind, "fuzz.csv", (const char *)data + 1, size - 1,
                                 &opt, &res);
    char *msg = strdup(shnor_errmsg(db)); /* the exports clear it */
    take_exports(db, &after);
    if (!msg) {
        abort();
    }
    if (rc != SHNOR_OK) {
        if (!msg[0] || !strstr(msg, "fuzz.csv")) {
            fprintf(stderr, "status %d without a message naming the file: %s\n", rc, msg);
            abort();
        }
        if (!same_exports(&before, &after)) {
            fprintf(stderr, "a refused import changed the data: %s\n", msg);
            abort();
        }
    } else {
        if (res.rows < 0 || res.inserted < 0 || res.replaced < 0 || res.unchanged < 0 ||
            res.errors != 0) {
            abort();
        }
        if (kind == SHNOR_IMPORT_VALUES && res.inserted + res.replaced == 0 &&
            !same_exports(&before, &after)) {
            fprintf(stderr, "values changed although the import says none did\n");
            abort();
        }
        /* The exports, imported into an empty database, give the same exports. */
        shnor *copy = fresh_db(0);
        static const shnor_import_kind back[3] = {
            SHNOR_IMPORT_INDICATORS, SHNOR_IMPORT_SCHOOLS, SHNOR_IMPORT_VALUES};
        for (int i = 0; i < 3; i++) {
            if (import_text(copy, back[i], after.text[i], after.len[i]) != SHNOR_OK) {
                fprintf(stderr, "an export does not import back: %s\n",
                        shnor_errmsg(copy));
                abort();
            }
        }
        exports again = {0};
        take_exports(copy, &again);
        if (!same_exports(&after, &again)) {
            fprintf(stderr, "the exports do not round-trip\n");
            abort();
        }
        free_exports(&again);
        shnor_close(copy);
    }
    free(msg);
    free_exports(&before);
    free_exports(&after);
    shnor_close(db);
    return 0;
}
