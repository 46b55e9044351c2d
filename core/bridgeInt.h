/*
 * bridgeInt.h — private to the bridge files (bridge.c, bridge_view.c,
 * bridge_figures.c): the metatable names, the record of reads, the readers
 * of arguments the API functions share, and the Lua functions open_api
 * (bridge.c) registers from the other files.
 *
 * The readers raise a Lua error for a bad argument; a bridge passed in is
 * borrowed, as are the strings read from the stack (valid while the value
 * stays there).
 */
#ifndef SHNOR_BRIDGEINT_H
#define SHNOR_BRIDGEINT_H

#include <lua.h>
#include <stddef.h>

#include "bridge.h"

#define VIEW_META  "shnor.school"
#define VIEW_MAGIC 0x5c4001u

/* The userdata of a school view. */
typedef struct {
    unsigned magic; /* VIEW_MAGIC */
    int school;
} view_ud;
#define GROUP_META "shnor.group"

/* ------------------------------------------------ bridge.c: shared readers */

/* The bridge (upvalue 1) when an evaluation is attached [-0, +0, e]. */
bridge *bridge_data(lua_State *L);

/* Records a read of the current school for its explanation (READ_*). */
void bridge_record(bridge *b, int kind, int col, int scope, int name, double q,
                   double value);
/* Keeps what as the criterion's reason when it is the first missing value. */
void bridge_note_missing(bridge *b, const char *what);

/* The indicator code at idx, as an index of b->ds->inds [-0, +0, e]. */
int bridge_arg_indicator(lua_State *L, bridge *b, int idx);
/* The period at idx; none or nil is the evaluated period [-0, +0, e]. */
shnor_period bridge_arg_period(lua_State *L, bridge *b, int idx);
/* Pushes a period as its canonical string [-0, +1, m]. */
void bridge_push_period(lua_State *L, shnor_period p);
/* The column of (indicator at iidx, period at pidx), loaded on first use
   [-0, +0, e]. */
int bridge_arg_column(lua_State *L, bridge *b, int iidx, int pidx);
/* The school of the view at idx [-0, +0, e]. */
int bridge_check_school(lua_State *L, const bridge *b, int idx);
/* Pushes the name of territory t, the same string object every time
   [-0, +1, -]. */
void bridge_push_territory(lua_State *L, bridge *b, int t);
/* The scope at idx: nil, a territory or region name, or a group [-0, +0, e]. */
int bridge_arg_scope(lua_State *L, bridge *b, int idx);
/* Pushes v, or nil when it is NaN [-0, +1, -]. */
void bridge_push_number_or_nil(lua_State *L, double v);
/* Writes "fail_share 2023" for column col into buf[0..len). */
void bridge_describe_col(bridge *b, int col, char *buf, size_t len);

/* ------------------------------------------- bridge_view.c: the school view */

int bridge_view_value(lua_State *L);       /* s:value */
int bridge_view_series(lua_State *L);      /* s:series */
int bridge_view_attr(lua_State *L);        /* s:attr */
int bridge_view_attr_number(lua_State *L); /* s:attr_number */
int bridge_view_listed(lua_State *L);      /* s:listed */
int bridge_view_missing(lua_State *L);     /* methods' __index: nil or an error */
int bridge_view_newindex(lua_State *L);    /* __newindex: raises */
int bridge_view_tostring(lua_State *L);    /* __tostring: "school CODE" */

/* ------------------------ bridge_figures.c: population figures and groups */

int bridge_mean(lua_State *L);         /* shnor.mean */
int bridge_percentile(lua_State *L);   /* shnor.percentile */
int bridge_count(lua_State *L);        /* shnor.count */
int bridge_rank(lua_State *L);         /* shnor.rank */
int bridge_bottom(lua_State *L);       /* shnor.bottom */
int bridge_group(lua_State *L);        /* shnor.group */
int bridge_group_size(lua_State *L);   /* shnor.group_size */
int bridge_insufficient(lua_State *L); /* shnor.insufficient */
int bridge_indicator(lua_State *L);    /* shnor.indicator */

#endif
