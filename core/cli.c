/*
 * cli.c — the shnor command line: global options and dispatch to commands.
 */
#include <stdio.h>
#include <string.h>

#include "shnor.h"

int shnor_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    (void)out;
    if (argc < 2) {
        fprintf(err, "usage: shnor [--db FILE] COMMAND ...\n");
        return 2;
    }
    fprintf(err, "shnor: unknown command '%s'\n", argv[1]);
    return 2;
}
