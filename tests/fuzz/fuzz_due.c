/*
 * fuzz_due.c — libFuzzer harness for deadlines as the seed documents write
 * them («Сроки»: "Март 2023", "ежемесячно", "Сентябрь 2023 – март 2024",
 * "в течение года", ...): due_parse, due_describe and due_expand within
 * periods of every kind.
 *
 * Properties checked beyond "no crash, no leak, no undefined behaviour":
 *  - a refused text always says why;
 *  - a parsed text has a kind and a non-empty description;
 *  - occurrences are sorted by deadline then start, without duplicates, and
 *    each window starts on or before its deadline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "shnor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expand_in(const due_spec *d, const char *period)
{
    shnor_period p;
    if (shnor_period_parse(period, &p, NULL, 0) != SHNOR_OK) {
        abort();
    }
    due_occurrence *occ = NULL;
    size_t n = 0;
    int rc = due_expand(d, p, &occ, &n);
    if (rc != SHNOR_OK && rc != SHNOR_NOMEM) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        if (occ[i].start > occ[i].due) {
            abort();
        }
        if (i && (occ[i - 1].due > occ[i].due ||
                  (occ[i - 1].due == occ[i].due && occ[i - 1].start >= occ[i].start))) {
            abort();
        }
    }
    free(occ);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    due_spec *d = NULL;
    char err[512];
    err[0] = '\0';
    if (due_parse(text, &d, err, sizeof err) == SHNOR_OK) {
        int kind = due_get_kind(d);
        const char *desc = due_describe(d);
        if (kind < DUE_ONCE || kind > DUE_MIXED || !desc || !desc[0]) {
            abort();
        }
        static const char *const periods[] = {"2022/23", "2023", "2023-H2", "2023-Q1",
                                              "2024-02", "1900", "2999"};
        for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
            expand_in(d, periods[i]);
        }
    } else if (err[0] == '\0') {
        abort();
    }
    due_free(d);
    free(text);
    return 0;
}
