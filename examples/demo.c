/*
 * A first look at libvipa: the version, and exact money (parse, format, split).
 * Built by scripts/run-example against the installed library through pkg-config:
 *   cc demo.c $(pkg-config --cflags --libs vipa)
 */
#include <stdio.h>

#include <vipa.h>

static void print_split(vipa_fen total, const uint64_t *weights, size_t n, const char *what)
{
    vipa_fen parts[8];
    char text[VIPA_FEN_FORMAT_SIZE];
    int rc = vipa_split(parts, total, weights, n);
    if (rc != VIPA_OK) {
        printf("split failed: %s\n", vipa_strerror(rc));
        return;
    }
    vipa_fen_format(text, sizeof text, total);
    printf("%s: %s yuan ->", what, text);
    for (size_t i = 0; i < n; i++) {
        vipa_fen_format(text, sizeof text, parts[i]);
        printf(" %s", text);
    }
    printf("\n");
}

int main(void)
{
    printf("libvipa %s (headers %s)\n", vipa_version_string(), VIPA_VERSION_STRING);

    /* A fiscal fund of 100000.00 yuan becomes equity; 70 % are the poor households'
     * shares (三(二)), rounded down to the fen, the rest the village collective's. */
    vipa_fen fund = 0, poor = 0, rest = 0;
    const char *why = NULL;
    if (vipa_fen_parse(&fund, "100000.00", &why) != VIPA_OK) {
        printf("parse failed: %s\n", why);
        return 1;
    }
    vipa_fen_mul_bp_trunc(&poor, fund, 7000);
    vipa_fen_sub(&rest, fund, poor);
    char a[VIPA_FEN_FORMAT_SIZE], b[VIPA_FEN_FORMAT_SIZE];
    vipa_fen_format(a, sizeof a, poor);
    vipa_fen_format(b, sizeof b, rest);
    printf("fund 100000.00: poor households' shares %s, village collective %s\n", a, b);

    print_split(poor, (const uint64_t[]){1, 1, 1}, 3, "per household, 3 households");
    print_split(poor, (const uint64_t[]){4, 2, 3}, 3, "per member, 4 + 2 + 3 members");

    /* Bad input is refused with a reason, never guessed. */
    vipa_fen x = 0;
    int rc = vipa_fen_parse(&x, "12.345", &why);
    printf("parse \"12.345\": %s (%s)\n", vipa_error_name(rc), why);
    return 0;
}
