/*
 * sandbox_pool.h — small blocks for one Lua state (sandbox_pool.c). Not
 * thread-safe: a state and its pool belong to one thread at a time.
 */
#ifndef SHNOR_SANDBOX_POOL_H
#define SHNOR_SANDBOX_POOL_H

#include <stddef.h>

/* Blocks up to this size come from the pool; larger ones from malloc. */
#define POOL_MAX 256

typedef struct sbx_pool sbx_pool;

sbx_pool *sbx_pool_new(void); /* NULL when out of memory */
void sbx_pool_free(sbx_pool *p); /* every block with it; accepts NULL */

/*
 * lua_Alloc's contract over the pool: ptr of osize bytes (NULL: none) to
 * nsize bytes (0: freed, returns NULL). osize must be the size the block
 * was made with, as Lua gives it. NULL when memory ran out (ptr is kept).
 */
void *sbx_pool_realloc(sbx_pool *p, void *ptr, size_t osize, size_t nsize);

#endif
