/*
 * fuzz_period.c — libFuzzer harness for periods ("2023", "2022/23",
 * "2023-H1", "2023-Q2", "2023-05") and ISO dates, as typed in files and on
 * the command line.
 *
 * Properties checked beyond "no crash, no leak, no undefined behaviour":
 *  - a refused text always says why, and leaves the invalid period {0};
 *  - a parsed period prints canonically, the canonical text parses back to
 *    the same period, and its first day is not after its last day;
 *  - shifting by n and back by -n returns the period (within 1900..2999);
 *  - a parsed date prints as YYYY-MM-DD and parses back to the same day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "period.h"
#include "shnor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_period(shnor_period p)
{
    char buf[SHNOR_PERIOD_MAX], err[256];
    size_t n = shnor_period_format(p, buf, sizeof buf);
    if (n == 0 || n >= sizeof buf) {
        abort();
    }
    shnor_period back;
    if (shnor_period_parse(buf, &back, err, sizeof err) != SHNOR_OK ||
        shnor_period_compare(p, back) != 0) {
        abort();
    }
    if (shnor_period_first_day(p) > shnor_period_last_day(p)) {
        abort();
    }
    for (int k = -3; k <= 3; k++) {
        shnor_period q = shnor_period_shift(p, k);
        if (period_valid(q)) {
            shnor_period r = shnor_period_shift(q, -k);
            if (shnor_period_compare(r, p) != 0) {
                abort();
            }
            if (k > 0 && shnor_period_compare(q, p) <= 0) {
                abort();
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    char err[256];
    err[0] = '\0';
    shnor_period p;
    if (shnor_period_parse(text, &p, err, sizeof err) == SHNOR_OK) {
        check_period(p);
    } else if (err[0] == '\0' || p.kind != 0) {
        abort();
    }
    /* The length-bounded parser the importer uses, on the raw bytes. */
    if (period_parse_n((const char *)data, size, &p, err, sizeof err) == SHNOR_OK) {
        check_period(p);
    }
    shnor_date d;
    err[0] = '\0';
    if (shnor_date_parse(text, &d, err, sizeof err) == SHNOR_OK) {
        char buf[16];
        if (shnor_date_format(d, buf, 11) != 10) {
            abort();
        }
        shnor_date back;
        if (shnor_date_parse(buf, &back, err, sizeof err) != SHNOR_OK || back != d) {
            abort();
        }
    } else if (err[0] == '\0') {
        abort();
    }
    free(text);
    return 0;
}
