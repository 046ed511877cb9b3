/*
 * The golden-output test's helper (tests/golden/check.sh):
 *   golden-tool province N FILE   writes the benchmark generator's province of N
 *                                 households (seed 2016) as scenario JSON;
 *   golden-tool export FILE       loads FILE and writes vipa_scenario_export()'s text.
 * Exit 0, or 2 with a message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flat.h"
#include "gen.h"

static int province(const char *households, const char *path)
{
    gen g;
    char *end;
    unsigned long long n = strtoull(households, &end, 10);
    vipa_ctx *probe = NULL;
    vipa_fen line = 0; /* the profile's line of the year, as the benchmark takes it */
    int ok = vipa_ctx_new(&probe, NULL) == VIPA_OK &&
             vipa_poverty_line(&line, probe, GEN_YEAR) == VIPA_OK;
    vipa_ctx_free(probe);
    if (*end || n == 0 || !ok || gen_init(&g, n, 2016, line) != VIPA_OK)
        return 2;
    int rc = gen_write_scenario(&g, path) == 0 ? 0 : 2;
    gen_free(&g);
    return rc;
}

static char *slurp(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    fclose(f);
    *length = len;
    return buf;
}

static int export(const char *path)
{
    size_t length = 0, out_length = 0;
    char *text = slurp(path, &length), *out = NULL;
    vipa_ctx *ctx = NULL;
    const char *err = NULL;
    int rc = 2;
    if (text && vipa_ctx_new(&ctx, NULL) == VIPA_OK &&
        vipa_scenario_load(ctx, text, length, &err) == VIPA_OK &&
        vipa_scenario_export(&out, &out_length, ctx, 0) == VIPA_OK) {
        rc = fwrite(out, 1, out_length, stdout) == out_length ? 0 : 2;
    } else {
        fprintf(stderr, "golden-tool: %s: %s\n", path, err ? err : "cannot load or export");
    }
    vipa_free(out);
    vipa_ctx_free(ctx);
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "province") == 0)
        return province(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "export") == 0)
        return export(argv[2]);
    fputs("usage: golden-tool province N FILE | golden-tool export FILE\n", stderr);
    return 2;
}
