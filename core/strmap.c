/*
 * strmap.c — string -> int64 hash map (see strmap.h).
 *
 * Invariants: slots holds cap entries (a power of two), each 0 (empty) or
 * 1 + an index into entries; count <= cap / 2, so probing always ends.
 * Keys live in one growing character pool, referenced by offset, so growing
 * the pool never invalidates anything but the returned key pointers.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    size_t off; /* key offset in pool */
    size_t len;
    int64_t value;
} entry;

struct strmap {
    uint32_t *slots;
    size_t cap;
    entry *entries;
    size_t count, entries_cap;
    char *pool;
    size_t pool_len, pool_cap;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    /* FNV-1a, then a final mix so that close codes spread over the table. */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

strmap *strmap_new(void)
{
    strmap *m = calloc(1, sizeof *m);
    if (!m) {
        return NULL;
    }
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void strmap_free(strmap *m)
{
    if (!m) {
        return;
    }
    free(m->slots);
    free(m->entries);
    free(m->pool);
    free(m);
}

static size_t find_slot(const strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    for (;;) {
        uint32_t s = m->slots[i];
        if (s == 0) {
            return i;
        }
        const entry *e = &m->entries[s - 1];
        if (e->hash == h && e->len == len && memcmp(m->pool + e->off, key, len) == 0) {
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int grow_slots(strmap *m)
{
    size_t ncap = m->cap * 2;
    uint32_t *ns = calloc(ncap, sizeof *ns);
    if (!ns) {
        return -1;
    }
    for (size_t k = 0; k < m->count; k++) {
        size_t i = (size_t)m->entries[k].hash & (ncap - 1);
        while (ns[i]) {
            i = (i + 1) & (ncap - 1);
        }
        ns[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

int64_t *strmap_put(strmap *m, const char *key, size_t len, int *added)
{
    uint64_t h = hash_bytes(key, len);
    size_t i = find_slot(m, key, len, h);
    if (m->slots[i]) {
        if (added) {
            *added = 0;
        }
        return &m->entries[m->slots[i] - 1].value;
    }
    if (m->count + 1 > m->cap / 2 || m->count >= UINT32_MAX - 1) {
        if (m->count >= UINT32_MAX - 1 || grow_slots(m) < 0) {
            return NULL;
        }
        i = find_slot(m, key, len, h);
    }
    if (m->count == m->entries_cap) {
        size_t ncap = m->entries_cap ? m->entries_cap * 2 : 32;
        entry *ne = realloc(m->entries, ncap * sizeof *ne);
        if (!ne) {
            return NULL;
        }
        m->entries = ne;
        m->entries_cap = ncap;
    }
    if (m->pool_len + len + 1 > m->pool_cap) {
        size_t ncap = m->pool_cap ? m->pool_cap : 1024;
        while (ncap < m->pool_len + len + 1) {
            ncap *= 2;
        }
        char *np = realloc(m->pool, ncap);
        if (!np) {
            return NULL;
        }
        m->pool = np;
        m->pool_cap = ncap;
    }
    memcpy(m->pool + m->pool_len, key, len);
    m->pool[m->pool_len + len] = '\0';
    entry *e = &m->entries[m->count];
    e->hash = h;
    e->off = m->pool_len;
    e->len = len;
    e->value = 0;
    m->pool_len += len + 1;
    m->slots[i] = (uint32_t)(++m->count);
    if (added) {
        *added = 1;
    }
    return &e->value;
}

int64_t *strmap_get(const strmap *m, const char *key, size_t len)
{
    size_t i = find_slot(m, key, len, hash_bytes(key, len));
    return m->slots[i] ? &m->entries[m->slots[i] - 1].value : NULL;
}

size_t strmap_count(const strmap *m)
{
    return m->count;
}

const char *strmap_key(const strmap *m, size_t i, size_t *len)
{
    if (i >= m->count) {
        return NULL;
    }
    if (len) {
        *len = m->entries[i].len;
    }
    return m->pool + m->entries[i].off;
}
