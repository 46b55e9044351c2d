/*
 * pack_plan.c — reading the parts of a pack that shape its listing and
 * roadmap beyond the criteria: territory, period, cohorts, exit hysteresis,
 * mentors and activities. Every deadline is parsed here, so `shnor check`
 * rejects one it does not understand, with file:line.
 */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "pack.h"

static const char *const cohort_keys[] = {"id", "category", "title", "test", NULL};
static const char *const activity_keys[] = {"id",          "section",     "title", "applies",
                                            "due",         "responsible", "coexecutors",
                                            "result",      "indicator",   "document",
                                            "note",        NULL};

int pack_cohort_index(const pack *p, const char *id)
{
    for (size_t i = 0; i < p->ncohorts; i++) {
        /* a cohort written without an id is kept (and reported) with none */
        if (p->cohorts[i].id && strcmp(p->cohorts[i].id, id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* A list of strings (or one string) at the top of the stack into *out. */
static int read_strings(pack *p, char ***out, size_t *n, const char *what, int line)
{
    lua_State *L = p->sb->L;
    *out = NULL;
    *n = 0;
    if (lua_type(L, -1) == LUA_TSTRING) {
        *out = calloc(1, sizeof **out);
        if (*out && ((*out)[0] = strdup(lua_tostring(L, -1)))) {
            *n = 1;
        }
        return 0;
    }
    if (lua_type(L, -1) != LUA_TTABLE) {
        pack_problem(p, line, "%s must be a string or a list of strings", what);
        return -1;
    }
    size_t len = (size_t)lua_rawlen(L, -1);
    *out = calloc(len ? len : 1, sizeof **out);
    if (!*out) {
        return -1;
    }
    for (size_t i = 1; i <= len; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        if (lua_type(L, -1) != LUA_TSTRING) {
            pack_problem(p, line, "%s[%zu] must be a string", what, i);
        } else if (((*out)[*n] = strdup(lua_tostring(L, -1)))) {
            (*n)++;
        }
        lua_pop(L, 1);
    }
    return 0;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static int key_line(const pack *p, const char *name);
static void read_roadmap_periods(pack *p, int pt);

static void read_identity_extras(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    if (lua_getfield(L, pt, "territory") != LUA_TNIL &&
        read_strings(p, &p->territories, &p->nterritories, "'territory'", 0) == 0 &&
        p->nterritories == 0 && lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) == 0) {
        /* {} evaluated every school of the database without a word */
        pack_problem(p, pack_locate_key(p, "territory", 1, 0),
                     "'territory' is an empty list; name the pack's territories, or leave "
                     "it out to evaluate every school of the database");
    }
    lua_pop(L, 1);
    int t = lua_getfield(L, pt, "period");
    if (t != LUA_TNIL) {
        char err[300];
        size_t len;
        const char *s = t == LUA_TSTRING || t == LUA_TNUMBER ? lua_tolstring(L, -1, &len) : NULL;
        if (!s || shnor_period_parse(s, &p->period, err, sizeof err) != SHNOR_OK) {
            pack_problem(p, s ? pack_locate(p, "period", s, 0, 0) : key_line(p, "period"),
                         "'period': %s",
                         s ? err : "must be a period string like \"2023\"");
        }
    }
    lua_pop(L, 1);
    t = lua_getfield(L, pt, "roadmap_listing");
    if (t != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) > 0 || lua_tointeger(L, -1) < -10) {
            pack_problem(p, key_line(p, "roadmap_listing"),
                         "'roadmap_listing' must be 0 or a negative number of periods "
                         "(-1: the listing of the period before)");
        } else {
            p->roadmap_listing = (int)lua_tointeger(L, -1);
        }
    }
    lua_pop(L, 1);
    read_roadmap_periods(p, pt);
    /* roadmap_ends = "2024-05-31": the programme's last day; nothing of its
       roadmap is owed after it */
    t = lua_getfield(L, pt, "roadmap_ends");
    if (t != LUA_TNIL) {
        char err[256] = "";
        const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!s || shnor_date_parse(s, &p->roadmap_ends, err, sizeof err) != SHNOR_OK) {
            pack_problem(p, key_line(p, "roadmap_ends"),
                         "'roadmap_ends' must be the programme's last day, as \"2024-05-31\" or "
                         "\"31.05.2024\"%s%s",
                         *err ? ": " : "", err);
            p->roadmap_ends = 0;
        }
    }
    lua_pop(L, 1);
}

/* roadmap_periods = { "2023" }: the periods an order's roadmap is for (a
   plan «на 2023 год» is not a plan for 2022, whatever period is asked). */
static void read_roadmap_periods(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, pt, "roadmap_periods");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    int line = key_line(p, "roadmap_periods");
    size_t n = t == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
    if (n == 0 || n > 100) {
        pack_problem(p, line, "'roadmap_periods' must be a list of 1 to 100 periods, as "
                              "{ \"2023\" }");
        lua_pop(L, 1);
        return;
    }
    p->roadmap_periods = calloc(n, sizeof *p->roadmap_periods);
    if (!p->roadmap_periods) {
        pack_problem(p, line, "out of memory");
        lua_pop(L, 1);
        return;
    }
    for (size_t i = 1; i <= n; i++) {
        char err[256];
        int ti = lua_rawgeti(L, -1, (lua_Integer)i);
        const char *s = ti == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!s || shnor_period_parse(s, &p->roadmap_periods[p->nroadmap_periods], err,
                                     sizeof err) != SHNOR_OK) {
            pack_problem(p, s ? pack_locate(p, NULL, s, line, line) : line,
                         "'roadmap_periods'[%zu]: %s", i,
                         s ? err : "must be a period string like \"2023\"");
        } else {
            p->nroadmap_periods++;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_cohorts(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, pt, "cohorts");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TTABLE) {
        pack_problem(p, 0, "'cohorts' must be a list of {id, category, title, test}");
        lua_pop(L, 1);
        return;
    }
    size_t n = (size_t)lua_rawlen(L, -1);
    pack_check_list(p, -1, "cohorts");
    if (pack_too_many(p, "cohorts", n, PACK_MAX_COHORTS)) {
        lua_pop(L, 1);
        return;
    }
    p->cohorts = calloc(n ? n : 1, sizeof *p->cohorts);
    for (size_t i = 1; p->cohorts && i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        int e = lua_gettop(L);
        if (lua_type(L, e) != LUA_TTABLE) {
            pack_problem(p, 0, "cohorts[%zu] must be a table", i);
            lua_pop(L, 1);
            continue;
        }
        lua_getfield(L, e, "test");
        int fline = pack_function_line(L, -1);
        int is_fn = lua_type(L, -1) == LUA_TFUNCTION;
        /* Counted before it is filled, so that pack_free frees what was read
           when an error ends the (protected) reading half way. */
        pack_cohort *c = &p->cohorts[p->ncohorts++];
        memset(c, 0, sizeof *c);
        c->test_ref = is_fn ? luaL_ref(L, LUA_REGISTRYINDEX) : (lua_pop(L, 1), LUA_NOREF);
        c->id = pack_string_field(p, e, "id", "a cohort", fline);
        c->line = c->id ? pack_locate(p, "id", c->id, 0, fline) : fline;
        char what[96];
        snprintf(what, sizeof what, "cohort '%s'", c->id ? c->id : "?");
        pack_check_keys(p, e, cohort_keys, what, c->line);
        c->title = pack_string_field(p, e, "title", what, c->line);
        char *cat = pack_string_field(p, e, "category", what, c->line);
        c->category = cat ? pack_category_index(p, cat) : -1;
        if (!c->id || !pack_id_ok(c->id)) {
            pack_problem(p, c->line, "cohorts[%zu] needs an id without spaces", i);
        } else if (pack_cohort_index(p, c->id) < (int)p->ncohorts - 1 ||
                   pack_category_index(p, c->id) >= 0) {
            pack_problem(p, c->line, "cohort id '%s' is used twice (cohort and category ids "
                                     "share one name space)",
                         c->id);
        }
        if (!c->title && pack_field_absent(p, e, "title")) {
            pack_problem(p, c->line, "%s has no 'title'", what);
        }
        if (c->category < 0) {
            pack_problem(p, c->line, "%s needs a 'category' of the pack%s%s%s", what,
                         cat ? " ('" : "", cat ? cat : "", cat ? "' is not one)" : "");
        }
        if (!is_fn) {
            pack_problem(p, c->line, "%s: 'test' must be a function(s, period)", what);
        }
        free(cat);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* The line of the first `name =` at the start of a word (0 when none): the
   place of a table-valued field such as `exit = {`. */
static int key_line(const pack *p, const char *name)
{
    size_t kl = strlen(name);
    int line = 1;
    for (size_t i = 0; p->text && i + kl < p->len; i++) {
        if (p->text[i] == '\n') {
            line++;
            continue;
        }
        char before = i ? p->text[i - 1] : ' ';
        if (memcmp(p->text + i, name, kl) != 0 || before == '_' || before == '.' ||
            (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
            (before >= '0' && before <= '9')) {
            continue;
        }
        size_t j = i + kl;
        while (j < p->len && (p->text[j] == ' ' || p->text[j] == '\t')) {
            j++;
        }
        if (j + 1 < p->len && p->text[j] == '=' && p->text[j + 1] != '=') {
            return line;
        }
    }
    return 0;
}

/* exit = { after = 2 } or { low = { after = 2 }, ... } */
static void read_exit(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    p->exit_after = calloc(p->ncats + 1, sizeof *p->exit_after);
    int t = lua_getfield(L, pt, "exit");
    if (t == LUA_TNIL || !p->exit_after) {
        lua_pop(L, 1);
        return;
    }
    int line = key_line(p, "exit");
    if (t != LUA_TTABLE) {
        pack_problem(p, line, "'exit' must be { after = N } or { category = { after = N } }");
        lua_pop(L, 1);
        return;
    }
    int et = lua_gettop(L);
    lua_pushnil(L);
    if (!lua_next(L, et)) {
        /* exit = {} would be "no exit rule" without a word */
        pack_problem(p, line, "'exit' is empty; give { after = N } or { category = { after = N "
                              "} }, or leave it out");
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 2);
    /* A misspelt category would silently mean "no exit rule" for it. */
    const char **known = calloc(p->ncats + 2, sizeof *known);
    if (known) {
        int n = 0;
        known[n++] = "after"; /* { afetr = 2 } is a misspelt after, most likely */
        if (lua_getfield(L, et, "after") == LUA_TNIL) {
            for (size_t k = 0; k < p->ncats; k++) {
                known[n++] = p->cats[k].id;
            }
        }
        lua_pop(L, 1);
        pack_check_keys(p, et, known, "'exit'", line);
        free(known);
    }
    if (lua_getfield(L, et, "after") != LUA_TNIL) {
        lua_Integer n = lua_tointeger(L, -1);
        if (!lua_isinteger(L, -1) || n < 1 || n > 10) {
            pack_problem(p, line, "exit.after must be a number of periods from 1 to 10");
        }
        for (size_t k = 0; k < p->ncats; k++) {
            p->exit_after[k] = (int)n;
        }
        lua_pop(L, 2);
        return;
    }
    lua_pop(L, 1);
    for (size_t k = 0; k < p->ncats; k++) {
        int ct = lua_getfield(L, et, p->cats[k].id);
        if (ct != LUA_TNIL && ct != LUA_TTABLE) {
            pack_problem(p, line, "exit.%s must be { after = N }", p->cats[k].id);
        }
        if (ct == LUA_TTABLE) {
            static const char *const after_only[] = {"after", NULL};
            char what[96];
            snprintf(what, sizeof what, "exit.%s", p->cats[k].id);
            pack_check_keys(p, lua_gettop(L), after_only, what, line);
            lua_getfield(L, -1, "after");
            lua_Integer n = lua_tointeger(L, -1);
            if (!lua_isinteger(L, -1) || n < 1 || n > 10) {
                pack_problem(p, line, "exit.%s.after must be a number of periods from 1 to 10",
                             p->cats[k].id);
            } else {
                p->exit_after[k] = (int)n;
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_mentors(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, pt, "mentors");
    if (t == LUA_TFUNCTION) {
        p->mentors_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return;
    }
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    int line = key_line(p, "mentors");
    if (t != LUA_TTABLE) {
        pack_problem(p, line, "'mentors' must be a list of { mentor = code, schools = {codes} } "
                              "or a function(s, period, category)");
        lua_pop(L, 1);
        return;
    }
    size_t n = (size_t)lua_rawlen(L, -1);
    pack_check_list(p, -1, "mentors");
    if (pack_too_many(p, "mentors", n, PACK_MAX_MENTORS)) {
        lua_pop(L, 1);
        return;
    }
    p->mentors = calloc(n ? n : 1, sizeof *p->mentors);
    for (size_t i = 1; p->mentors && i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        pack_mentor *m = &p->mentors[p->nmentors++]; /* counted first, as cohorts */
        memset(m, 0, sizeof *m);
        m->line = line;
        if (lua_type(L, -1) == LUA_TTABLE) {
            static const char *const mentor_keys[] = {"mentor", "schools", NULL};
            char what[48];
            snprintf(what, sizeof what, "mentors[%zu]", i);
            pack_check_keys(p, lua_gettop(L), mentor_keys, what, line);
            m->mentor = pack_string_field(p, lua_gettop(L), "mentor", "a mentor group", line);
            lua_getfield(L, -1, "schools");
            if (lua_type(L, -1) == LUA_TTABLE) {
                read_strings(p, &m->schools, &m->nschools, "mentors[].schools", line);
            }
            lua_pop(L, 1);
        }
        if (!m->mentor || !m->nschools) {
            pack_problem(p, line, "mentors[%zu] needs mentor = \"code\" and schools = { codes }",
                         i);
            free(m->mentor);
            free_strings(m->schools, m->nschools);
            memset(m, 0, sizeof *m);
            p->nmentors--;
        } else {
            /* Each school has one mentor: a second would be silently ignored.
               The groups before this one (it is counted already). */
            int group = pack_locate(p, "mentor", m->mentor, line, line);
            m->line = group; /* the group's own line, for errors on a database */
            for (size_t j = 0; j < m->nschools; j++) {
                if (strcmp(m->schools[j], m->mentor) == 0) {
                    pack_problem(p, pack_locate(p, NULL, m->schools[j], group, group),
                                 "mentors: school '%s' is given as its own mentor", m->mentor);
                }
                for (size_t g = 0; g + 1 < p->nmentors; g++) {
                    for (size_t k = 0; k < p->mentors[g].nschools; k++) {
                        if (strcmp(p->mentors[g].schools[k], m->schools[j]) == 0) {
                            pack_problem(p, pack_locate(p, NULL, m->schools[j], group, group),
                                         "mentors: school '%s' is given two mentors, '%s' and "
                                         "'%s'",
                                         m->schools[j], p->mentors[g].mentor, m->mentor);
                        }
                    }
                }
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A copy of a string field, "" when absent; numbers are accepted for ids. */
static char *text_field(pack *p, int e, const char *name, const char *what, int line)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, e, name);
    char *s = NULL;
    if (t == LUA_TSTRING || (t == LUA_TNUMBER && strcmp(name, "id") == 0)) {
        size_t len;
        const char *v = lua_tolstring(L, -1, &len);
        pack_text_ok(p, line, what, name, v, len);
        s = strdup(v);
    } else if (t == LUA_TNIL) {
        s = strdup("");
    } else {
        pack_problem(p, line, "%s: '%s' must be text, not a %s", what, name, luaL_typename(L, -1));
        s = strdup("");
    }
    lua_pop(L, 1);
    return s;
}

static void read_applies(pack *p, int e, pack_activity *a, const char *what)
{
    lua_State *L = p->sb->L;
    a->applies_ref = LUA_NOREF;
    int t = lua_getfield(L, e, "applies");
    if (t == LUA_TNIL) {
        a->applies = APPLIES_TERRITORY;
        lua_pop(L, 1);
        return;
    }
    if (t == LUA_TFUNCTION) {
        a->applies = APPLIES_FUNCTION;
        a->applies_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return;
    }
    if (t != LUA_TTABLE) {
        pack_problem(p, a->line, "%s: 'applies' must be a list of category or cohort ids, "
                                 "{ schools = {codes} }, or a function(s, period, listing)",
                     what);
        lua_pop(L, 1);
        return;
    }
    a->applies = APPLIES_IDS;
    int at = lua_gettop(L);
    size_t n = (size_t)lua_rawlen(L, at);
    a->applies_ids = calloc(n ? n : 1, sizeof *a->applies_ids);
    for (size_t i = 1; a->applies_ids && i <= n; i++) {
        lua_rawgeti(L, at, (lua_Integer)i);
        const char *id = lua_tostring(L, -1);
        if (!id) {
            pack_problem(p, a->line, "%s: applies[%zu] must be a category or cohort id", what, i);
        } else if (pack_category_index(p, id) < 0 && pack_cohort_index(p, id) < 0) {
            pack_problem(p, a->line, "%s applies to '%s', which is neither a category nor a "
                                     "cohort of the pack",
                         what, id);
        } else {
            a->applies_ids[a->napplies++] = strdup(id);
        }
        lua_pop(L, 1);
    }
    if (lua_getfield(L, at, "schools") != LUA_TNIL) {
        read_strings(p, &a->schools, &a->nschools, "applies.schools", a->line);
    }
    lua_pop(L, 1);
    if (a->napplies == 0 && a->nschools == 0) {
        pack_problem(p, a->line, "%s: 'applies' names no category, cohort or school", what);
    }
    lua_pop(L, 1);
}

static void read_activities(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, pt, "activities");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TTABLE) {
        pack_problem(p, 0, "'activities' must be a list of activity tables");
        lua_pop(L, 1);
        return;
    }
    size_t n = (size_t)lua_rawlen(L, -1);
    pack_check_list(p, -1, "activities");
    if (pack_too_many(p, "activities", n, PACK_MAX_ACTIVITIES)) {
        lua_pop(L, 1);
        return;
    }
    p->acts = calloc(n ? n : 1, sizeof *p->acts);
    int search_from = 1;
    for (size_t i = 1; p->acts && i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        int e = lua_gettop(L);
        if (lua_type(L, e) != LUA_TTABLE) {
            pack_problem(p, 0, "activities[%zu] must be a table", i);
            lua_pop(L, 1);
            continue;
        }
        pack_activity *a = &p->acts[p->nacts++]; /* counted first, as cohorts */
        memset(a, 0, sizeof *a);
        a->applies_ref = LUA_NOREF;
        a->id = text_field(p, e, "id", "an activity", 0);
        /* Activities are written in order: look for each id after the last. */
        a->line = pack_locate(p, "id", a->id, search_from, 0);
        if (a->line > 0) {
            search_from = a->line;
        }
        char what[96];
        snprintf(what, sizeof what, "activity '%s'", a->id);
        pack_check_keys(p, e, activity_keys, what, a->line);
        a->section = text_field(p, e, "section", what, a->line);
        a->title = text_field(p, e, "title", what, a->line);
        a->due_text = text_field(p, e, "due", what, a->line);
        a->responsible = text_field(p, e, "responsible", what, a->line);
        a->coexecutors = text_field(p, e, "coexecutors", what, a->line);
        a->result = text_field(p, e, "result", what, a->line);
        a->indicator = text_field(p, e, "indicator", what, a->line);
        a->document = text_field(p, e, "document", what, a->line);
        a->note = text_field(p, e, "note", what, a->line);
        if (!a->id || !*a->id) {
            pack_problem(p, a->line, "activities[%zu] has no 'id' (the row's number)", i);
        } else {
            for (size_t k = 0; k + 1 < p->nacts; k++) {
                if (p->acts[k].id && strcmp(p->acts[k].id, a->id) == 0) {
                    pack_problem(p, a->line, "activity '%s' is defined twice", a->id);
                }
            }
        }
        if (!a->title || !*a->title) {
            pack_problem(p, a->line, "%s has no 'title'", what);
        }
        char err[1200]; /* the accepted forms are listed: about 450 bytes of Cyrillic */
        if (a->due_text && due_parse(a->due_text, &a->due, err, sizeof err) != SHNOR_OK) {
            pack_problem(p, pack_locate(p, "due", a->due_text, a->line, a->line), "%s: %s", what,
                         err);
        }
        read_applies(p, e, a, what);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

void pack_read_plan(pack *p, int pt)
{
    read_identity_extras(p, pt);
    read_cohorts(p, pt);
    read_exit(p, pt);
    read_mentors(p, pt);
    read_activities(p, pt);
}

void pack_free_plan(pack *p)
{
    free_strings(p->territories, p->nterritories);
    for (size_t i = 0; i < p->ncohorts; i++) {
        free(p->cohorts[i].id);
        free(p->cohorts[i].title);
    }
    free(p->cohorts);
    free(p->exit_after);
    for (size_t i = 0; i < p->nmentors; i++) {
        free(p->mentors[i].mentor);
        free_strings(p->mentors[i].schools, p->mentors[i].nschools);
    }
    free(p->mentors);
    for (size_t i = 0; i < p->nacts; i++) {
        pack_activity *a = &p->acts[i];
        free(a->id);
        free(a->section);
        free(a->title);
        free(a->due_text);
        free(a->responsible);
        free(a->coexecutors);
        free(a->result);
        free(a->indicator);
        free(a->document);
        free(a->note);
        due_free(a->due);
        free_strings(a->applies_ids, a->napplies);
        free_strings(a->schools, a->nschools);
    }
    free(p->acts);
    for (size_t i = 0; i < p->ntargets; i++) {
        pack_target *t = &p->targets[i];
        free(t->id);
        free(t->title);
        free(t->indicator);
        free(t->scope_id);
        free_strings(t->schools, t->nschools);
        free(t->weight_by);
        free(t->checkpoints);
    }
    free(p->targets);
}
