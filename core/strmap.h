/*
 * strmap.h — a hash map from byte strings to 64-bit integers.
 *
 * Open addressing with linear probing; keys are copied into the map's own
 * storage. Used for code -> id lookups (schools, indicators, periods) on hot
 * paths: 10 million lookups in a national import.
 */
#ifndef SHNOR_STRMAP_H
#define SHNOR_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

/* A new empty map, NULL when memory ran out. Caller frees with strmap_free. */
strmap *strmap_new(void);
void strmap_free(strmap *m); /* accepts NULL */

/*
 * The value slot of key[0..len), adding the key with value 0 when absent
 * (*added = 1 then, else 0; added may be NULL). The pointer is valid until the
 * next strmap_put. NULL when memory ran out.
 */
int64_t *strmap_put(strmap *m, const char *key, size_t len, int *added);

/* The value slot of key, or NULL when absent. Valid until the next put. */
int64_t *strmap_get(const strmap *m, const char *key, size_t len);

size_t strmap_count(const strmap *m);

/* The i-th key in insertion order (0 <= i < count); borrowed, NUL-terminated. */
const char *strmap_key(const strmap *m, size_t i, size_t *len);

#endif
