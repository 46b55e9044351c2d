/*
 * pack.c — loading a rule pack into its sandbox and checking it against the
 * pack contract (see README, "Writing a rule pack"): its identity,
 * categories, criteria and `list`, and its twin for the second half of the
 * schools. Every problem is collected with file:line (pack_fields.c), so
 * `shnor check` shows them all at once.
 */
#include "pack.h"

#include <ctype.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "bridge.h"
#include "textwidth.h"

/* Keys a pack table may have. Later stages read activities, targets, ... */
static const char *const pack_keys[] = {
    "id",        "title",   "version", "source",      "categories", "criteria",
    "list",      "tests",   "activities", "targets",  "cohorts",    "exit",
    "mentors",   "description", "territory", "notes",  "period",     "roadmap_listing",
    "roadmap_periods", "roadmap_ends", NULL};

static const char *const criterion_keys[] = {"id",   "category", "title", "test",
                                             "explain", "note",  NULL};

/* A pack's id names runs, report sheets and files: letters (any script),
   digits, '_' and '-' only (no '/', '.', ':', '*', '?' or brackets). */
static int pack_name_ok(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x80 && !isalnum(*c) && *c != '_' && *c != '-') {
            return 0;
        }
    }
    return 1;
}

int pack_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) {
        return 0;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= ' ' || c == '"' || c == '\'' || c == ';' || c == ',') {
            return 0;
        }
    }
    return 1;
}

/* categories = { low = "…", risk = "…" } or { {id = "low", title = "…"}, … } */
static void read_categories(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int line = pack_locate(p, NULL, NULL, 0, 0);
    if (lua_getfield(L, pt, "categories") != LUA_TTABLE) {
        pack_problem(p, line, "the pack has no 'categories' table (category id -> title)");
        lua_pop(L, 1);
        return;
    }
    int ct = lua_gettop(L);
    size_t n = (size_t)lua_rawlen(L, ct), counted = 0;
    lua_pushnil(L);
    while (counted <= PACK_MAX_CATEGORIES && lua_next(L, ct)) {
        lua_pop(L, 1);
        counted++;
    }
    if (counted > PACK_MAX_CATEGORIES) {
        lua_pop(L, 2);
        pack_too_many(p, "categories", counted, PACK_MAX_CATEGORIES);
        return;
    }
    sandbox_sorted_keys(L, ct);
    size_t nkeys = (size_t)lua_rawlen(L, -1);
    p->cats = calloc(nkeys ? nkeys : 1, sizeof *p->cats);
    if (!p->cats) {
        lua_pop(L, 2);
        return;
    }
    if (n > 0 && n == nkeys) {
        /* list form keeps the order written */
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, ct, (lua_Integer)i);
            if (lua_type(L, -1) != LUA_TTABLE) {
                pack_problem(p, line, "categories[%zu] must be a table {id = ..., title = ...}",
                             i);
            } else {
                /* Counted before it is filled, so that pack_free frees what
                   was read when an error ends the reading half way. */
                pack_category *c = &p->cats[p->ncats++];
                c->id = pack_string_field(p, lua_gettop(L), "id", "a category", line);
                c->title = pack_string_field(p, lua_gettop(L), "title", "a category", line);
                if (!c->id || !c->title) {
                    pack_problem(p, line, "categories[%zu] needs an id and a title", i);
                    free(c->id);
                    free(c->title);
                    c->id = c->title = NULL;
                    p->ncats--;
                }
            }
            lua_pop(L, 1);
        }
    } else {
        for (size_t i = 1; i <= nkeys; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i);
            if (lua_type(L, -1) != LUA_TSTRING) {
                pack_problem(p, line, "categories must map a category id to its title");
                lua_pop(L, 1);
                continue;
            }
            const char *id = lua_tostring(L, -1);
            lua_pushvalue(L, -1);
            lua_gettable(L, ct);
            size_t tlen = 0;
            char what[96];
            snprintf(what, sizeof what, "category '%s'", id);
            if (lua_type(L, -1) != LUA_TSTRING) {
                pack_problem(p, pack_locate(p, NULL, id, 0, line),
                             "category '%s' must have a title string", id);
            } else if (lua_tolstring(L, -1, &tlen),
                       !pack_text_ok(p, pack_locate(p, NULL, id, 0, line), what, "title",
                                     lua_tostring(L, -1), tlen)) {
                /* said */
            } else {
                p->cats[p->ncats].id = strdup(id);
                p->cats[p->ncats].title = strdup(lua_tostring(L, -1));
                p->ncats++;
            }
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 2);
    for (size_t i = 0; i < p->ncats; i++) {
        if (!pack_id_ok(p->cats[i].id)) {
            pack_problem(p, pack_locate(p, "id", p->cats[i].id, 0, line),
                         "category id '%s' must be 1 to 64 characters without spaces or quotes",
                         p->cats[i].id);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->cats[i].id, p->cats[j].id) == 0) {
                pack_problem(p, pack_locate(p, "id", p->cats[i].id, 0, line),
                             "category '%s' is defined twice", p->cats[i].id);
            }
        }
    }
    if (p->ncats == 0) {
        pack_problem(p, line, "'categories' is empty; a pack lists schools in at least one "
                              "category");
    }
}

static void read_criteria(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    if (lua_getfield(L, pt, "criteria") != LUA_TTABLE) {
        pack_problem(p, 0, "the pack has no 'criteria' list");
        lua_pop(L, 1);
        return;
    }
    int ct = lua_gettop(L);
    size_t n = (size_t)lua_rawlen(L, ct);
    pack_check_list(p, ct, "criteria");
    if (pack_too_many(p, "criteria", n, PACK_MAX_CRITERIA)) {
        lua_pop(L, 1);
        return;
    }
    p->crits = calloc(n ? n : 1, sizeof *p->crits);
    if (!p->crits) {
        lua_pop(L, 1);
        return;
    }
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, ct, (lua_Integer)i);
        int e = lua_gettop(L);
        if (lua_type(L, e) != LUA_TTABLE) {
            pack_problem(p, 0, "criteria[%zu] must be a table {id, category, title, test}", i);
            lua_pop(L, 1);
            continue;
        }
        lua_getfield(L, e, "test");
        int fline = pack_function_line(L, -1);
        int is_fn = lua_type(L, -1) == LUA_TFUNCTION;
        lua_pop(L, 1);
        /* Counted before it is filled, as categories. */
        pack_criterion *c = &p->crits[p->ncrits++];
        memset(c, 0, sizeof *c);
        c->test_ref = LUA_NOREF;
        c->id = pack_string_field(p, e, "id", "a criterion", fline);
        const char *id = c->id;
        int line = id ? pack_locate(p, "id", id, 0, fline) : fline;
        if (fline > 0 && id) {
            /* The test function is inside the entry: its id is the last one
               written on or above the function's first line. */
            for (int l = pack_locate(p, "id", id, 1, 0); l > 0 && l <= fline;
                 l = pack_locate(p, "id", id, l + 1, 0)) {
                line = l;
            }
        }
        char what[96];
        snprintf(what, sizeof what, "criterion '%s'", id ? id : "?");
        pack_check_keys(p, e, criterion_keys, what, line);
        c->title = pack_string_field(p, e, "title", what, line);
        c->explain = pack_string_field(p, e, "explain", what, line);
        char *cat = pack_string_field(p, e, "category", what, line);
        c->line = line;
        if (!id) {
            pack_problem(p, line, "criteria[%zu] has no 'id'", i);
        } else if (!pack_id_ok(id)) {
            pack_problem(p, line, "criterion id '%s' must be 1 to 64 characters without spaces "
                                  "or quotes", id);
        } else if (pack_criterion_index(p, id) < (int)p->ncrits - 1) {
            pack_problem(p, line, "criterion '%s' is defined twice", id);
        }
        if (!c->title && pack_field_absent(p, e, "title")) {
            pack_problem(p, line, "%s has no 'title' (it is shown in every explanation)", what);
        }
        c->category = cat ? pack_category_index(p, cat) : -1;
        if (!cat) {
            pack_problem(p, line, "%s has no 'category'", what);
        } else if (c->category < 0) {
            strbuf known = STRBUF_INIT;
            for (size_t k = 0; k < p->ncats; k++) {
                sb_printf(&known, "%s%s", k ? ", " : "", p->cats[k].id);
            }
            pack_problem(p, line, "%s has category '%s', which is not in 'categories' (%s)",
                         what, cat, known.data);
            sb_free(&known);
        }
        free(cat);
        if (!is_fn) {
            lua_getfield(L, e, "test");
            pack_problem(p, line, "%s: 'test' must be a function(s, period), not %s", what,
                         lua_isnil(L, -1) ? "missing" : luaL_typename(L, -1));
            lua_pop(L, 1);
        } else {
            lua_getfield(L, e, "test");
            c->test_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (n == 0) {
        pack_problem(p, 0, "'criteria' is empty");
    }
}

static void read_list(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, pt, "list");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        p->list_ref = LUA_NOREF;
        return;
    }
    int line = pack_function_line(L, -1);
    if (t == LUA_TTABLE) {
        sandbox_sorted_keys(L, -1);
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            const char *cat = lua_tostring(L, -1);
            lua_pushvalue(L, -1);
            lua_gettable(L, -4);
            if (!cat || pack_category_index(p, cat) < 0) {
                pack_problem(p, pack_function_line(L, -1),
                             "list has an entry for '%s', which is not a category", cat ? cat : "?");
            } else if (lua_type(L, -1) != LUA_TFUNCTION) {
                pack_problem(p, 0, "list['%s'] must be a function(s, period, fired)", cat);
            }
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    } else if (t != LUA_TFUNCTION) {
        pack_problem(p, line, "'list' must be a function(s, period, fired, category) or a table "
                              "of them by category");
    }
    p->list_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

char *pack_default_lib_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    strbuf sb = STRBUF_INIT;
    if (slash) {
        sb_append(&sb, path, (size_t)(slash - path));
        sb_puts(&sb, "/lib");
    } else {
        sb_puts(&sb, "lib");
    }
    return sb_detach(&sb);
}

/*
 * Validates the pack table at the top of the stack and fills p. Reading a
 * field can run the pack's metamethods and can run out of memory, so this
 * runs in a protected call (read_pack_protected); every reader stores what it
 * allocates in p before its next Lua call, so an error leaks nothing.
 */
static void read_pack(pack *p)
{
    lua_State *L = p->sb->L;
    int pt = lua_gettop(L);
    pack_check_keys(p, pt, pack_keys, "the pack", 0);
    p->id = pack_string_field(p, pt, "id", "the pack", 0);
    p->title = pack_string_field(p, pt, "title", "the pack", 0);
    p->version = pack_string_field(p, pt, "version", "the pack", 0);
    p->source = pack_string_field(p, pt, "source", "the pack", 0);
    if (!p->id) {
        pack_problem(p, 0, "the pack has no 'id' (e.g. id = \"georgievsk\")");
    } else if (!pack_id_ok(p->id) || (!pack_name_ok(p->id) && !p->sb->stored_modules)) {
        /* the characters are checked since 2026-12: a run kept before with a
           '.' or ':' in its pack's id still replays (as texts above) */
        pack_problem(p, pack_locate(p, "id", p->id, 0, 0),
                     "pack id '%s' must be 1 to 64 characters: letters, digits, '_' and '-' "
                     "(it names runs and report sheets)",
                     p->id);
    }
    if (!p->title && pack_field_absent(p, pt, "title")) {
        pack_problem(p, 0, "the pack has no 'title'");
    }
    if (!p->version && pack_field_absent(p, pt, "version")) {
        pack_problem(p, 0, "the pack has no 'version' (e.g. version = \"2023.1\")");
    }
    if (!p->source && pack_field_absent(p, pt, "source")) {
        pack_problem(p, 0, "the pack has no 'source': the order it encodes, e.g. "
                           "\"Приказ №1119 от 07.03.2023\"");
    }
    read_categories(p, pt);
    read_criteria(p, pt);
    read_list(p, pt);
    pack_read_plan(p, pt);
    pack_read_targets(p, pt);
    int t = lua_getfield(L, pt, "tests");
    if (t != LUA_TNIL && t != LUA_TTABLE) {
        pack_problem(p, 0, "'tests' must be a list of test cases");
    } else if (t == LUA_TTABLE) {
        pack_check_list(p, -1, "tests");
    }
    lua_pop(L, 1);
}

/* A problem that is a message of Lua's: the pack's path and `how` before it
   (none when how is "", the message saying file:line itself), cut when it
   is huge. */
static void problem_text(pack *p, const char *how, const char *msg)
{
    if (*how) {
        sb_printf(&p->problems, "%s%s", p->path, how);
    }
    text_append_cut(&p->problems, msg, strlen(msg), PROBLEM_MAX);
    sb_putc(&p->problems, '\n');
    p->nproblems++;
}

/* The text of the error sandbox_pcall left on the stack: the message, or for
   the signal of shnor.insufficient (which only a criterion may raise) where
   it was raised; buf holds what is made. */
static const char *error_text(const pack *p, char *buf, size_t len)
{
    lua_State *L = p->sb->L;
    if (sandbox_is_insufficient(L, -1)) {
        snprintf(buf, len, "%s: shnor.insufficient('%s') outside a criterion",
                 p->sb->insufficient_where, p->sb->insufficient_reason);
        return buf;
    }
    return lua_isstring(L, -1) ? lua_tostring(L, -1) : "(no message)";
}

/* read_pack as a protected call [-2, +0, e]: the pack (light userdata), then
   its table. */
static int read_pack_protected(lua_State *L)
{
    pack *p = lua_touserdata(L, 1);
    read_pack(p);
    return 0;
}

int pack_load(const char *path, const shnor_limits *limits, const char *lib_dir, pack **out)
{
    return pack_load_source(path, NULL, 0, limits, lib_dir, NULL, 0, out);
}

int pack_load_source(const char *path, const char *text, size_t len, const shnor_limits *limits,
                     const char *lib_dir, const char *modules, size_t modules_len, pack **out)
{
    pack *p = calloc(1, sizeof *p);
    *out = p;
    if (!p) {
        return SHNOR_NOMEM;
    }
    sb_init(&p->problems);
    p->list_ref = LUA_NOREF;
    p->table_ref = LUA_NOREF;
    p->mentors_ref = LUA_NOREF;
    p->path = strdup(path);
    if (!p->path) {
        return SHNOR_NOMEM;
    }
    if (text) {
        if ((p->text = malloc(len + 1))) {
            memcpy(p->text, text, len);
            p->text[len] = '\0';
            p->len = len;
        }
    } else {
        /* a pack is text a person writes: the five regions' are 20-60 KB */
        p->text = sb_read_file_max(path, PACK_FILE_MAX, &p->len);
    }
    if (!p->text && !text && errno == EFBIG) {
        pack_problem(p, 0, "cannot read the pack: it is larger than %d MiB, which no rule pack "
                           "is; is it the right file?",
                     PACK_FILE_MAX >> 20);
        return SHNOR_PACK;
    }
    if (!p->text) {
        pack_problem(p, 0, "cannot read the pack: %s", text ? "out of memory" : strerror(errno));
        return text ? SHNOR_NOMEM : SHNOR_IO;
    }
    if (pack_index_lines(p) != 0) {
        pack_problem(p, 0, "out of memory");
        return SHNOR_NOMEM;
    }
    SHA256Data((const uint8_t *)p->text, p->len, p->sha256);
    char *dir = lib_dir ? strdup(lib_dir) : pack_default_lib_dir(path);
    p->sb = sandbox_new(limits, dir);
    free(dir);
    if (!p->sb) {
        pack_problem(p, 0, "cannot create a Lua state (out of memory, or a memory limit "
                           "below what Lua needs)");
        return SHNOR_NOMEM;
    }
    if (modules) {
        p->sb->stored_modules = modules;
        p->sb->stored_len = modules_len;
    }
    strbuf chunk = STRBUF_INIT;
    sb_printf(&chunk, "@%s", path);
    p->chunkname = sb_detach(&chunk);
    lua_State *L = p->sb->L;
    p->sb->pack_name = p->path;
    p->bridge = calloc(1, sizeof *p->bridge);
    if (!p->bridge || bridge_open(p->bridge, p->sb) != 0) {
        pack_problem(p, 0, "cannot install the shnor API (out of memory)");
        return SHNOR_NOMEM;
    }
    if (sandbox_load(p->sb, p->text, p->len, p->chunkname) != LUA_OK) {
        const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "(no message)";
        if (p->sb->tripped) {
            char what[96];
            sandbox_limit_text(p->sb, what, sizeof what);
            sb_printf(&p->problems, "%s: parsing the pack: %s reached\n", p->path, what);
        } else if (sandbox_has_position(msg)) {
            problem_text(p, "", msg); /* syntax errors say "file:line:" */
        } else {
            /* the parser's own limits ("C stack overflow": nested too deeply) */
            problem_text(p, ": ", msg);
        }
        lua_pop(L, 1);
        return p->sb->tripped ? SHNOR_LIMIT : SHNOR_PACK;
    }
    if (sandbox_pcall(p->sb, 0, 1) != LUA_OK) {
        int status = p->sb->tripped ? SHNOR_LIMIT : SHNOR_PACK;
        char buf[512];
        problem_text(p, ": loading the pack failed: ", error_text(p, buf, sizeof buf));
        lua_pop(L, 1);
        return status;
    }
    if (lua_type(L, -1) != LUA_TTABLE) {
        pack_problem(p, pack_last_return_line(p), "the pack must return a table (it returned %s)",
                     luaL_typename(L, -1));
        lua_pop(L, 1);
        return SHNOR_PACK;
    }
    lua_pushvalue(L, -1);
    p->table_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(L, read_pack_protected);
    lua_pushlightuserdata(L, p);
    lua_pushvalue(L, -3);
    if (sandbox_pcall(p->sb, 2, 0) != LUA_OK) {
        int status = p->sb->tripped ? SHNOR_LIMIT : SHNOR_PACK;
        char buf[512];
        problem_text(p, ": reading the pack failed: ", error_text(p, buf, sizeof buf));
        lua_settop(L, 0);
        return status;
    }
    lua_settop(L, 0);
    return p->nproblems ? SHNOR_PACK : SHNOR_OK;
}

/* Do t and p have the same categories, criteria and cohorts, in the same
   order? A pack that builds them by walking a table with raw next() may
   not (string hashes differ between states), and the two halves' rows
   would then name each other's categories. */
static int same_shape(const pack *p, const pack *t)
{
    if (t->ncrits != p->ncrits || t->ncats != p->ncats || t->ncohorts != p->ncohorts) {
        return 0;
    }
    for (size_t k = 0; k < p->ncats; k++) {
        if (strcmp(p->cats[k].id, t->cats[k].id) != 0) {
            return 0;
        }
    }
    for (size_t c = 0; c < p->ncrits; c++) {
        if (strcmp(p->crits[c].id, t->crits[c].id) != 0 ||
            p->crits[c].category != t->crits[c].category) {
            return 0;
        }
    }
    for (size_t c = 0; c < p->ncohorts; c++) {
        if (strcmp(p->cohorts[c].id, t->cohorts[c].id) != 0 ||
            p->cohorts[c].category != t->cohorts[c].category) {
            return 0;
        }
    }
    return 1;
}

pack *pack_twin(pack *p)
{
    if (p->twin || p->no_twin) {
        return p->twin;
    }
    const strbuf *mods = &p->sb->module_texts;
    pack *t = NULL;
    if (mods->len && !(p->twin_modules = malloc(mods->len))) {
        p->no_twin = 1;
        return NULL;
    }
    if (mods->len) {
        memcpy(p->twin_modules, mods->data, mods->len);
    }
    /* With the texts kept (even none), `require` reads no file: the twin
       runs exactly what this pack loaded. */
    if (pack_load_source(p->path, p->text, p->len, &p->sb->limits, p->sb->lib_dir,
                         p->twin_modules ? p->twin_modules : "", mods->len, &t) != SHNOR_OK ||
        !same_shape(p, t)) {
        pack_free(t);
        p->no_twin = 1;
        return NULL;
    }
    t->no_twin = 1;
    p->twin_log = t->sb->log.len;
    p->twin = t;
    return t;
}

void pack_free(pack *p)
{
    if (!p) {
        return;
    }
    pack_free(p->twin);
    free(p->twin_modules);
    free(p->roadmap_periods);
    sandbox_free(p->sb);
    if (p->bridge) {
        bridge_close(p->bridge);
        free(p->bridge);
    }
    for (size_t i = 0; i < p->ncats; i++) {
        free(p->cats[i].id);
        free(p->cats[i].title);
    }
    free(p->cats);
    free(p->fired_mt);
    for (size_t i = 0; i < p->ncrits; i++) {
        free(p->crits[i].id);
        free(p->crits[i].title);
        free(p->crits[i].explain);
    }
    free(p->crits);
    pack_free_plan(p);
    free(p->id);
    free(p->title);
    free(p->version);
    free(p->source);
    free(p->path);
    free(p->chunkname);
    free(p->text);
    free(p->line_start);
    sb_free(&p->problems);
    free(p);
}
