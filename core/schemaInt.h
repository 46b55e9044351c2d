/*
 * schemaInt.h — the list of schema migrations (schema.c), read by store.c.
 */
#ifndef SHNOR_SCHEMA_INT_H
#define SHNOR_SCHEMA_INT_H

/* schema_migrations[i], a NULL-terminated list of SQL texts run in order,
   brings user_version i to i + 1. */
extern const char *const *const schema_migrations[];
extern const int schema_latest;

#endif
