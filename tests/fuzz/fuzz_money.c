/*
 * libFuzzer target for yuan text: any bytes parse or are refused with a reason, and
 * what parses formats canonically: format(parse(x)) parses back to the same amount and
 * is itself canonical; for every int64 amount v (taken from the bytes too),
 * parse(format(v)) == v.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vipa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip_amount(vipa_fen v)
{
    char text[VIPA_FEN_FORMAT_SIZE];
    vipa_fen back = 0;
    if (vipa_fen_format(text, sizeof text, v) != VIPA_OK ||
        vipa_fen_parse(&back, text, NULL) != VIPA_OK || back != v)
        abort();
}

static void round_trip_text(const char *text)
{
    vipa_fen v = 0;
    const char *why = NULL;
    int rc = vipa_fen_parse(&v, text, &why);
    if (rc != VIPA_OK) {
        if (!why || (rc != VIPA_E_PARSE && rc != VIPA_E_OVERFLOW))
            abort(); /* every refusal says why */
        return;
    }
    char canonical[VIPA_FEN_FORMAT_SIZE], again[VIPA_FEN_FORMAT_SIZE];
    vipa_fen back = 0;
    if (vipa_fen_format(canonical, sizeof canonical, v) != VIPA_OK ||
        vipa_fen_parse(&back, canonical, NULL) != VIPA_OK || back != v ||
        vipa_fen_format(again, sizeof again, back) != VIPA_OK || strcmp(canonical, again) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= sizeof(int64_t)) {
        int64_t v;
        memcpy(&v, data, sizeof v);
        round_trip_amount(v);
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    round_trip_text(text);
    free(text);
    return 0;
}
