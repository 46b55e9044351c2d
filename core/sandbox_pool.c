/*
 * sandbox_pool.c — where a sandbox's Lua state keeps its small blocks.
 *
 * A criterion called for every school makes and drops small objects by the
 * million (closures, tables, strings of periods). Taken from malloc, they
 * were a fifteenth of a national evaluation, more once a second thread makes
 * malloc take its locks. A state belongs to one thread, and Lua says the
 * size of every block it frees, so blocks of up to POOL_MAX bytes come from
 * per-size free lists over chunks, without headers or locks; larger ones go
 * to malloc. Chunks are returned when the sandbox closes.
 */
#include "sandbox_pool.h"

#include <stdlib.h>
#include <string.h>

#define POOL_GRAIN 16
#define POOL_CLASSES (POOL_MAX / POOL_GRAIN)
#define POOL_CHUNK (64 * 1024)

typedef struct pool_chunk {
    struct pool_chunk *next;
    /* blocks follow, aligned to POOL_GRAIN */
} pool_chunk;

typedef struct free_block {
    struct free_block *next;
} free_block;

struct sbx_pool {
    free_block *free[POOL_CLASSES];
    pool_chunk *chunks;
    char *bump, *end; /* the unused part of the newest chunk */
};

/* The chunk header rounded up to the grain, so blocks stay aligned. */
#define CHUNK_HEAD ((sizeof(pool_chunk) + POOL_GRAIN - 1) / POOL_GRAIN * POOL_GRAIN)

sbx_pool *sbx_pool_new(void)
{
    return calloc(1, sizeof(sbx_pool));
}

void sbx_pool_free(sbx_pool *p)
{
    if (!p) {
        return;
    }
    while (p->chunks) {
        pool_chunk *next = p->chunks->next;
        free(p->chunks);
        p->chunks = next;
    }
    free(p);
}

static size_t class_of(size_t n)
{
    return (n + POOL_GRAIN - 1) / POOL_GRAIN - 1;
}

static void *take(sbx_pool *p, size_t n)
{
    size_t c = class_of(n);
    free_block *b = p->free[c];
    if (b) {
        p->free[c] = b->next;
        return b;
    }
    size_t size = (c + 1) * POOL_GRAIN;
    if ((size_t)(p->end - p->bump) < size) {
        /* What is left of the chunk stays unused: at most POOL_MAX bytes. */
        pool_chunk *chunk = malloc(POOL_CHUNK);
        if (!chunk) {
            return NULL;
        }
        chunk->next = p->chunks;
        p->chunks = chunk;
        p->bump = (char *)chunk + CHUNK_HEAD;
        p->end = (char *)chunk + POOL_CHUNK;
    }
    void *block = p->bump;
    p->bump += size;
    return block;
}

static void give(sbx_pool *p, void *ptr, size_t n)
{
    free_block *b = ptr;
    size_t c = class_of(n);
    b->next = p->free[c];
    p->free[c] = b;
}

void *sbx_pool_realloc(sbx_pool *p, void *ptr, size_t osize, size_t nsize)
{
    if (nsize == 0) {
        if (ptr) {
            if (osize <= POOL_MAX) {
                give(p, ptr, osize);
            } else {
                free(ptr);
            }
        }
        return NULL;
    }
    if (!ptr) {
        return nsize <= POOL_MAX ? take(p, nsize) : malloc(nsize);
    }
    if (osize > POOL_MAX && nsize > POOL_MAX) {
        return realloc(ptr, nsize);
    }
    if (osize <= POOL_MAX && nsize <= POOL_MAX && class_of(osize) == class_of(nsize)) {
        return ptr;
    }
    void *n = nsize <= POOL_MAX ? take(p, nsize) : malloc(nsize);
    if (!n) {
        return NULL; /* Lua keeps the old block */
    }
    memcpy(n, ptr, osize < nsize ? osize : nsize);
    if (osize <= POOL_MAX) {
        give(p, ptr, osize);
    } else {
        free(ptr);
    }
    return n;
}
