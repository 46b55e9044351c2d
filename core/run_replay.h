/*
 * run_replay.h — replaying a kept run: its stored pack source (and the
 * modules it required) evaluated again on the current data, compared with
 * what the run kept.
 */
#ifndef SHNOR_RUN_REPLAY_H
#define SHNOR_RUN_REPLAY_H

#include "run.h"

typedef struct {
    int identical;      /* listing and targets are the same */
    int data_changed;   /* the fingerprint of the values read differs */
    long listing_diffs; /* listing rows only in the run or only now */
    long target_diffs;  /* target rows only in the run or only now */
    long data_diffs;    /* observations that differ */
    strbuf report;      /* the differences, for people; caller frees */
} replay_result;

/*
 * Replays run id under limits (NULL: the run's own). Returns SHNOR_OK with
 * the comparison in *out (free out->report with sb_free), or a status with
 * the message in err (SHNOR_NOTFOUND for an unknown run).
 */
int run_replay(shnor *db, int64_t id, const shnor_limits *limits, replay_result *out,
               strbuf *err);

/*
 * Loads the pack of kept run id from its stored source and modules, under
 * limits (NULL: the run's own). *modules holds the module texts the pack
 * reads for its life — those the run loaded and the others of its lib
 * directory it kept, under their own names: free it (sb_free) after
 * pack_free(*out). SHNOR_OK, or a status with the message in err.
 */
int run_load_kept_pack(shnor *db, int64_t id, const shnor_limits *limits, pack **out,
                       strbuf *modules, strbuf *err);

#endif
