/*
 * fuzz_number.c — libFuzzer harness for numbers as people type them
 * (num_parse) and as shnor prints them (num_format, num_format_fixed).
 *
 * Properties checked beyond "no crash, no leak, no undefined behaviour":
 *  - a refused cell always says why;
 *  - a parsed finite number printed by num_format parses back to the same
 *    double (the export round trip);
 *  - num_format_fixed output fits NUM_BUFSZ and parses back as a number.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    double v = 0;
    int percent = 0;
    char err[256];
    err[0] = '\0';
    int rc = num_parse(s, size, &v, &percent, err, sizeof err);
    if (rc == NUM_BAD && err[0] == '\0') {
        abort();
    }
    if (rc != NUM_OK) {
        return 0;
    }
    char buf[NUM_BUFSZ];
    size_t n = num_format(v, buf);
    if (n >= NUM_BUFSZ || strlen(buf) != n) {
        abort();
    }
    if (isfinite(v)) {
        double back = NAN;
        int pc = 0;
        if (num_parse(buf, n, &back, &pc, err, sizeof err) != NUM_OK || back != v || pc) {
            abort();
        }
        for (int d = 0; d <= 15; d += 3) {
            n = num_format_fixed(v, d, ',', buf);
            if (n >= NUM_BUFSZ || strlen(buf) != n) {
                abort();
            }
            if (num_parse(buf, n, &back, &pc, err, sizeof err) != NUM_OK) {
                abort();
            }
        }
        /* Comparison as decimals is reflexive and antisymmetric. */
        if (num_cmp_decimal(v, v) != 0) {
            abort();
        }
    }
    return 0;
}
