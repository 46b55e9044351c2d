/*
 * main.c — the shnor command-line program: all of it lives in the library
 * (cli.c), so tests can drive the same code in-process.
 */
#include <stdio.h>

#include "shnor.h"

int main(int argc, char **argv)
{
    return shnor_cli_main(argc, argv, stdout, stderr);
}
